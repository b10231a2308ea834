package dialog_test

import (
	"fmt"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestIsItSafeIsAnsweredAsTrust: "es seguro?" got the tips to keep a key
// safe (key.security_tips 0.76) where "es seguro esto?" got whose chat
// this is and what it never asks (bot.official 0.96; a people probe).
// Asked of nothing else, "is it safe?" is of this chat, at the menu and
// where a datum is asked; "¿es segura?", of the key, keeps the tips.
func TestIsItSafeIsAnsweredAsTrust(t *testing.T) {
	for i, text := range []string{"es seguro?", "es seguro esto?", "ES SEGURO???", "y es seguro?", "pero es seguro che?",
		"es seguro hacerlo por aca?", "esto es seguro?"} {
		t.Run(text, func(t *testing.T) {
			h := newHarness(t)
			menu := fmt.Sprintf("menu-%d", i)
			h.step(menu, "hola", dialog.ExpectMenu)
			rs := h.send(menu, text)
			if !has(rs, i18n.M("faq.answer.bot.official")) {
				t.Errorf("%q at the menu:\n%s", text, h.dump(rs))
			}
			step := fmt.Sprintf("step-%d", i)
			h.toBirthDateStep(step)
			rs = h.step(step, text, dialog.ExpectBirthDate)
			if !has(rs, i18n.M("faq.answer.bot.official")) {
				t.Errorf("%q at the birth date:\n%s", text, h.dump(rs))
			}
		})
	}
	h := newHarness(t)
	h.step("tips", "hola", dialog.ExpectMenu)
	h.step("tips", "la clave es segura?", dialog.ExpectChoice, i18n.M("faq.answer.key.security_tips"))
}
