package dialog_test

import (
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
)

// TestDataInGroupsTheStepTakesAreMasked: a CUIL or DNI typed alone in
// groups of any length ("2 0 3 1 4 5 6 7 8 9 8", "203 1456 7898",
// "3145 6789"), which the step reads as the datum (registry.ParseCUIL and
// ParseDNI take the digits between spaces), reached the transcript, and
// with it the desk's agent, in clear: the masks read groups only as a CUIL
// ("20 31456789 8") or a DNI ("31 456 789") is usually grouped (a masks
// probe). Data typed alone are masked as the step reads them.
func TestDataInGroupsTheStepTakesAreMasked(t *testing.T) {
	tests := []struct {
		step   func(h *harness, chat string)
		text   string
		expect dialog.Expect // the step took it
	}{
		{toCUILStep, "2 0 3 1 4 5 6 7 8 9 8", dialog.ExpectFirstNames},
		{toCUILStep, "203 1456 7898", dialog.ExpectFirstNames},
		{toCUILStep, "20314 567898", dialog.ExpectFirstNames},
		{(*harness).toDNIStep, "3 1 4 5 6 7 8 9", dialog.ExpectChoice},
		{(*harness).toDNIStep, "314 56789", dialog.ExpectChoice},
		{(*harness).toDNIStep, "3145 6789", dialog.ExpectChoice},
		{(*harness).toDNIStep, "31 4567 89", dialog.ExpectChoice},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			h := newHarness(t)
			const chat = "grouped"
			tt.step(h, chat)
			h.step(chat, tt.text, tt.expect)
			lines, err := dialog.ReadStoredLines(h.store.Lines(chat))
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range lines {
				if l.From != "person" {
					continue
				}
				// María's DNI, 31456789: its first five digits are in
				// no mask (20-****6789-8, **.***.789).
				digits := strings.Map(func(r rune) rune {
					if r >= '0' && r <= '9' {
						return r
					}
					return -1
				}, l.Msg.Text)
				if strings.Contains(digits, "31456") {
					t.Fatalf("the transcript holds %q", l.Msg.Text)
				}
			}
		})
	}
}

func toCUILStep(h *harness, chat string) {
	h.t.Helper()
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "1", dialog.ExpectCUIL)
}
