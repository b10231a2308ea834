package dialog_test

import (
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestVerifiedEmailIsNotOfferedAgain: after verifying an e-mail, the next
// key recovered was followed by «Para proteger tu clave podés agregar un
// correo o un celular…», as if there were none (a people probe). A
// verified e-mail is acknowledged, and the phone, or changing the
// e-mail, offered instead.
func TestVerifiedEmailIsNotOfferedAgain(t *testing.T) {
	h, box := newContactHarness(t)
	const chat = "c"
	h.toKeyStep(chat)
	h.step(chat, "Primera2024a", dialog.ExpectConfirmKey)
	h.step(chat, "Primera2024a", dialog.ExpectMenu, i18n.M("contacts.offer"))
	h.step(chat, "7", dialog.ExpectChoice, contactsMenu)
	h.step(chat, "1", dialog.ExpectEmail)
	h.step(chat, "maria.gomez@gmail.com", dialog.ExpectCode)
	h.step(chat, box.last(t).Value, dialog.ExpectChoice, i18n.M("contacts.email_verified"))

	h.now = h.now.Add(time.Hour)
	toFactor(h, "later")
	h.step("later", box.last(t).Value, dialog.ExpectNewKey)
	h.step("later", "Segunda2024b", dialog.ExpectConfirmKey)
	rs := h.step("later", "Segunda2024b", dialog.ExpectMenu, i18n.M("contacts.offer_phone_too"), i18n.M("menu.contact"))
	if has(rs, i18n.M("contacts.offer")) {
		t.Fatalf("the verified e-mail was offered again:\n%s", h.dump(rs))
	}
}
