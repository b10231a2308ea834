package dialog_test

import (
	"fmt"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestFearForTheDataIsAnsweredAsTrust: "¿me van a robar los datos?" got
// what to do when the data do not match the DNI (error.data_mismatch,
// 0.89), and so did "¿mis datos están protegidos?" (a people probe): a
// person afraid of giving their data is told whose chat this is and what
// it never asks, at the menu and where a datum is asked, the step kept.
func TestFearForTheDataIsAnsweredAsTrust(t *testing.T) {
	for i, text := range []string{"me van a robar los datos?", "mis datos estan protegidos?", "no me van a estafar?"} {
		t.Run(text, func(t *testing.T) {
			h := newHarness(t)
			menu := fmt.Sprintf("menu-%d", i)
			h.step(menu, "hola", dialog.ExpectMenu)
			rs := h.send(menu, text)
			if !has(rs, i18n.M("faq.answer.bot.official")) || has(rs, i18n.M("faq.answer.error.data_mismatch")) {
				t.Errorf("%q at the menu:\n%s", text, h.dump(rs))
			}
			step := fmt.Sprintf("step-%d", i)
			h.toBirthDateStep(step)
			rs = h.step(step, text, dialog.ExpectBirthDate)
			if !has(rs, i18n.M("faq.answer.bot.official")) || has(rs, i18n.M("faq.answer.error.data_mismatch")) {
				t.Errorf("%q at the birth date:\n%s", text, h.dump(rs))
			}
		})
	}
}
