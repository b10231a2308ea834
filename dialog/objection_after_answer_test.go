package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestObjectionAfterTheMismatchAnswer: "pero yo lo escribí bien" after the
// FAQ's answer on data that do not match the DNI, at «¿Te sirvió esta
// respuesta?», got «No estoy seguro de haberte entendido. ¿Quisiste
// decir…?» (a people probe), where the same words at a data step get
// what usually differs and where a wrong record is corrected
// (data.objection). They get it there too.
func TestObjectionAfterTheMismatchAnswer(t *testing.T) {
	h := newHarness(t)
	h.step("c", "hola", dialog.ExpectMenu)
	h.step("c", "me dice que mis datos no coinciden con el dni pero estan bien", dialog.ExpectChoice,
		i18n.M("faq.answer.error.data_mismatch"), i18n.M("rate.ask"))
	rs := h.step("c", "pero yo lo escribi bien", dialog.ExpectMenu, i18n.M("data.objection"))
	if has(rs, i18n.M("suggest.ask")) {
		t.Fatalf("suggestions:\n%s", h.dump(rs))
	}
}
