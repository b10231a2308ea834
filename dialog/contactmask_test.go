package dialog_test

import (
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// A person's e-mail and phone, typed as people type them, reach the desk
// masked, as the bot shows them back (m***@gmail.com, the phone's last
// four digits): "Maria.Gomez @ Gmail.com", which the bot takes as her
// address, and a number in groups ("0351 15 555 1234", "+54 9 351 555
// 1234"), which it takes as her phone, were in the desk's transcript, the
// stored one and the messages relayed to an agent in clear (an attack
// probe: MaskEmails wants the @ between letters, the number masks want a
// run of digits).
func TestContactsTypedReachTheDeskMasked(t *testing.T) {
	desk := &fakeDesk{}
	box := &codeBox{}
	h := newHarness(t, dialog.WithDesk(desk), dialog.WithCodeSender(box))
	const chat = "contacts"
	h.toKeyStep(chat)
	h.step(chat, "Primera2024a", dialog.ExpectConfirmKey)
	h.step(chat, "Primera2024a", dialog.ExpectMenu, i18n.M("contacts.offer"))
	h.step(chat, "7", dialog.ExpectChoice, contactsMenu)
	h.step(chat, "2", dialog.ExpectPhone)
	h.step(chat, "0351 15 555 1234", dialog.ExpectChoice, i18n.M("contacts.phone_saved"))
	h.step(chat, "1", dialog.ExpectEmail)
	h.step(chat, "Maria.Gomez @ Gmail.com", dialog.ExpectCode, codeSent("m***@gmail.com"))
	h.send(chat, "hablar con una persona")
	h.send(chat, "si")
	if len(desk.queue) != 1 {
		t.Fatalf("queue %d", len(desk.queue))
	}
	h.send(chat, "mi cel es +54 9 351 555 1234 y el mail maria.gomez@ gmail.com")

	var person strings.Builder
	for _, l := range desk.queue[0].Transcript {
		if l.From == "person" {
			person.WriteString(l.Msg.Text + "\n")
		}
	}
	clear := []string{"Maria.Gomez", "maria.gomez", "555 1234", "5551234", "555-1234"}
	for _, where := range []struct{ name, text string }{
		{"the desk's transcript", person.String()},
		{"the stored transcript", h.store.Lines(chat)},
		{"the stored state", string(h.store.Raw(chat))},
		{"the relayed message", strings.Join(desk.relayed, "\n")},
	} {
		for _, c := range clear {
			if strings.Contains(where.text, c) {
				t.Errorf("%s holds %q in clear:\n%s", where.name, c, where.text)
			}
		}
	}
	if lines := person.String(); !strings.Contains(strings.ToLower(lines), "m***@gmail.com") || !strings.Contains(lines, "1234") {
		t.Errorf("the transcript lost what may be shown (the masked address, the last digits):\n%s", lines)
	}
}
