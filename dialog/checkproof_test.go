package dialog_test

import (
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// toCheckProof takes a new chat through the troubleshooting menu's check
// of cuil up to its DNI, which it gives: the birth date is asked next.
func (h *harness) toCheckProof(chat, cuil, dni string) {
	h.t.Helper()
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "4", dialog.ExpectChoice)
	h.step(chat, "1", dialog.ExpectChoice, i18n.M("trouble.offer_check"))
	h.step(chat, "sí", dialog.ExpectCUIL)
	h.step(chat, cuil, dialog.ExpectDNI, i18n.M("check.prove"))
	h.step(chat, dni, dialog.ExpectBirthDate)
}

// The troubleshooting menu's check of a CUIL asks for its DNI and birth
// date, and tells whether they match the record ("Esos datos no
// coinciden", or the CUIL's state): an oracle of the birth date, the one
// datum a stranger who has the CUIL lacks (the DNI is in it). It judged
// them while the CUIL's validation was locked: an attacker locked the
// CUIL with three wrong birth dates in the flows, which then judge
// nothing (TestLockedCUILJudgesNoData), and went on guessing here, told
// "bloqueada hasta…" with the right one and "no coinciden" with the
// others. While the lock lasts, a check tells the lock, whatever the data.
func TestLockedCUILCheckJudgesNothing(t *testing.T) {
	cuil := registry.CUIL(strings.ReplaceAll(ana, "-", ""))
	h := newHarness(t)
	var lock registry.Lockout
	for range h.reg.Policy().Validation.Max {
		var err error
		if lock, err = h.reg.FailValidation(h.ctx, cuil); err != nil {
			t.Fatal(err)
		}
	}
	answers := map[string][]dialog.Reply{}
	for _, date := range []string{"25/07/1990", "26/07/1990"} {
		chat := "locked " + date
		h.toCheckProof(chat, ana, "35999888")
		answers[date] = h.send(chat, date)
	}
	right, wrong := answers["25/07/1990"], answers["26/07/1990"]
	for _, k := range []string{"check.registered", "check.no_key", "check.has_key", "check.no_match"} {
		if has(right, i18n.M(i18n.Key(k))) {
			t.Errorf("the right birth date of a locked CUIL was judged (%s):\n%s", k, h.dump(right))
		}
	}
	if !has(right, i18n.M("lock.validation")) || !has(wrong, i18n.M("lock.validation")) {
		t.Errorf("a locked CUIL's check, right data:\n%s\nwrong data:\n%s\nwant the lock told to both", h.dump(right), h.dump(wrong))
	}
	if strings.Join(keys(right), " ") != strings.Join(keys(wrong), " ") {
		t.Errorf("a locked CUIL's check tells right data from wrong:\n%v\n%v", keys(right), keys(wrong))
	}
	if l, err := h.reg.Lockout(h.ctx, cuil, registry.LockValidation); err != nil || l != lock {
		t.Errorf("lockout after the checks: %+v, %v; want %+v as before them", l, err, lock)
	}
}

// TestCheckCountsWrongData: wrong data at a check are failed validations
// (CONTRACT §5), so the check is no uncounted oracle of the birth date.
func TestCheckCountsWrongData(t *testing.T) {
	cuil := registry.CUIL(strings.ReplaceAll(ana, "-", ""))
	h := newHarness(t)
	for i := range h.reg.Policy().Validation.Max {
		chat := "guess" + string(rune('a'+i))
		h.toCheckProof(chat, ana, "35999888")
		if rs := h.send(chat, "0"+string(rune('1'+i))+"/01/1990"); has(rs, i18n.M("check.registered")) {
			t.Fatalf("a wrong birth date proved the CUIL:\n%s", h.dump(rs))
		}
	}
	if l, err := h.reg.Lockout(h.ctx, cuil, registry.LockValidation); err != nil || !l.LockedAt(h.now) {
		t.Fatalf("after wrong birth dates at checks: %+v, %v; want the CUIL locked", l, err)
	}
}
