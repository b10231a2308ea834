package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestBirthDateFixedAtTheNextStep: "9/2/1918", a typo, then at once
// "9/2/1981" where the DNI is asked got "El DNI tiene 7 u 8 números"; the
// typo was judged with the DNI, and a failed validation counted (a people
// probe over the REST chat). A date alone, typed where the datum after
// the birth date is asked, fixes the birth date, as a DNI alone a step
// after its typo fixes the DNI; the step's datum is asked again.
func TestBirthDateFixedAtTheNextStep(t *testing.T) {
	h := newHarness(t)
	h.toBirthDateStep("c")
	h.step("c", "14/03/1958", dialog.ExpectDNI)
	rs := h.step("c", "14/03/1985", dialog.ExpectDNI, i18n.M("ask.dni"))
	if has(rs, i18n.M("dni.format")) {
		t.Fatalf("the date fixed was refused as a DNI:\n%s", h.dump(rs))
	}
	rs = h.step("c", "31456789", dialog.ExpectChoice, question1)
	if has(rs, i18n.M("data.mismatch")) {
		t.Fatalf("the typo was judged:\n%s", h.dump(rs))
	}

	// A date named as another is still not the birth date.
	h.toBirthDateStep("other")
	h.step("other", "14/03/1985", dialog.ExpectDNI)
	h.step("other", "emisión 10/05/2019", dialog.ExpectDNI)
	h.step("other", "31456789", dialog.ExpectChoice, question1)
}
