package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// "¿Puedo hacerlo por otra persona?" put the person in the agents' queue
// (read as asking for a person), "¿le puedo hacer la clave a mi mamá?" got
// the security tips (a probe): whether a relative may do it is answered
// (the key is the holder's, validated with their own data), the person
// stays where they were, and no one is handed over.
func TestDoingItForSomeoneElse(t *testing.T) {
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	want := i18n.M("faq.answer.key.for_someone_else")
	h.step("other", "hola", dialog.ExpectMenu)
	h.step("other", "puedo hacerlo por otra persona?", dialog.ExpectChoice, want, i18n.M("rate.ask"))
	h.step("mama", "hola", dialog.ExpectMenu)
	h.step("mama", "1", dialog.ExpectCUIL)
	h.step("mama", "le puedo hacer la clave a mi mama?", dialog.ExpectCUIL, want, i18n.M("ask.cuil"))
	h.step("en", "hi", dialog.ExpectMenu)
	h.step("en", "can I do it for my mom?", dialog.ExpectChoice, want)
	if len(desk.queue) != 0 {
		t.Fatalf("handed over: %+v", desk.queue)
	}
	// Asking for it is still doing it: the flow starts.
	h.step("request", "quiero sacar la clave de mi abuela", dialog.ExpectCUIL, i18n.M("create.checklist"))
}
