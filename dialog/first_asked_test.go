package dialog_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/clavebot/clavebot/dialog"
)

// TestTwoQuestionsAskedFirstAreAnswered: "cuanto tarda y como la
// recupero?" as a chat's first message got the welcome and the menu,
// both questions dropped (a words probe: the classifier unsure of the
// whole, key.duration 0.47), where at the menu each is answered and the
// recovery starts. Written first, a message of several questions gets
// the welcome and what the menu gives.
func TestTwoQuestionsAskedFirstAreAnswered(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{
		"cuanto tarda y como la recupero?",
		"como la recupero y cuanto tarda",
	} {
		chat := fmt.Sprintf("first-%d", i)
		h.step(chat+"-menu", "hola", dialog.ExpectMenu)
		atMenu := h.send(chat+"-menu", text)
		if lastExpect(atMenu) != dialog.ExpectCUIL {
			t.Fatalf("%q at the menu:\n%s", text, h.dump(atMenu))
		}
		first := h.send(chat, text)
		if want := append([]string{"welcome"}, keys(atMenu)...); !slices.Equal(keys(first), want) {
			t.Errorf("%q first: %v, want the welcome and what the menu gives, %v\n%s", text, keys(first), want, h.dump(first))
		}
	}
}
