package dialog_test

import (
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
)

// A datum sent in two messages at its own step, as a phone's keyboard
// sends one when Enter is touched halfway ("31456", then "789"): each
// part held fewer digits than a datum, the masks left both in clear, and
// the stored transcript and the desk read the DNI, the birth date or the
// CUIL whole, a line after the other (an attack probe).
func TestDatumSplitAcrossMessagesIsMasked(t *testing.T) {
	tests := []struct {
		name  string
		step  func(h *harness, chat string)
		parts []string
		clear []string // what the lines' digits, one after the other, must not hold
	}{
		{"dni", (*harness).toDNIStep, []string{"31456", "789"}, []string{"31456", "4567"}},
		{"dni with dots", (*harness).toDNIStep, []string{"31.456", ".789"}, []string{"31456", "4567"}},
		{"birth date", (*harness).toBirthDateStep, []string{"14/03", "1985"}, []string{"1403", "1985"}},
		{"cuil", toCUILStep, []string{"20-3145", "6789-8"}, []string{"203145", "3145"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			const chat = "split"
			tt.step(h, chat)
			for _, p := range tt.parts {
				h.send(chat, p)
			}
			lines, err := dialog.ReadStoredLines(h.store.Lines(chat))
			if err != nil {
				t.Fatal(err)
			}
			var digits, shown strings.Builder
			for _, l := range lines {
				if l.From != "person" {
					continue
				}
				shown.WriteString(l.Msg.Text + "\n")
				for _, r := range l.Msg.Text {
					if r >= '0' && r <= '9' {
						digits.WriteRune(r)
					}
				}
			}
			for _, c := range tt.clear {
				if strings.Contains(digits.String(), c) {
					t.Errorf("the transcript holds %q across its lines:\n%s", c, shown.String())
				}
			}
		})
	}
}
