package dialog_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// quoted returns the last phrase text quotes for the person to type,
// between «» or “”, and whether there is one.
func quoted(text string) (string, bool) {
	for _, q := range [][2]string{{"«", "»"}, {"“", "”"}} {
		end := strings.LastIndex(text, q[1])
		if end < 0 {
			continue
		}
		start := strings.LastIndex(text[:end], q[0])
		if start < 0 {
			continue
		}
		return text[start+len(q[0]) : end], true
	}
	return "", false
}

// A wrong current key is answered the same whether the CUIL has a key or
// not (a stranger must not learn which CUILs have none), so the answer
// tells everyone how someone who never created a key gets to create it:
// the phrase it quotes, typed at the current key, starts the creation.
// The wrong key still counts toward the lockout.
func TestWrongKeyTellsHowToCreate(t *testing.T) {
	h := newHarness(t)
	withKey(h, "Primera2024a")
	var answers []i18n.Message
	for _, cuil := range []string{maria, ana} {
		chat := "wk-" + cuil
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, "3", dialog.ExpectCUIL)
		h.step(chat, cuil, dialog.ExpectCurrentKey)
		rs := h.step(chat, "Equivocada1", dialog.ExpectCurrentKey, i18n.M("change.wrong_key", "n", 4))
		for _, r := range rs {
			if r.Msg.Key == "change.wrong_key" {
				answers = append(answers, r.Msg)
			}
		}
		plain := strings.ReplaceAll(cuil, "-", "")
		if l, _ := h.reg.Lockout(h.ctx, registry.CUIL(plain), registry.LockKey); l.Failures != 1 {
			t.Fatalf("%s: the wrong key counted %d times, want 1", cuil, l.Failures)
		}
	}
	if len(answers) != 2 || fmt.Sprint(answers[0]) != fmt.Sprint(answers[1]) {
		t.Fatalf("wrong key answered differently with and without a key: %v", answers)
	}
	for _, lang := range h.cat.Langs() {
		for _, n := range []int{4, 1} {
			text := h.cat.Printer(lang).Sprint(i18n.M("change.wrong_key", "n", n))
			phrase, ok := quoted(text)
			if !ok {
				t.Fatalf("%s, %d left: %q quotes no phrase to create a key", lang, n, text)
			}
			chat := fmt.Sprintf("hint-%s-%d", lang, n)
			h.step(chat, "hola", dialog.ExpectMenu)
			h.step(chat, "3", dialog.ExpectCUIL)
			h.step(chat, ana, dialog.ExpectCurrentKey)
			h.step(chat, phrase, dialog.ExpectFirstNames, i18n.M("change.no_key_yet"))
		}
	}
	if l, _ := h.reg.Lockout(h.ctx, "27359998886", registry.LockKey); l.Failures != 1 {
		t.Fatalf("the phrase counted as a wrong key: %+v", l)
	}
}
