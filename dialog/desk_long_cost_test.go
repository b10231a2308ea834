package dialog_test

import (
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
)

// TestLongMessageToTheDeskMaskedAsFarAsItGoes is an attack probe's: a
// REST person in the desk's line sent 64 KB messages of "1 de 1 de …",
// which the masks read as dates to be (about 14 MB and 384,000
// allocations, over half a second of a core, each), though the desk gets
// the first 4,096 characters: the whole message was masked before it was
// cut. A message cut for the desk costs what its part that goes does.
func TestLongMessageToTheDeskMaskedAsFarAsItGoes(t *testing.T) {
	long := strings.Repeat("1 de ", 64000/5)
	short := long[:4096+300] // what reaches the desk, and the masks' margin
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	h.step("desk", "hablar con una persona", dialog.ExpectText)
	allocs := func(text string) float64 { return testing.AllocsPerRun(2, func() { h.send("desk", text) }) }
	s, l := allocs(short), allocs(long)
	if l > 2*s {
		t.Errorf("a message of %d bytes to the desk cost %.0f allocations, one of its first %d %.0f: the part the desk never gets was masked",
			len(long), l, len(short), s)
	}
	if got := desk.relayed[len(desk.relayed)-1]; len(got) > 2*len(short) {
		t.Errorf("the desk got %d bytes", len(got))
	}
}
