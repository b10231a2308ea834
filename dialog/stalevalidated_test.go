package dialog_test

import (
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
)

// The desk shows a person's CUIL whole, what they typed unmasked and
// "identidad validada" when the chat hands over validated. A chat that
// proved María's key (her contacts opened, or «Cambiar mi clave» at the
// new key) and was kept alive while she recovered the key elsewhere (it
// had been learnt: that is why she recovered it), or verified an e-mail
// elsewhere, handed over to the desk as validated (an attack probe): the
// key it proved was no longer hers, and the bot itself would have asked
// it again, or the e-mail's code, at its next step. The hand-over tells
// the desk what the chat still proves.
func TestHandoffDoesNotCarryAStaleValidation(t *testing.T) {
	recoverElsewhere := func(h *harness, _ *codeBox) {
		h.now = h.now.Add(time.Minute)
		h.step("maria", "hola", dialog.ExpectMenu)
		h.step("maria", "2", dialog.ExpectCUIL)
		h.step("maria", maria, dialog.ExpectDNI)
		h.step("maria", "31456789", dialog.ExpectBirthDate)
		h.step("maria", "1985-03-14", dialog.ExpectChoice)
		h.answerQuestions("maria", maria, false)
		h.step("maria", "Segunda2025b", dialog.ExpectConfirmKey)
		h.step("maria", "Segunda2025b", dialog.ExpectMenu)
	}
	changeElsewhere := func(h *harness, _ *codeBox) {
		h.now = h.now.Add(time.Minute)
		h.step("maria", "hola", dialog.ExpectMenu)
		h.step("maria", "3", dialog.ExpectCUIL)
		h.step("maria", maria, dialog.ExpectCurrentKey)
		h.step("maria", "Primera2024a", dialog.ExpectNewKey)
		h.step("maria", "Segunda2025b", dialog.ExpectConfirmKey)
		h.step("maria", "Segunda2025b", dialog.ExpectMenu)
	}
	verifyEmailElsewhere := func(h *harness, box *codeBox) {
		h.now = h.now.Add(time.Minute)
		h.toContacts("maria", "Primera2024a")
		h.step("maria", "1", dialog.ExpectEmail)
		h.step("maria", "maria.gomez@gmail.com", dialog.ExpectCode)
		h.step("maria", box.last(h.t.(*testing.T)).Value, dialog.ExpectChoice)
	}
	atContacts := func(h *harness) { h.toContacts("stranger", "Primera2024a") }
	atNewKeyOfChange := func(h *harness) {
		h.step("stranger", "hola", dialog.ExpectMenu)
		h.step("stranger", "3", dialog.ExpectCUIL)
		h.step("stranger", maria, dialog.ExpectCurrentKey)
		h.step("stranger", "Primera2024a", dialog.ExpectNewKey)
	}
	for _, tc := range []struct {
		name      string
		proved    func(h *harness)
		elsewhere func(h *harness, box *codeBox)
		validated bool
	}{
		{"contacts, nothing changed since", atContacts, func(*harness, *codeBox) {}, true},
		{"contacts, key recovered elsewhere", atContacts, recoverElsewhere, false},
		{"contacts, key changed elsewhere", atContacts, changeElsewhere, false},
		{"change at the new key, nothing changed since", atNewKeyOfChange, func(*harness, *codeBox) {}, true},
		{"change at the new key, key recovered elsewhere", atNewKeyOfChange, recoverElsewhere, false},
		{"change at the new key, e-mail verified elsewhere", atNewKeyOfChange, verifyEmailElsewhere, false},
		{"contacts, the chat idled out", atContacts, func(h *harness, _ *codeBox) { h.now = h.now.Add(16 * time.Minute) }, false},
		{"contacts, the chat's state lost", atContacts, func(h *harness, _ *codeBox) { h.store = dialogtestStore(h); h.restart() }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			desk, box := &fakeDesk{}, &codeBox{}
			h := newHarness(t, dialog.WithDesk(desk), dialog.WithCodeSender(box))
			withKey(h, "Primera2024a")
			tc.proved(h)
			tc.elsewhere(h, box)
			h.send("stranger", "hablar con una persona")
			h.send("stranger", "si")
			if len(desk.queue) != 1 {
				t.Fatalf("%d hand-overs, want 1", len(desk.queue))
			}
			if got := desk.queue[0].Validated; got != tc.validated {
				t.Fatalf("handed over validated %v, want %v", got, tc.validated)
			}
		})
	}
}
