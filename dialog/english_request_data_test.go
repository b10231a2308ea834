package dialog_test

import (
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestEnglishRequestKeepsItsData: "i'm Lucía Soledad Fernández, id
// 35218904, born 21/07/1990, i want to create my key" started the
// creation and dropped every datum, and "my name is …" with a request
// dropped the names (a words probe): "i'm" opened no name of one's own,
// "id" was no DNI's label, and a labelled name typed with a request
// was not kept for the CUIL. English says who one is and names the DNI
// as Spanish does. "my name is" and "mi nombre es" with surnames after the
// given names are the full name (the surnames were asked again; a people
// probe, see TestNamesSaidWithTheRequestAlone).
func TestEnglishRequestKeepsItsData(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		next       dialog.Expect // once the CUIL comes
		taken      []i18n.Key
	}{
		{"i'm, id, born", "i'm María Belén Gómez Ruiz, id 31456789, born 14/03/1985, i want to create my key",
			dialog.ExpectChoice, []i18n.Key{"field.first_names", "field.last_names", "field.dni", "field.birth_date"}},
		{"curly apostrophe", "I’m Maria Belen Gomez Ruiz, ID 31.456.789, born March 14, 1985. I want to create my password",
			dialog.ExpectChoice, nil},
		{"i am", "hello, i am María Belén Gómez Ruiz, my id is 31456789, born 14/03/1985, i need to create my key",
			dialog.ExpectChoice, nil},
		{"my name is", "I want to create my key. My name is Maria Belen Gomez Ruiz, DNI 31.456.789, born 14/03/1985",
			dialog.ExpectChoice, []i18n.Key{"field.first_names", "field.last_names"}},
		{"mi nombre es", "quiero crear mi clave. mi nombre es María Belén Gómez Ruiz, DNI 31.456.789, nací el 14/03/1985",
			dialog.ExpectChoice, []i18n.Key{"field.first_names", "field.last_names"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			rs := h.step("c", tc.text, dialog.ExpectCUIL, i18n.M("data.taken"))
			for _, f := range tc.taken {
				if !strings.Contains(dumpArgs(rs), string(f)) {
					t.Errorf("%s not said taken:\n%s", f, h.dump(rs))
				}
			}
			h.step("c", maria, tc.next)
		})
	}
	// A recovery takes the DNI said to be the ID.
	h := newHarness(t)
	h.step("r", "hi, i forgot my password. my id is 31456789 and i was born 14/03/1985", dialog.ExpectCUIL, i18n.M("data.taken"))
	h.step("r", maria, dialog.ExpectChoice, i18n.M("key.none_yet"))
}

// TestImOpensTheNames: "i'm Lucia Soledad" at the first names was judged
// as the names "i'm Lucia Soledad" and the mismatch counted (a words
// probe); it opens the names as "soy" does.
func TestImOpensTheNames(t *testing.T) {
	for _, typed := range []string{"i'm María Belén", "I’m Maria Belen", "i am maria belen", "hi, i'm María Belén"} {
		t.Run(typed, func(t *testing.T) {
			h := newHarness(t)
			h.toFirstNamesStep("c")
			h.step("c", typed, dialog.ExpectLastNames)
			h.step("c", "Gómez Ruiz", dialog.ExpectBirthDate)
			h.step("c", "14/03/1985", dialog.ExpectDNI)
			h.step("c", "31456789", dialog.ExpectChoice, question1)
		})
	}
}
