package dialog_test

import (
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// A chat that proved the key at «Cambiar mis datos de contacto» could go
// on changing the contacts after the key was recovered in another chat
// (an attack probe): someone who had learnt María's key opened her
// contacts and kept the chat alive; María recovered her key and verified
// her e-mail; the stranger's chat, never asked again, put their own
// address in its place, verified by a code to it, and with it the second
// factor of every recovery after. A chat's proof is of the key the CUIL
// had: once the key changes, the contacts ask for it again.
func TestContactsProvedWithAnOldKeyAreClosed(t *testing.T) {
	h, box := newContactHarness(t)
	withKey(h, "Primera2024a")
	h.toContacts("stranger", "Primera2024a")

	// María recovers her key and verifies her e-mail, in her own chat.
	h.now = h.now.Add(time.Minute)
	toFactor(h, "maria")
	h.step("maria", "Segunda2024b", dialog.ExpectConfirmKey)
	h.step("maria", "Segunda2024b", dialog.ExpectMenu, i18n.M("contacts.offer"))
	h.step("maria", "7", dialog.ExpectChoice, contactsMenu)
	h.step("maria", "1", dialog.ExpectEmail)
	h.step("maria", "maria.gomez@gmail.com", dialog.ExpectCode, codeSent("m***@gmail.com"))
	h.step("maria", box.last(t).Value, dialog.ExpectChoice, i18n.M("contacts.email_verified"))
	sent := box.count()

	// The stranger's chat, a few minutes later, tries each change.
	h.now = h.now.Add(5 * time.Minute)
	for _, try := range [][]string{
		{"1", "ladron@example.com"},
		{"ladron@example.com"},
		{"2", "+5491123456789"},
		{"+5491123456789"},
	} {
		for _, text := range try {
			h.send("stranger", text)
		}
		cs, err := h.reg.Contacts(h.ctx, registry.CUIL("20314567898"))
		if err != nil {
			t.Fatal(err)
		}
		if cs.Email.Value != "maria.gomez@gmail.com" || !cs.Email.Verified() || cs.Phone.Value != "" {
			t.Fatalf("after %q the contacts are %+v", try, cs)
		}
		if box.count() != sent {
			t.Fatalf("after %q a code went to %s", try, box.last(t).To.Value)
		}
	}
	// Asked for the key again, the new one opens them.
	h.send("stranger", "menu")
	h.step("stranger", "7", dialog.ExpectCUIL)
	h.step("stranger", maria, dialog.ExpectCurrentKey)
	h.step("stranger", "Primera2024a", dialog.ExpectCurrentKey)
}
