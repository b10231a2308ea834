package dialog_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// fewQuestions is the registry of CUILs whose records allow only n safe
// identity questions (the other kinds thinned, see
// registry/distractors.go): about 39 % of the synthetic registry.
type fewQuestions struct {
	*registry.Service
	n int
}

func (f fewQuestions) BeginQuestions(ctx context.Context, c *registry.Citizen, keyed bool) (registry.Round, error) {
	r, err := f.Service.BeginQuestions(ctx, c, keyed)
	r.Questions = r.Questions[:min(f.n, len(r.Questions))]
	return r, err
}

// TestFewQuestionsAreNoShortcut is the attack on CONTRACT §5's "3
// questions, all right": someone who knows a person's CUIL, names, birth
// date and DNI (public-ish) and whose record gives one or two safe
// questions guessed one question with 3 attempts per lock window 48.8 %
// of the time (1-(4/5)^3), two 11.5 %, against 2.4 % for three. A
// validation short of three questions now needs what the attacker lacks:
// the número de trámite, or a code to a verified contact; without either
// the person is not asked at all, told where to get the key, and nothing
// is counted.
func TestFewQuestionsAreNoShortcut(t *testing.T) {
	cases := []struct {
		name    string
		flow    string
		cuil    string
		data    []string
		n       int
		keyed   bool   // the CUIL has a key (recover)
		contact bool   // the CUIL has a verified e-mail
		then    string // "away", "key" (validated), "code" (the second factor)
	}{
		{"create, two questions, nothing else", "1", maria, []string{"María Belén", "Gómez Ruiz", "14/03/1985", "31456789"}, 2, false, false, "away"},
		{"create, one question, nothing else", "1", ana, []string{"Ana", "López", "25/07/1990", "35999888"}, 1, false, false, "away"},
		{"recover, two questions, nothing else", "2", maria, []string{"31456789", "14/03/1985"}, 2, true, false, "away"},
		{"create, one question and the trámite", "1", juan, []string{"Juan", "Pérez", "02/11/1997", "40111222", "00612345678"}, 1, false, false, "key"},
		{"recover, two questions and a verified e-mail", "2", maria, []string{"31456789", "14/03/1985"}, 2, true, true, "code"},
		{"create, one question and a verified e-mail", "1", maria, []string{"María Belén", "Gómez Ruiz", "14/03/1985", "31456789"}, 1, false, true, "code"},
		{"create, three questions", "1", maria, []string{"María Belén", "Gómez Ruiz", "14/03/1985", "31456789"}, 3, false, false, "key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, box := newContactHarness(t)
			cuil := registry.CUIL(stripDashes(tc.cuil))
			if tc.keyed {
				withKey(h, "Primera2024a")
			}
			if tc.contact {
				if err := h.reg.SetContact(h.ctx, cuil, registry.ContactEmail, "maria.gomez@gmail.com", true, "import"); err != nil {
					t.Fatal(err)
				}
			}
			h.eng = dialog.New(h.store, fewQuestions{h.reg, tc.n}, h.cat, h.opts...)
			right := h.questions(tc.cuil)[:tc.n]
			tries := 1
			if tc.then == "away" {
				tries = h.reg.Policy().Validation.Max + 1 // never counted
			}
			for i := range tries {
				chat := "q" + strconv.Itoa(i)
				h.step(chat, "hola", dialog.ExpectMenu)
				h.send(chat, tc.flow)
				h.send(chat, tc.cuil)
				var rs []dialog.Reply
				for _, d := range tc.data {
					rs = h.send(chat, d)
				}
				if tc.then == "away" {
					if !has(rs, i18n.M("questions.none")) || has(rs, i18n.M("questions.intro")) || lastExpect(rs) != dialog.ExpectMenu {
						t.Fatalf("try %d: %d questions and no factor were asked:\n%s", i+1, tc.n, h.dump(rs))
					}
					continue
				}
				if !has(rs, i18n.M("questions.intro", "n", tc.n)) || lastExpect(rs) != dialog.ExpectChoice {
					t.Fatalf("the questions were not asked:\n%s", h.dump(rs))
				}
				for _, q := range right {
					rs = h.send(chat, strconv.Itoa(q.Answer+1))
				}
				switch tc.then {
				case "key":
					if lastExpect(rs) != dialog.ExpectNewKey {
						t.Fatalf("right answers:\n%s", h.dump(rs))
					}
				case "code":
					if lastExpect(rs) != dialog.ExpectCode || !has(rs, i18n.M("factor.intro")) {
						t.Fatalf("right answers, without the code:\n%s", h.dump(rs))
					}
					h.step(chat, box.last(t).Value, dialog.ExpectNewKey)
				}
			}
			if l, err := h.reg.Lockout(h.ctx, cuil, registry.LockValidation); err != nil || l.Failures != 0 || l.LockedAt(h.now) {
				t.Errorf("lockout: %+v, %v", l, err)
			}
		})
	}
}

func stripDashes(s string) string {
	out := make([]byte, 0, len(s))
	for i := range len(s) {
		if s[i] != '-' {
			out = append(out, s[i])
		}
	}
	return string(out)
}
