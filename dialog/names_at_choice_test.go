package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestNamesAloneAtTheCUILsChoice: "Lucia Soledad Fernandez" typed alone
// where the bot asks what a CUIL is for got «Gracias. Primero elegí…;
// después te pido tus datos de a uno», and once creating was chosen the
// names were asked again (a people probe), while a date or a DNI alone
// there is kept. Names of two words or more, alone in their message, are
// kept too: known given names alone as the first names, else as the full
// name; the flow chosen skips asking them. One word stays as it was
// (TestOneGivenNameBeforeTheFlow).
func TestNamesAloneAtTheCUILsChoice(t *testing.T) {
	tests := []struct {
		typed string
		next  dialog.Expect // after choosing to create
	}{
		{"María Belén Gómez Ruiz", dialog.ExpectBirthDate},
		{"maria belen gomez ruiz", dialog.ExpectBirthDate},
		{"María Belén", dialog.ExpectLastNames},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			h := newHarness(t)
			h.step("c", "hola", dialog.ExpectMenu)
			h.step("c", maria, dialog.ExpectChoice, i18n.M("cuil.what"))
			rs := h.step("c", tt.typed, dialog.ExpectChoice, i18n.M("data.taken"), i18n.M("data.choose_first_cuil_kept"))
			if has(rs, i18n.M("data.choose_first_cuil")) {
				t.Fatalf("thanked and not kept:\n%s", h.dump(rs))
			}
			h.step("c", "1", tt.next, i18n.M("create.checklist"))
			if tt.next == dialog.ExpectLastNames {
				h.step("c", "Gómez Ruiz", dialog.ExpectBirthDate)
			}
			h.step("c", "14/03/1985", dialog.ExpectDNI)
			h.step("c", "31456789", dialog.ExpectChoice, i18n.M("questions.intro"))
		})
	}
}

// TestNamesAloneAtTheCUILsChoiceThenRecovery: the names kept at the
// CUIL's choice are no datum of recovery, which asks the DNI and the birth
// date as ever; they wait aside for a creation offered on the same CUIL.
func TestNamesAloneAtTheCUILsChoiceThenRecovery(t *testing.T) {
	h := newHarness(t)
	h.step("c", "hola", dialog.ExpectMenu)
	h.step("c", ana, dialog.ExpectChoice, i18n.M("cuil.what"))
	h.step("c", "Ana López", dialog.ExpectChoice, i18n.M("data.taken"))
	h.step("c", "2", dialog.ExpectDNI)
	h.step("c", "35999888", dialog.ExpectBirthDate)
	h.step("c", "25/07/1990", dialog.ExpectChoice, i18n.M("key.none_yet"))
	h.step("c", "sí", dialog.ExpectChoice, i18n.M("questions.intro"))
}
