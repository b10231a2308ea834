package dialog_test

import (
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// Contacts opened with the key alone, when the CUIL had no verified
// contact, stayed open to the chat after one was verified elsewhere (an
// attack probe): someone who had learnt María's key opened her contacts
// and kept the chat alive; María verified her e-mail in her own chat, so
// that the key alone would no longer do; the stranger's chat replaced her
// address with theirs. As a key is stored (TestProofRecheckedBeforeTheKeyIsStored),
// a contact verified since the chat's proof asks for its code first; one
// the chat verified itself does not.
func TestContactsOpenedBeforeAFactorAskForIt(t *testing.T) {
	h, box := newContactHarness(t)
	withKey(h, "Primera2024a")
	h.toContacts("stranger", "Primera2024a")

	h.now = h.now.Add(time.Minute)
	h.step("maria", "hola", dialog.ExpectMenu)
	h.step("maria", "7", dialog.ExpectCUIL)
	h.step("maria", maria, dialog.ExpectCurrentKey)
	h.step("maria", "Primera2024a", dialog.ExpectChoice, contactsMenu)
	h.step("maria", "1", dialog.ExpectEmail)
	h.step("maria", "maria.gomez@gmail.com", dialog.ExpectCode, codeSent("m***@gmail.com"))
	h.step("maria", box.last(t).Value, dialog.ExpectChoice, i18n.M("contacts.email_verified"))
	// The chat that verified it goes on without a code.
	h.step("maria", "2", dialog.ExpectPhone)
	h.step("maria", "volver", dialog.ExpectChoice, contactsMenu)
	sent := box.count()

	h.now = h.now.Add(2 * time.Minute)
	rs := h.send("stranger", "1")
	if last(rs).Expect != dialog.ExpectCode || !has(rs, codeSent("m***@gmail.com")) {
		t.Fatalf("contacts opened before María's e-mail was verified, after it:\n%s", h.dump(rs))
	}
	if c := box.last(t); box.count() != sent+1 || c.Purpose != registry.CodeFactor || c.To.Value != "maria.gomez@gmail.com" {
		t.Fatalf("code %+v, %d sent", c, box.count()-sent)
	}
	h.send("stranger", "ladron@example.com")
	cs, err := h.reg.Contacts(h.ctx, registry.CUIL("20314567898"))
	if err != nil || cs.Email.Value != "maria.gomez@gmail.com" || !cs.Email.Verified() {
		t.Fatalf("María's e-mail after the stranger's chat: %+v, %v", cs.Email, err)
	}
}

// Contacts opened right after a recovery that took the code of a verified
// contact ask for no code again: the chat proved that factor.
func TestContactsRightAfterARecoveryWithAFactor(t *testing.T) {
	h, box := newContactHarness(t)
	verifiedEmail(h, box)
	toFactor(h, "r")
	h.step("r", box.last(t).Value, dialog.ExpectNewKey)
	h.step("r", "Segunda2025b", dialog.ExpectConfirmKey)
	h.step("r", "Segunda2025b", dialog.ExpectMenu, i18n.M("done.recover"))
	sent := box.count()
	h.step("r", "7", dialog.ExpectChoice, contactsMenu)
	h.step("r", "2", dialog.ExpectPhone)
	if box.count() != sent {
		t.Fatalf("%d codes sent after the recovery's", box.count()-sent)
	}
}
