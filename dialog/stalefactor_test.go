package dialog_test

import (
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// A second factor is the contact verified now: a recovery that reached the
// code while María's e-mail was maria.gomez@gmail.com passed with the code
// sent there after she had replaced it (an attack probe: someone who read
// her old mailbox and knew her data kept the chat alive; María, warned,
// verified a new address; the stranger's chat typed the code of the old
// mailbox, or asked «Reenviar el código» and got one there, and recovered
// her key). A code to a contact no longer verified proves nothing, and
// another goes to the contact verified now.
func TestFactorCodeToAContactReplacedProvesNothing(t *testing.T) {
	h, box := newContactHarness(t)
	verifiedEmail(h, box)
	toFactor(h, "stranger")
	old := box.last(t)
	if old.Purpose != registry.CodeFactor || old.To.Value != "maria.gomez@gmail.com" {
		t.Fatalf("factor code %+v", old)
	}

	// María replaces her e-mail, through her key and the old address.
	h.now = h.now.Add(time.Minute)
	h.step("maria", "hola", dialog.ExpectMenu)
	h.step("maria", "7", dialog.ExpectCUIL)
	h.step("maria", maria, dialog.ExpectCurrentKey)
	h.step("maria", "Primera2024a", dialog.ExpectCode, codeSent("m***@gmail.com"))
	h.step("maria", box.last(t).Value, dialog.ExpectChoice, i18n.M("contacts.change_email"))
	h.step("maria", "1", dialog.ExpectEmail)
	h.step("maria", "nueva@hotmail.com", dialog.ExpectCode, codeSent("n***@hotmail.com"))
	h.step("maria", box.last(t).Value, dialog.ExpectChoice, i18n.M("contacts.ask", "email", verifiedAs("n***@hotmail.com")))

	// The stranger's chat types the old mailbox's code, then asks again.
	h.now = h.now.Add(time.Minute)
	rs := h.send("stranger", old.Value)
	if last(rs).Expect != dialog.ExpectCode {
		t.Fatalf("the code of a contact replaced passed:\n%s", h.dump(rs))
	}
	sent := box.count()
	h.now = h.now.Add(time.Minute)
	h.send("stranger", "reenviar")
	if box.count() != sent+1 {
		t.Fatalf("«Reenviar» sent %d codes", box.count()-sent)
	}
	if c := box.last(t); c.To.Value != "nueva@hotmail.com" || c.Purpose != registry.CodeFactor {
		t.Fatalf("«Reenviar» sent a code to %s (%s), want the e-mail verified now", c.To.Value, c.Purpose)
	}
	if rs := h.send("stranger", old.Value); last(rs).Expect != dialog.ExpectCode {
		t.Fatalf("the old mailbox's code passed:\n%s", h.dump(rs))
	}
}
