package dialog_test

import (
	"encoding/json"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// States in testdata/state-v1 were written by the version before the
// transcript was kept apart from the state (main at 9b42c43), with the
// transcript inside. After a deploy the chats they belong to go on where
// they were, and their transcript moves to the store's at their next turn;
// a validation they claim, written before the chat's proof was sealed,
// must be made again (dialog/proof.go: it cannot be told from a forged
// one), and so must the personal data they say were judged, written
// before the judgments were sealed (dialog/judgedseal.go): the mismatch
// state, at the first names with the others matched before, went on to
// the questions with the first names alone, which is what a state
// written into Redis did to skip any CUIL's data; it is asked the data
// again, nothing counted.
func TestStatesOfThePreviousVersionAreRead(t *testing.T) {
	tests := []struct {
		file   string
		text   func(legacy map[string]any) string
		expect dialog.Expect // "" for no reply (a message relayed to an agent)
		want   []i18n.Message
	}{
		{"questions", rightAnswer, dialog.ExpectChoice, []i18n.Message{i18n.M("question.*", "n", 3)}},
		{"confirm_key", says("Mate2025amargo"), dialog.ExpectMenu, []i18n.Message{i18n.M("proof.again")}},
		{"offer", says("si"), dialog.ExpectFirstNames, nil},
		{"mismatch", says("maria belen"), dialog.ExpectFirstNames, []i18n.Message{i18n.M("data.again")}},
		{"detour", says("María Belén"), dialog.ExpectLastNames, nil},
		{"queue", says("sigo acá"), "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			desk := &fakeDesk{}
			h := newHarness(t, dialog.WithDesk(desk))
			raw, err := os.ReadFile("testdata/state-v1/" + tt.file + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var legacy map[string]any
			if err := json.Unmarshal(raw, &legacy); err != nil {
				t.Fatal(err)
			}
			old := legacyLines(t, legacy)
			chat := "legacy-" + tt.file
			h.seed(chat, raw)

			if tt.expect == "" {
				h.send(chat, tt.text(legacy))
			} else {
				h.step(chat, tt.text(legacy), tt.expect, tt.want...)
			}
			var state map[string]any
			if err := json.Unmarshal(h.store.Raw(chat), &state); err != nil || state["t"] != nil {
				t.Errorf("the transcript is still in the state (%v): %s", err, h.store.Raw(chat))
			}
			lines, err := dialog.ReadStoredLines(h.store.Lines(chat))
			if err != nil {
				t.Fatal(err)
			}
			if want := min(len(old)+1, dialog.TranscriptLines); len(lines) < want {
				t.Fatalf("the store's transcript has %d lines, want at least %d: the %d moved and the turn's", len(lines), want, len(old))
			}
			if tt.expect != "" && lines[len(lines)-1].From != "bot" {
				t.Fatalf("the turn's lines are not last:\n%s", h.store.Lines(chat))
			}
			if tt.expect == "" {
				if len(desk.relayed) != 1 {
					t.Fatalf("relayed %q", desk.relayed)
				}
				return // already with the desk, which has its transcript
			}
			h.step(chat, "hablar con una persona", dialog.ExpectText)
			if len(desk.queue) != 1 {
				t.Fatalf("%d hand-overs", len(desk.queue))
			}
			got := desk.queue[0].Transcript
			if len(got) <= len(old) || len(got) > dialog.TranscriptLines {
				t.Fatalf("the desk got %d lines, want the %d old ones and the new, at most %d", len(got), len(old), dialog.TranscriptLines)
			}
			for i, want := range old {
				if got[i].From != want.From || !sameMsg(got[i].Msg, want.Msg) || !got[i].At.Equal(want.At) {
					t.Fatalf("line %d the desk got is %+v, want the old transcript's %+v", i, got[i], want)
				}
			}
		})
	}
}

func says(text string) func(map[string]any) string {
	return func(map[string]any) string { return text }
}

// rightAnswer is the number of the right option of the question a legacy
// state is at.
func rightAnswer(legacy map[string]any) string {
	qs := legacy["q"].([]any)
	qi := int(legacy["qi"].(float64))
	return strconv.Itoa(int(qs[qi].(map[string]any)["a"].(float64)) + 1)
}

// legacyLines reads the transcript of a state of the previous version.
func legacyLines(t *testing.T, legacy map[string]any) []dialog.Line {
	t.Helper()
	raw, err := json.Marshal(legacy["t"])
	if err != nil {
		t.Fatal(err)
	}
	var lines []dialog.Line
	if err := json.Unmarshal(raw, &lines); err != nil || len(lines) == 0 {
		t.Fatalf("no transcript in the legacy state (%v)", err)
	}
	return lines
}

// seed stores raw as chat's state, as a previous version left it.
func (h *harness) seed(chat string, raw []byte) {
	h.t.Helper()
	l, _, err := h.store.Acquire(h.ctx, chat, "")
	if err == nil {
		err = h.store.Commit(h.ctx, l, raw, nil, time.Hour)
	}
	if err != nil {
		h.t.Fatal(err)
	}
}

// A chat of the previous version handed over at its first turn after the
// deploy gives the desk its old transcript, then the turn's lines.
func TestLegacyTranscriptReachesTheDeskAtOnce(t *testing.T) {
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	raw, err := os.ReadFile("testdata/state-v1/detour.json")
	if err != nil {
		t.Fatal(err)
	}
	var legacy map[string]any
	if err := json.Unmarshal(raw, &legacy); err != nil {
		t.Fatal(err)
	}
	old := legacyLines(t, legacy)
	h.seed("legacy", raw)
	h.step("legacy", "quiero hablar con una persona", dialog.ExpectText)
	if len(desk.queue) != 1 {
		t.Fatalf("%d hand-overs", len(desk.queue))
	}
	got := desk.queue[0].Transcript
	if len(got) != len(old)+1 || got[len(old)].Msg.Text != "quiero hablar con una persona" {
		t.Fatalf("the desk got %d lines, want the %d old ones and the person's: %+v", len(got), len(old), got)
	}
	for i, want := range old {
		if got[i].From != want.From || !sameMsg(got[i].Msg, want.Msg) {
			t.Fatalf("line %d: %+v, want %+v", i, got[i], want)
		}
	}
}

// Transcript lines in testdata/transcript-v1.jsonl are as the version
// before turn entries wrote them to the store, a line each. Such lines
// stay in Redis through a rolling upgrade (the transcript lives as long
// as the state): the desk gets them, as they were, before the lines this
// version wrote since.
func TestTranscriptLinesOfThePreviousVersionAreRead(t *testing.T) {
	raw, err := os.ReadFile("testdata/transcript-v1.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var stored [][]byte
	var old []dialog.Line
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		var l struct {
			At   int64        `json:"a"`
			From string       `json:"f"`
			Msg  i18n.Message `json:"m"`
		}
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, []byte(line))
		old = append(old, dialog.Line{At: time.UnixMilli(l.At), From: l.From, Msg: l.Msg})
	}
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	const chat = "upgraded"
	l, _, err := h.store.Acquire(h.ctx, chat, "")
	if err == nil {
		state := `{"s":"menu","st":true,"ls":"2026-11-24T14:58:00Z"}`
		err = h.store.Commit(h.ctx, l, []byte(state), stored, time.Hour)
	}
	if err != nil {
		t.Fatal(err)
	}
	h.step(chat, "1", dialog.ExpectCUIL)
	h.step(chat, "quiero hablar con una persona", dialog.ExpectText)
	if len(desk.queue) != 1 {
		t.Fatalf("%d hand-overs", len(desk.queue))
	}
	got := desk.queue[0].Transcript
	if len(got) < len(old)+3 {
		t.Fatalf("the desk got %d lines, want the %d old ones and this version's: %+v", len(got), len(old), got)
	}
	for i, want := range old {
		if !got[i].At.Equal(want.At) || got[i].From != want.From || !reflect.DeepEqual(got[i].Msg, want.Msg) {
			t.Errorf("line %d: %+v, want the old line %+v", i, got[i], want)
		}
	}
	if next := got[len(old)]; next.From != "person" || next.Msg.Text != "1" || !next.At.Equal(h.now) {
		t.Errorf("the line after the old ones is %+v, want the person's 1 of this version", next)
	}
	p := h.cat.Printer(i18n.ES)
	if s := p.Sprint(got[7].Msg); !strings.Contains(s, "fecha de nacimiento") || !strings.Contains(s, "DNI") {
		t.Errorf("an old line with a message within reads %q", s)
	}
}
