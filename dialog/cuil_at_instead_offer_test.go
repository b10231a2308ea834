package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestAnotherCUILAtTheCreateOffer: recovering Ana's key, which she has
// not created, the bot offers to create it («¿Querés crearla ahora?»).
// Another CUIL typed there is that CUIL, not the yes to creating: the
// flow the person was in starts over with it (told so), and nothing is
// created for either CUIL, "sí" or "no" typed with it too. Her own CUIL
// there is still the yes.
func TestAnotherCUILAtTheCreateOffer(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		expect dialog.Expect
		want   []i18n.Message
	}{
		{"another CUIL", maria, dialog.ExpectDNI, []i18n.Message{i18n.M("offer.other_cuil_taken"), i18n.M("recover.intro")}},
		{"another CUIL in words", "perdón, mi cuil es " + maria, dialog.ExpectDNI, []i18n.Message{i18n.M("offer.other_cuil_taken")}},
		{"her own CUIL", ana, dialog.ExpectFirstNames, nil},
		// "sí" with another CUIL: the CUIL typed wins, as alone (it
		// created for Ana's CUIL, the one offered, a people probe).
		{"yes with another CUIL", "sí, " + maria, dialog.ExpectDNI, []i18n.Message{i18n.M("offer.other_cuil_taken"), i18n.M("recover.intro")}},
		{"yes with another CUIL, no comma", "si " + maria, dialog.ExpectDNI, []i18n.Message{i18n.M("offer.other_cuil_taken")}},
		{"yes with her own CUIL", "sí, " + ana, dialog.ExpectFirstNames, nil},
		// "no, es 20-…": the no to creating for the CUIL given, because
		// the person's CUIL is another. It went to the menu («De
		// acuerdo.») and the CUIL typed was lost (a people probe).
		{"no, it is another CUIL", "no, es " + maria, dialog.ExpectDNI, []i18n.Message{i18n.M("offer.other_cuil_taken"), i18n.M("recover.intro")}},
		{"no with another CUIL", "no " + maria, dialog.ExpectDNI, []i18n.Message{i18n.M("offer.other_cuil_taken")}},
		{"no, my CUIL is another", "no no, mi cuil es " + maria, dialog.ExpectDNI, []i18n.Message{i18n.M("offer.other_cuil_taken")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			const c = "chat"
			h.step(c, "hola", dialog.ExpectMenu)
			h.step(c, "2", dialog.ExpectCUIL)
			h.step(c, ana, dialog.ExpectDNI)
			h.step(c, "35999888", dialog.ExpectBirthDate)
			h.step(c, "25/07/1990", dialog.ExpectChoice, i18n.M("key.none_yet"))
			h.step(c, tt.text, tt.expect, tt.want...)
		})
	}
}
