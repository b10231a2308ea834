package dialog_test

import (
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
)

// TestSpoofedTextNeverReachesTheDesk: a person types NUL and other control
// characters (an escape sequence, a carriage return that would overwrite
// a line) and Unicode bidi overrides and isolates that would show the
// agent text other than what was written ("‮" turns "gnp.exe" around).
// The transcript the store keeps, the desk's copy and the messages relayed
// to the agent hold none of them; line breaks stay.
func TestSpoofedTextNeverReachesTheDesk(t *testing.T) {
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	const chat = "spoof"
	bad := []string{"\x00", "\x1b", "\r", "\x07", "\x7f", "\u0085", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
		"\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"}
	texts := []string{
		"hola\x00 quiero\x1b[31m ayuda\r\nhola",
		"mi archivo \u202egnp.exe\u202c y \u2066\u2067x\u2069\u2069 y \u202a\u202b\u202d\u200e\u200f\u0085\x07\x7f fin",
		"hablar con una persona",
		"sigo acá\u202e 123\x00\nsegunda línea",
	}
	for _, text := range texts {
		h.send(chat, text)
	}
	stored, err := dialog.ReadStoredLines(h.store.Lines(chat))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range stored {
		if l.From == "person" {
			lines = append(lines, l.Msg.Text)
		}
	}
	var handoff []string
	for _, q := range desk.queue {
		for _, l := range q.Transcript {
			if l.From == "person" {
				handoff = append(handoff, l.Msg.Text)
			}
		}
	}
	for _, where := range []struct {
		name  string
		texts []string
	}{{"the stored transcript", lines}, {"the desk's transcript", handoff}, {"the relayed messages", desk.relayed}} {
		if len(where.texts) == 0 {
			t.Fatalf("%s is empty", where.name)
		}
		all := strings.Join(where.texts, "|")
		for _, b := range bad {
			if strings.Contains(all, b) {
				t.Errorf("%s holds %U: %q", where.name, []rune(b)[0], all)
			}
		}
	}
	if !strings.Contains(strings.Join(lines, "|"), "ayuda\nhola") || !strings.Contains(strings.Join(desk.relayed, "|"), "\nsegunda línea") {
		t.Errorf("line breaks lost: %q / %q", lines, desk.relayed)
	}
}
