package dialog_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
)

// TestKeyInACaption: a person who sends a photo or a file with their key
// as its caption (a screenshot of the portal, "mi clave es …") was told
// "solo puedo leer texto", and the message holding the key stayed in the
// chat: the caption was not read, so nobody asked to delete it. A caption
// is still never read as an answer; it is only checked for a key, as a
// text is: the turn says the message holds a key (the channel deletes it
// where it can, else asks the person to), and the transcript hides it.
func TestKeyInACaption(t *testing.T) {
	const key = "Pepe2024xy"
	h := newHarness(t)
	tests := []struct {
		name    string
		chat    string
		setup   func(chat string)
		caption string
		secret  bool
	}{
		{"at the key step", "step", h.toKeyStep, key, true},
		{"said at the menu", "menu", func(c string) { h.step(c, "hola", dialog.ExpectMenu) }, "mi clave es " + key, true},
		{"no key at the menu", "plain", func(c string) { h.step(c, "hola", dialog.ExpectMenu) }, "foto de mi DNI", false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.setup(tt.chat)
			res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: tt.chat, ID: "photo" + strconv.Itoa(i), Media: "photo", Caption: tt.caption, Channel: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if res.Secret != tt.secret {
				t.Errorf("a photo captioned %q: secret %v, want %v", tt.caption, res.Secret, tt.secret)
			}
			if got := strings.Join(h.transcript(tt.chat), "\n"); strings.Contains(got, key) || strings.Contains(got, tt.caption) {
				t.Errorf("the transcript holds the caption:\n%s", got)
			}
		})
	}
}
