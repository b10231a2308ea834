package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestFormalRequestStartsItsFlow: a request written as a letter to an
// office ("Me dirijo a ustedes a fin de solicitar la generación de mi
// clave de la seguridad social") got the greeting and the menu, or "Eso
// no lo sé responder" (a words probe: the classifier knew no formal
// register; key.create 0.41, none 0.57). Such requests start their flow
// as the plain ones do.
func TestFormalRequestStartsItsFlow(t *testing.T) {
	for _, tc := range []struct {
		text  string
		intro i18n.Key
	}{
		{"Me dirijo a ustedes a fin de solicitar la generación de mi clave de la seguridad social", "create.checklist"},
		{"Quisiera solicitar la creación de mi clave", "create.checklist"},
		{"Tengo el agrado de dirigirme a Uds. para solicitarles la creación de una clave de la seguridad social", "create.checklist"},
		{"Me dirijo a ustedes a fin de solicitar la recuperación de mi clave", "recover.intro"},
		{"De mi mayor consideración: por medio de la presente solicito el restablecimiento de mi clave de la seguridad social, la cual he olvidado", "recover.intro"},
		{"Por la presente me dirijo a Uds. con el fin de requerir la generación de la clave de seguridad social", "create.checklist"},
		{"Estimados, solicito la recuperación de mi contraseña de Mi ANSES. Atentamente.", "recover.intro"},
		{"Solicito tengan a bien modificar mi clave de la seguridad social", "change.intro"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "hola", dialog.ExpectMenu)
			want := dialog.ExpectCUIL
			h.step("c", tc.text, want, i18n.M(tc.intro))
		})
	}
}
