package dialog_test

import (
	"fmt"
	"testing"

	"github.com/clavebot/clavebot/dialog"
)

// TestBackInWords: "para atrás" at the surname got "Eso no parece un
// nombre" (a contract probe; "volver para atrás" and "atrás" worked). The
// ways Argentines say it go back a step, as «volver» does.
func TestBackInWords(t *testing.T) {
	h := newHarness(t)
	for i, typed := range []string{"para atrás", "pa atras", "para atras porfa", "ir para atrás", "la anterior"} {
		chat := fmt.Sprintf("back-%d", i)
		h.toFirstNamesStep(chat)
		h.step(chat, "María Belén", dialog.ExpectLastNames)
		h.step(chat, typed, dialog.ExpectFirstNames)
	}
}
