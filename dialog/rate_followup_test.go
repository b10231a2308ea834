package dialog_test

import (
	"fmt"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestFollowUpAfterAnAnswerKeepsItsSubject: "como lo averiguo" after the
// answer on what the CUIL is, at «¿Te sirvió esta respuesta?», got «Eso
// no lo sé responder» (a people probe): the question names no subject,
// and its subject is the one just answered.
func TestFollowUpAfterAnAnswerKeepsItsSubject(t *testing.T) {
	tests := []struct {
		asked, answer, then string
		expect              dialog.Expect
		want                i18n.Message
	}{
		{"que es el cuil?", "faq.answer.cuil.find", "como lo averiguo", dialog.ExpectChoice, i18n.M("faq.answer.cuil.find")},
		{"que es el cuil?", "faq.answer.cuil.find", "y donde lo consigo?", dialog.ExpectChoice, i18n.M("faq.answer.cuil.find")},
		{"que es el cuil?", "faq.answer.cuil.find", "como lo averiguo?", dialog.ExpectChoice, i18n.M("faq.answer.cuil.find")},
		{"que es la clave de la seguridad social?", "faq.answer.key.what", "y como la saco?", dialog.ExpectCUIL, i18n.M("create.checklist")},
		{"que es la clave de la seguridad social?", "faq.answer.key.what", "como hago?", dialog.ExpectCUIL, i18n.M("create.checklist")},
	}
	// Neither a greeting nor a question of its own is read so.
	for _, then := range []string{"como va?", "que tal", "que hora es?"} {
		tests = append(tests, struct {
			asked, answer, then string
			expect              dialog.Expect
			want                i18n.Message
		}{"que es el cuil?", "faq.answer.cuil.find", then, dialog.ExpectMenu, i18n.M("menu.ask")})
	}
	for i, tc := range tests {
		t.Run(tc.asked+"/"+tc.then, func(t *testing.T) {
			h := newHarness(t)
			chat := fmt.Sprint("c", i)
			h.step(chat, "hola", dialog.ExpectMenu)
			h.step(chat, tc.asked, dialog.ExpectChoice, i18n.M(i18n.Key(tc.answer)), i18n.M("rate.ask"))
			rs := h.step(chat, tc.then, tc.expect, tc.want)
			if tc.expect != dialog.ExpectMenu && has(rs, i18n.M("faq.answer.none")) {
				t.Fatalf("not understood:\n%s", h.dump(rs))
			}
			if tc.expect == dialog.ExpectMenu && has(rs, i18n.M("faq.answer.cuil.find")) {
				t.Fatalf("read as of the CUIL:\n%s", h.dump(rs))
			}
		})
	}
}
