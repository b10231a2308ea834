package dialog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestDNIAtTheCreateOfferIsTheYes: the DNI typed at «Ese CUIL todavía no
// tiene una clave. ¿Querés crearla ahora?» got «Elegí una de las
// opciones», and at the same offer after the troubleshooting check «Eso
// no lo sé responder» and the problems' menu (a people probe): the person
// answers with what they think comes next. It is the yes, the creation
// goes on with the CUIL given, as after a "sí" (the DNI noted where it
// is still to be asked).
// Where no CUIL is held («Si todavía no la tenés, ¿querés crearla
// ahora?»), the creation starts and the DNI waits for the CUIL.
func TestDNIAtTheCreateOfferIsTheYes(t *testing.T) {
	offers := []struct {
		name string
		to   func(h *harness, chat string)
	}{
		{"recover without a key", func(h *harness, chat string) {
			h.step(chat, "hola", dialog.ExpectMenu)
			h.step(chat, "2", dialog.ExpectCUIL)
			h.step(chat, maria, dialog.ExpectDNI)
			h.step(chat, "31456789", dialog.ExpectBirthDate)
			h.step(chat, "14/03/1985", dialog.ExpectChoice, i18n.M("key.none_yet"))
		}},
		{"check without a key", func(h *harness, chat string) {
			h.step(chat, "hola", dialog.ExpectMenu)
			h.step(chat, "4", dialog.ExpectChoice)
			h.step(chat, "¿Se creó mi clave?", dialog.ExpectChoice, i18n.M("trouble.offer_check"))
			h.step(chat, "sí", dialog.ExpectCUIL)
			h.step(chat, maria, dialog.ExpectDNI, i18n.M("check.prove"))
			h.step(chat, "31456789", dialog.ExpectBirthDate)
			h.step(chat, "14/03/1985", dialog.ExpectChoice, i18n.M("check.offer_create"))
		}},
	}
	for _, o := range offers {
		for _, dni := range []string{"31456789", "31.456.789", "mi dni es 31.456.789"} {
			t.Run(o.name+"/"+dni, func(t *testing.T) {
				h := newHarness(t)
				o.to(h, "yes")
				yes := h.step("yes", "sí", dialog.ExpectFirstNames)
				o.to(h, "c")
				rs := h.step("c", dni, dialog.ExpectFirstNames)
				said := slices.DeleteFunc(keys(rs), func(k string) bool { return strings.HasPrefix(k, "data.taken") })
				if !slices.Equal(said, keys(yes)) {
					t.Fatalf("%q, not as the yes:\n%s\nthe yes:\n%s", dni, h.dump(rs), h.dump(yes))
				}
				h.step("c", "María Belén", dialog.ExpectLastNames)
			})
		}
	}
	t.Run("no CUIL held", func(t *testing.T) {
		h := newHarness(t)
		h.step("c", "necesito la clave para la jubilacion?", dialog.ExpectChoice, i18n.M("faq.offer_create"))
		h.step("c", "31.456.789", dialog.ExpectCUIL, i18n.M("create.checklist"))
		h.step("c", maria, dialog.ExpectFirstNames)
	})
}
