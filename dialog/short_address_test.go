package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestAddressCutShortAtTheContacts: "flor@gmail" typed where the
// contacts menu offers «Agregar mi correo» got «Elegí una de las
// opciones: escribí un número del 1 al 3.» (a people probe), while
// "flor@gmail.con" there is taken and its typo pointed out: the person
// clearly means to add an address. An address cut short is the choice of
// adding the e-mail, and what is wrong with it is said.
func TestAddressCutShortAtTheContacts(t *testing.T) {
	for _, text := range []string{"maria@gmail", "maria.gomez@hotmail", "mi mail es maria@yahoo"} {
		t.Run(text, func(t *testing.T) {
			h, _ := newContactHarness(t)
			withKey(h, "Primera2024a")
			h.toContacts("c", "Primera2024a")
			rs := h.step("c", text, dialog.ExpectEmail, i18n.M("email.format"), i18n.M("ask.email"))
			if has(rs, i18n.M("choice.invalid")) {
				t.Fatalf("told to pick an option:\n%s", h.dump(rs))
			}
			h.step("c", "maria@gmail.com", dialog.ExpectCode)
		})
	}
}
