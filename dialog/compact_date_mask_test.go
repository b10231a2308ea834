package dialog_test

import (
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
)

// TestBirthDateTypedCompactIsMasked: a birth date typed without
// separators, or with spaces and a two-digit year ("140385", "14 03 85",
// "nací el 140385"), which the birth date's step takes
// (registry.ParseCompactDate), reached the transcript in clear, and the
// desk's agent saw it so: the desk's own masks read seven digits or more,
// or a date with slashes, dots or dashes. Eight digits ("14031985") were
// masked as a DNI, its last three, the year's, shown (a masks probe).
// They are masked as the date they are.
func TestBirthDateTypedCompactIsMasked(t *testing.T) {
	for _, text := range []string{"140385", "14 03 85", "nací el 140385", "14031985"} {
		t.Run(text, func(t *testing.T) {
			h := newHarness(t)
			const chat = "compact"
			h.toBirthDateStep(chat)
			h.step(chat, text, dialog.ExpectDNI)
			lines, err := dialog.ReadStoredLines(h.store.Lines(chat))
			if err != nil {
				t.Fatal(err)
			}
			var said string
			for _, l := range lines {
				if l.From == "person" {
					said = l.Msg.Text
				}
			}
			if strings.ContainsAny(said, "0123456789") {
				t.Fatalf("the transcript holds the birth date typed as %q: %q", text, said)
			}
		})
	}
}
