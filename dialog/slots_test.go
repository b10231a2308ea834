package dialog_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/faq"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// readNames reads a list of testdata/names: one a line, # comments skipped.
func readNames(t testing.TB, file string) []string {
	t.Helper()
	path := "testdata/names/" + file
	if file == "given.txt" {
		path = "given-names.txt" // the engine's own list (givenNames)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// counting counts the classifier's calls.
type counting struct {
	dialog.Classifier
	n atomic.Int64
}

func (c *counting) Classify(text string) []dialog.Guess {
	c.n.Add(1)
	return c.Classifier.Classify(text)
}

// Several hundred real given names and surnames, many of them also words
// (Graciela, Consuelo, Luz, Seguro, Sierra, Bueno), are taken as names at
// the name steps, without asking the classifier.
func TestNamesAreTakenAtTheNameSteps(t *testing.T) {
	clf := &counting{Classifier: classifier(t)}
	h := newHarness(t, dialog.WithClassifier(clf, faq.AnswerThreshold, faq.SuggestThreshold))
	const chat = "names"
	h.toFirstNamesStep(chat)
	clf.n.Store(0)
	for _, name := range readNames(t, "given.txt") {
		if rs := h.send(chat, name); last(rs).Expect != dialog.ExpectLastNames {
			t.Errorf("first names %q not taken:\n%s", name, h.dump(rs))
			continue
		}
		h.step(chat, "volver", dialog.ExpectFirstNames)
	}
	h.step(chat, "María Belén", dialog.ExpectLastNames)
	for _, name := range readNames(t, "surnames.txt") {
		if rs := h.send(chat, name); last(rs).Expect != dialog.ExpectBirthDate {
			t.Errorf("surname %q not taken:\n%s", name, h.dump(rs))
			continue
		}
		h.step(chat, "volver", dialog.ExpectLastNames)
	}
	if n := clf.n.Load(); n != 0 {
		t.Errorf("the classifier was asked %d times about names", n)
	}
}

// TestWhatHappenedIsNoName: "fui estafada" and "fui al banco" typed where
// the first names are asked were taken as first names, "me hicieron el
// cuento del tío" as first names "hicieron" and surname "cuento del tío"
// (the validation ahead to count them as a mismatch), and "I lost my id
// card", "got scammed" alike (a words probe). What happened to a person,
// told, is no name: a word of it ("fui", "robaron", "got"…) or a verb
// after "me" makes it a sentence, heard as one, the step kept. Names with
// "me llamo" are still names.
func TestWhatHappenedIsNoName(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"fui estafada", "fui al banco", "me hicieron el cuento del tio", "I lost my id card",
		"got scammed", "me robaron la billetera"} {
		for _, step := range []dialog.Expect{dialog.ExpectFirstNames, dialog.ExpectLastNames} {
			chat := fmt.Sprintf("told-%d-%s", i, step)
			h.toFirstNamesStep(chat)
			if step == dialog.ExpectLastNames {
				h.step(chat, "María Belén", dialog.ExpectLastNames)
			}
			rs := h.step(chat, text, step)
			if has(rs, i18n.M("data.taken")) {
				t.Errorf("%q at %s taken as names:\n%s", text, step, h.dump(rs))
			}
		}
	}
	h.toFirstNamesStep("told-name")
	h.step("told-name", "me llamo María Belén", dialog.ExpectLastNames)
	h.step("told-name", "Gómez Ruiz", dialog.ExpectBirthDate)
}

// What cannot be a name, or reads as a question, goes to the classifier,
// once a turn, and the person keeps their place.
func TestNotNamesAtANameStep(t *testing.T) {
	clf := &counting{Classifier: classifier(t)}
	h := newHarness(t, dialog.WithClassifier(clf, faq.AnswerThreshold, faq.SuggestThreshold))
	const chat = "notnames"
	h.toFirstNamesStep(chat)
	tests := []struct {
		text   string
		expect dialog.Expect
		want   []i18n.Message
	}{
		{"gracias", dialog.ExpectFirstNames, []i18n.Message{i18n.M("faq.answer.thanks_bye"), i18n.M("ask.first_names")}},
		{"la clave es segura?", dialog.ExpectFirstNames, []i18n.Message{i18n.M("faq.answer.key.security_tips"), i18n.M("ask.first_names")}},
		{"sirve para la afip", dialog.ExpectFirstNames, []i18n.Message{i18n.M("faq.answer.key.not_afip")}},
		{"Graciela 2", dialog.ExpectFirstNames, []i18n.Message{i18n.M("names.format")}},
		{"me olvidé la clave", dialog.ExpectChoice, []i18n.Message{i18n.M("offer.switch")}},
	}
	for _, tt := range tests {
		clf.n.Store(0)
		h.step(chat, tt.text, tt.expect, tt.want...)
		if n := clf.n.Load(); n != 1 {
			t.Errorf("%q: the classifier was asked %d times, want once", tt.text, n)
		}
		if tt.expect == dialog.ExpectChoice {
			h.step(chat, "no", dialog.ExpectFirstNames)
		}
	}
	h.step(chat, "María Belén", dialog.ExpectLastNames)
	h.step(chat, "Gómez Ruiz", dialog.ExpectBirthDate)
	// Many words carrying a value read as telling something: the
	// classifier is asked first.
	h.step(chat, "hola disculpa, pongo la fecha 14/03/1985 pero me dice que mis datos no coinciden con los del documento",
		dialog.ExpectBirthDate, i18n.M("faq.answer.error.data_mismatch"))
}

// Names, surnames and the DNI typed in one message are all taken, and the
// bot asks only for what is missing; the order does not matter.
func TestSeveralDataInOneMessage(t *testing.T) {
	tests := []struct {
		name, text string
		next       dialog.Expect
		fields     []i18n.Key
	}{
		{"names and dni", "María Belén Gómez Ruiz, DNI 31.456.789", dialog.ExpectBirthDate,
			[]i18n.Key{"field.first_names", "field.last_names", "field.dni"}},
		{"surnames first", "Gómez Ruiz, María Belén, 31456789", dialog.ExpectBirthDate,
			[]i18n.Key{"field.first_names", "field.last_names", "field.dni"}},
		{"labelled", "nombre: María Belén apellido: Gómez Ruiz dni 31456789", dialog.ExpectBirthDate,
			[]i18n.Key{"field.first_names", "field.last_names", "field.dni"}},
		{"everything", "me llamo María Belén Gómez Ruiz, nací el 14 de marzo de 1985 y mi dni es 31.456.789", dialog.ExpectChoice,
			[]i18n.Key{"field.first_names", "field.last_names", "field.birth_date", "field.dni"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			const chat = "full"
			h.toFirstNamesStep(chat)
			rs := h.step(chat, tt.text, tt.next, i18n.M("data.taken"))
			for _, f := range tt.fields {
				if !strings.Contains(dumpArgs(rs), string(f)) {
					t.Errorf("%s not said taken:\n%s", f, h.dump(rs))
				}
			}
			if tt.next == dialog.ExpectBirthDate {
				h.step(chat, "14/03/1985", dialog.ExpectChoice, question1)
			}
		})
	}
}

// TestGivenNamesWithDataAreTheFirstNames: known given names typed with
// another datum are the first names; split as a full name, the second was
// judged as the surname and the mismatch counted (found by a probe).
func TestGivenNamesWithDataAreTheFirstNames(t *testing.T) {
	tests := []struct {
		text, then string
		next       dialog.Expect
	}{
		{"María Belén, 14/03/1985", "31456789", dialog.ExpectDNI},
		{"María Belén 31456789", "14/03/1985", dialog.ExpectBirthDate},
		{"maria belen dni 31.456.789", "14/03/1985", dialog.ExpectBirthDate},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			h := newHarness(t)
			const chat = "given"
			h.toFirstNamesStep(chat)
			h.step(chat, tt.text, dialog.ExpectLastNames, i18n.M("data.taken"))
			h.step(chat, "Gómez Ruiz", tt.next)
			h.step(chat, tt.then, dialog.ExpectChoice, question1)
		})
	}
	h := newHarness(t)
	h.step("cuil", "hola", dialog.ExpectMenu)
	h.step("cuil", "1", dialog.ExpectCUIL)
	h.step("cuil", "20-31456789-8 María Belén", dialog.ExpectLastNames)
}

// TestDataGivenAgainCorrectIt: a datum given again replaces the one
// taken ("perdón, mi dni es …" a step later): the typo was refused ("sin
// números ni signos") and then judged and counted (found by a probe).
func TestDataGivenAgainCorrectIt(t *testing.T) {
	for _, fix := range []string{"perdón, mi dni es 31.456.789", "31456789", "me equivoqué el dni es 31456789"} {
		t.Run(fix, func(t *testing.T) {
			h := newHarness(t)
			const chat = "fix"
			h.step(chat, "hola", dialog.ExpectMenu)
			h.step(chat, "1", dialog.ExpectCUIL)
			h.step(chat, maria+" dni 31456780", dialog.ExpectFirstNames)
			h.step(chat, fix, dialog.ExpectFirstNames, i18n.M("data.taken", "what", i18n.M("field.dni")))
			h.step(chat, "María Belén", dialog.ExpectLastNames)
			h.step(chat, "Gómez Ruiz", dialog.ExpectBirthDate)
			h.step(chat, "14/03/1985", dialog.ExpectChoice, question1)
			if l, _ := h.reg.Lockout(h.ctx, registry.CUIL(strings.ReplaceAll(maria, "-", "")), registry.LockValidation); l.Failures > 1 {
				t.Fatalf("the corrected DNI counted: %+v", l)
			}
		})
	}
	// Words or a date that come along with another datum are not taken
	// for data already given (found by a regression probe: "Córdoba
	// capital" replaced the names, the DNI's issue date the birth date,
	// and the mismatch counted).
	for _, tt := range []struct {
		at, text string
		next     dialog.Expect
	}{
		{"birth_date", "14/03/1985 Córdoba capital", dialog.ExpectDNI},
		{"dni", "31456789 fecha de emision 10/05/2019", dialog.ExpectChoice},
		{"dni", "31456789 10/05/2019", dialog.ExpectChoice},
		{"dni", "María 31456789", dialog.ExpectChoice},
	} {
		h := newHarness(t)
		chat := "along-" + tt.text
		h.toFirstNamesStep(chat)
		h.step(chat, "María Belén", dialog.ExpectLastNames)
		h.step(chat, "Gómez Ruiz", dialog.ExpectBirthDate)
		if tt.at == "dni" {
			h.step(chat, "14/03/1985", dialog.ExpectDNI)
		}
		h.step(chat, tt.text, tt.next)
		if tt.next == dialog.ExpectDNI {
			h.step(chat, "31456789", dialog.ExpectChoice, question1)
		}
	}
	// Given again wrong, it is judged wrong: only the last value counts.
	h := newHarness(t)
	h.step("wrong", "hola", dialog.ExpectMenu)
	h.step("wrong", "1", dialog.ExpectCUIL)
	h.step("wrong", maria+" dni 31456789", dialog.ExpectFirstNames)
	// Not the CUIL's, it is asked again at its step, and judged when
	// typed again (see TestDNINotTheCUILsAndCompanyCUIT).
	h.step("wrong", "perdón, mi dni es 31456780", dialog.ExpectFirstNames, i18n.M("dni.not_cuil"))
	h.step("wrong", "María Belén", dialog.ExpectLastNames)
	h.step("wrong", "Gómez Ruiz", dialog.ExpectBirthDate)
	h.step("wrong", "14/03/1985", dialog.ExpectDNI, i18n.M("ask.dni"))
	h.step("wrong", "31456780", dialog.ExpectDNI, i18n.M("data.mismatch"))
}

// TestOwnCUILSaidAgain: the chat's own CUIL in a sentence at a data step
// got an answer of the FAQ (found by a probe); it is said to be taken,
// and the step's datum asked.
func TestOwnCUILSaidAgain(t *testing.T) {
	h := newHarness(t)
	h.toFirstNamesStep("own")
	h.step("own", "mi cuil es "+maria, dialog.ExpectFirstNames, i18n.M("data.cuil_known"))
	h.step("own", "María Belén", dialog.ExpectLastNames)
	h.step("own", "Gómez Ruiz", dialog.ExpectBirthDate)
	h.step("own", "14/03/1985", dialog.ExpectDNI)
	h.step("own", "me equivoqué, mi cuil es "+maria, dialog.ExpectDNI, i18n.M("dni.is_cuil"))
	h.step("own", "31456789", dialog.ExpectChoice, question1)
}

// dumpArgs shows replies with their nested arguments.
func dumpArgs(rs []dialog.Reply) string {
	var sb strings.Builder
	for _, r := range rs {
		b, _ := json.Marshal(r.Msg)
		sb.Write(b)
	}
	return sb.String()
}

// What follows a message carrying several data depends on what was typed,
// never on the record: a wrong full name moves on like a right one, and
// the mismatch is diagnosed as always, at the end, without the values.
func TestSeveralDataTellNothingOfTheRecord(t *testing.T) {
	h := newHarness(t)
	const chat = "wrong"
	h.toFirstNamesStep(chat)
	h.step(chat, "María Gómez Ruiz, DNI 31.456.789", dialog.ExpectBirthDate)
	rs := h.step(chat, "14/03/1985", dialog.ExpectFirstNames, i18n.M("data.mismatch"), i18n.M("mismatch.missing_name"))
	if shown := h.shown(rs); strings.Contains(shown, "Belén") || strings.Contains(shown, "31.456.789") {
		t.Fatalf("the record shows through:\n%s", shown)
	}
	h.step(chat, "María Belén", dialog.ExpectChoice, question1)
}

// The whole name typed where the names were asked (or where the surnames
// were) is no mismatch: the surnames are asked next all the same, and
// the flow goes on to the questions. A wrong one is diagnosed as always.
func TestWholeNameAtANameStep(t *testing.T) {
	tests := []struct {
		name, first, last string
		next              dialog.Expect
		want              []i18n.Message
	}{
		{"at the names", "María Belén Gómez Ruiz", "Gómez Ruiz", dialog.ExpectChoice, []i18n.Message{question1}},
		{"surnames first", "Gómez Ruiz María Belén", "Gómez Ruiz", dialog.ExpectChoice, []i18n.Message{question1}},
		{"at both", "María Belén Gómez Ruiz", "María Belén Gómez Ruiz", dialog.ExpectChoice, []i18n.Message{question1}},
		{"at the surnames", "María Belén", "María Belén Gómez Ruiz", dialog.ExpectChoice, []i18n.Message{question1}},
		{"a name left out", "María Gómez Ruiz", "Gómez Ruiz", dialog.ExpectFirstNames,
			[]i18n.Message{i18n.M("data.mismatch"), i18n.M("mismatch.missing_name")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			const chat = "whole"
			h.toFirstNamesStep(chat)
			h.step(chat, tt.first, dialog.ExpectLastNames)
			h.step(chat, tt.last, dialog.ExpectBirthDate)
			h.step(chat, "14/03/1985", dialog.ExpectDNI)
			h.step(chat, "31456789", tt.next, tt.want...)
		})
	}
}

// A birth date typed as digits alone where it is asked is the date, not
// a DNI; a DNI typed there (no date in its digits) is still the DNI.
func TestCompactBirthDate(t *testing.T) {
	h := newHarness(t)
	const chat = "compact"
	h.toBirthDateStep(chat)
	h.step(chat, "31456789", dialog.ExpectBirthDate, i18n.M("data.taken", "what", i18n.M("field.dni")))
	h.step(chat, "14031985", dialog.ExpectChoice, question1)
	const spaced = "spaced"
	h.toBirthDateStep(spaced)
	h.step(spaced, "14 3 1985", dialog.ExpectDNI)
}

// A birth date said as it is said aloud, the month as a number ("el 14
// del 3 del 85"), alone or in a sentence with other data.
func TestSpokenBirthDate(t *testing.T) {
	for i, text := range []string{"14 del 3 del 85", "el 14 del 3 del 85", "nací el 14 de 3 de 1985"} {
		h := newHarness(t)
		chat := "spoken" + strconv.Itoa(i)
		h.toBirthDateStep(chat)
		h.step(chat, text, dialog.ExpectDNI)
	}
	h := newHarness(t)
	h.toBirthDateStep("with")
	h.step("with", "nací el 14 del 3 del 85, dni 31456789", dialog.ExpectChoice, question1)
}

// The CUIL typed where the DNI is asked is told apart from a mistyped
// DNI.
func TestCUILWhereTheDNIIsAsked(t *testing.T) {
	h := newHarness(t)
	const chat = "cuildni"
	h.toDNIStep(chat)
	h.step(chat, maria, dialog.ExpectDNI, i18n.M("dni.is_cuil"))
	h.step(chat, "1234", dialog.ExpectDNI, i18n.M("dni.format"))
	h.step(chat, "31.456.789", dialog.ExpectChoice, question1)
}

// A list of data typed where the CUIL is asked, numbers alone, gives the
// CUIL and the rest.
func TestDataListAtTheCUILStep(t *testing.T) {
	h := newHarness(t)
	withKey(h, "Primera2024a")
	const chat = "list"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "2", dialog.ExpectCUIL)
	h.step(chat, "20314567898, 31456789, 14/3/1985", dialog.ExpectChoice,
		i18n.M("data.taken", "what", i18n.M("list.and", "head", i18n.M("field.dni"), "last", i18n.M("field.birth_date"))), question1)
}

// A CUIL typed with the request starts the flow with it.
func TestFreeTextStartsAFlowWithItsCUIL(t *testing.T) {
	h := newHarness(t)
	withKey(h, "Primera2024a")
	h.step("r1", "me olvidé la clave, mi cuil es 20-31456789-8", dialog.ExpectDNI, i18n.M("recover.intro"), i18n.M("ask.dni"))
	h.step("r2", "hola", dialog.ExpectMenu)
	rs := h.step("r2", "quiero recuperar la clave, cuil 20314567898 y dni 31.456.789", dialog.ExpectBirthDate,
		i18n.M("data.taken", "what", i18n.M("field.dni")))
	if has(rs, i18n.M("rate.ask")) {
		t.Fatalf("a flow request was rated as an answer:\n%s", h.dump(rs))
	}
	h.step("r2", "14/03/1985", dialog.ExpectChoice, question1)
	// In the middle of another flow, the switch is offered, CUIL kept.
	h.step("r3", "hola", dialog.ExpectMenu)
	h.step("r3", "1", dialog.ExpectCUIL)
	h.step("r3", ana, dialog.ExpectFirstNames)
	h.step("r3", "me olvidé la clave, mi cuil es 20-31456789-8", dialog.ExpectChoice, i18n.M("offer.switch"))
	h.step("r3", "si", dialog.ExpectDNI, i18n.M("recover.intro"))
	// The CUIL typed with the "yes" to a flow that will ask it.
	h.step("r4", "hola", dialog.ExpectMenu)
	h.step("r4", "1", dialog.ExpectCUIL)
	h.step("r4", ana, dialog.ExpectFirstNames)
	h.step("r4", "me olvidé la clave", dialog.ExpectChoice, i18n.M("offer.switch"))
	h.step("r4", "sí dale, 20-31456789-8", dialog.ExpectDNI, i18n.M("recover.intro"))
	// The CUIL alone where the "yes" was asked is the yes, with it: at
	// the data and at the identity questions alike.
	h.step("r5", "hola", dialog.ExpectMenu)
	h.step("r5", "1", dialog.ExpectCUIL)
	h.step("r5", ana, dialog.ExpectFirstNames)
	h.step("r5", "me olvidé la clave", dialog.ExpectChoice, i18n.M("offer.switch"))
	h.step("r5", "20-31456789-8", dialog.ExpectDNI, i18n.M("recover.intro"))
	h.step("r6", "hola", dialog.ExpectMenu)
	h.step("r6", "1", dialog.ExpectCUIL)
	h.step("r6", "27-35999888-6", dialog.ExpectFirstNames)
	h.step("r6", "Ana", dialog.ExpectLastNames)
	h.step("r6", "López", dialog.ExpectBirthDate)
	h.step("r6", "25/07/1990", dialog.ExpectDNI)
	h.step("r6", "35999888", dialog.ExpectChoice, question1)
	h.step("r6", "me olvidé la clave", dialog.ExpectChoice, i18n.M("offer.switch"))
	h.step("r6", "el cuil es 20-31456789-8", dialog.ExpectDNI, i18n.M("recover.intro"))
}

// A CUIL typed at the menu, or at the first message, is asked what for.
func TestCUILAtTheMenu(t *testing.T) {
	h := newHarness(t)
	h.step("m1", "hola", dialog.ExpectMenu)
	h.step("m1", "20-31456789-8", dialog.ExpectChoice, i18n.M("cuil.what"), i18n.M("option.check_cuil"))
	h.step("m1", "1", dialog.ExpectFirstNames, i18n.M("create.checklist"))
	h.step("m2", "27 35999888 6", dialog.ExpectChoice, i18n.M("welcome"), i18n.M("cuil.what"))
	// What the registry knows of it is told only to whoever proves it.
	h.step("m2", "Revisar ese CUIL en el sistema", dialog.ExpectDNI, i18n.M("check.prove"))
	h.step("m2", "35999888", dialog.ExpectBirthDate)
	h.step("m2", "25/07/1990", dialog.ExpectChoice, i18n.M("check.registered"))
	h.step("m3", "hola", dialog.ExpectMenu)
	h.step("m3", "mi cuil es 20-31456789-8", dialog.ExpectChoice, i18n.M("cuil.what"))
	h.step("m3", "volver", dialog.ExpectMenu)
	// A question answered, then what to do with the CUIL it carried.
	h.step("m3", "me dice que el cuil 20-31456789-8 no existe", dialog.ExpectChoice,
		i18n.M("faq.answer.error.cuil_unknown"), i18n.M("cuil.what"))
}

// What the CUIL is for, said in the person's words rather than tapped,
// starts that flow on it: the bot said it had the CUIL and must not ask
// for it again. A question asked there is answered, and the CUIL kept.
func TestCUILActionInWords(t *testing.T) {
	tests := []struct {
		text string
		next dialog.Expect
		want []i18n.Message
	}{
		{"recuperar", dialog.ExpectDNI, []i18n.Message{i18n.M("recover.intro")}},
		{"me olvidé la clave", dialog.ExpectDNI, []i18n.Message{i18n.M("recover.intro")}},
		{"quiero crearla", dialog.ExpectFirstNames, []i18n.Message{i18n.M("create.checklist")}},
		{"cambiar la clave", dialog.ExpectCurrentKey, nil},
		{"sirve para la afip?", dialog.ExpectChoice, []i18n.Message{i18n.M("faq.answer.key.not_afip"), i18n.M("cuil.what")}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			h := newHarness(t)
			withKey(h, "Primera2024a")
			const chat = "words"
			h.step(chat, "hola", dialog.ExpectMenu)
			h.step(chat, maria, dialog.ExpectChoice, i18n.M("cuil.what"))
			rs := h.step(chat, tt.text, tt.next, tt.want...)
			if has(rs, i18n.M("ask.cuil")) {
				t.Fatalf("the CUIL was asked again:\n%s", h.dump(rs))
			}
		})
	}
}

// The CUIL itself typed where the bot offers to check one is checked.
func TestCUILAtTheCheckOffer(t *testing.T) {
	h := newHarness(t)
	const chat = "offer"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "4", dialog.ExpectChoice)
	h.step(chat, "Tengo la clave bloqueada", dialog.ExpectChoice, i18n.M("trouble.offer_check"))
	h.step(chat, "27-35999888-6", dialog.ExpectDNI, i18n.M("check.prove"))
	h.step(chat, "35999888", dialog.ExpectBirthDate)
	h.step(chat, "25/07/1990", dialog.ExpectChoice, i18n.M("check.registered"), i18n.M("check.no_key"))
	h.step(chat, "20-31456789-8", dialog.ExpectDNI, i18n.M("check.prove"))
	h.step(chat, "31456789", dialog.ExpectBirthDate)
	h.step(chat, "14/03/1985", dialog.ExpectChoice, i18n.M("check.registered"), i18n.M("check.offer_create"))
	// The creation offered (no key): declined, the problems' menu.
	h.step(chat, "no", dialog.ExpectChoice, i18n.M("trouble.ask"))
	h.step(chat, "1", dialog.ExpectChoice, i18n.M("trouble.offer_check"))
	h.step(chat, "sí, es 20-31456789-8", dialog.ExpectDNI, i18n.M("check.prove"))
}

// The CUIL, names and data typed at the CUIL step are all taken.
func TestDataWithTheCUIL(t *testing.T) {
	h := newHarness(t)
	const chat = "dump"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "1", dialog.ExpectCUIL)
	h.step(chat, "20-31456789-8, María Belén Gómez Ruiz, 14/03/1985, 31.456.789", dialog.ExpectChoice,
		i18n.M("data.taken"), question1)
}

// A date typed as the option of a date question is that option, in any of
// the formats dates are read in.
func TestDateQuestionTakesAnyDateFormat(t *testing.T) {
	h := newHarness(t)
	const chat = "dates"
	h.toFirstNamesStep(chat)
	h.send(chat, "María Belén")
	h.send(chat, "Gómez Ruiz")
	h.send(chat, "14/03/1985")
	rs := h.step(chat, "31456789", dialog.ExpectChoice, question1)
	for _, q := range h.questions(maria) {
		o := q.Options[q.Answer]
		answer := strconv.Itoa(q.Answer + 1)
		if q.Kind == "dni_issue_date" && !o.None {
			answer = strings.ReplaceAll(o.Text, "/", "-") // 22-08-2017 for 22/08/2017
		}
		rs = h.send(chat, answer)
	}
	if !has(rs, i18n.M("questions.ok")) {
		t.Fatalf("the date answer was not taken:\n%s", h.dump(rs))
	}
}

// heldOutLines reads one of the FAQ's held-out sets.
func heldOutLines(t testing.TB, path string) []faq.Example {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []faq.Example
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var ex faq.Example
		if err := json.Unmarshal(sc.Bytes(), &ex); err != nil {
			t.Fatal(err)
		}
		out = append(out, ex)
	}
	return out
}

// The rules that read values first change nothing of what a question
// means: every held-out FAQ message, typed at the menu or at a name step,
// is acted on as the classifier alone understands it, or, labelled out of
// scope, answered as out of scope (elsewhere.go).
func TestHeldOutMeansTheSameThroughTheEngine(t *testing.T) {
	clf := classifier(t)
	rec := &events{}
	h := newHarness(t, dialog.WithRecorder(rec))
	var exs []faq.Example
	for _, path := range []string{"faq/testdata/heldout.jsonl", "faq/testdata/heldout_en.jsonl"} {
		exs = append(exs, heldOutLines(t, path)...)
	}
	for _, at := range []string{"menu", "first_names"} {
		t.Run(at, func(t *testing.T) {
			for i, ex := range exs {
				chat := at + strconv.Itoa(i)
				h.step(chat, "hola", dialog.ExpectMenu)
				if at == "first_names" {
					h.step(chat, "1", dialog.ExpectCUIL)
					h.step(chat, maria, dialog.ExpectFirstNames)
				}
				before, elsewhere := len(rec.named("faq")), len(rec.named("out_of_scope"))
				rs := h.send(chat, ex.Text)
				if at == "first_names" && last(rs).Expect == dialog.ExpectLastNames {
					t.Errorf("%q taken as a name", ex.Text)
					continue
				}
				g := clf.Classify(ex.Text)[0]
				answered := g.Intent != faq.None && g.Score >= faq.AnswerThreshold
				got := rec.named("faq")
				switch {
				case ex.Intent == faq.None && len(got) == before && len(rec.named("out_of_scope")) > elsewhere:
					// Out of scope as labelled, where the classifier
					// errs ("are you a real person or a bot", handoff
					// 0.95): told where to go, or what the bot is.
				case answered && (len(got) == before || got[len(got)-1].Intent != g.Intent):
					t.Errorf("%q: the classifier says %s (%.2f), the engine did not act on it:\n%s", ex.Text, g.Intent, g.Score, h.dump(rs))
				case !answered && len(got) != before:
					t.Errorf("%q: the classifier is unsure, the engine answered %s", ex.Text, got[len(got)-1].Intent)
				}
			}
		})
	}
}

// A request said with several labelled data ("cuil …, dni …, nací el …")
// is the request: the labels left once the data are read ("mi cuil es y
// mi dni") are not a question about the CUIL, and every datum is taken.
func TestRequestWithLabelledData(t *testing.T) {
	h := newHarness(t)
	withKey(h, "Primera2024a")
	h.step("d1", "hola", dialog.ExpectMenu)
	h.step("d1", "me olvidé la clave, mi cuil es 20-31456789-8 y mi dni 31.456.789", dialog.ExpectBirthDate,
		i18n.M("recover.intro"), i18n.M("data.taken", "what", i18n.M("field.dni")))
	h.step("d1", "14/03/1985", dialog.ExpectChoice, question1)
	h.step("d2", "hola", dialog.ExpectMenu)
	h.step("d2", "me olvidé la clave. cuil 20-31456789-8, dni 31456789, nací el 14/03/1985", dialog.ExpectChoice,
		i18n.M("recover.intro"), question1)
}

// A question asked as the chat's first message is answered after the
// greeting, not lost under it (CONVERSATION: a question in their own words
// is answered wherever it is asked); the person then rates it and is at
// the menu.
func TestFirstMessageQuestionIsAnswered(t *testing.T) {
	h := newHarness(t)
	h.step("q1", "sirve para la afip?", dialog.ExpectChoice,
		i18n.M("welcome"), i18n.M("faq.answer.key.not_afip"), i18n.M("rate.ask"))
	h.step("q1", "1", dialog.ExpectMenu, i18n.M("rate.thanks"))
	// A greeting is still greeted, with the menu.
	h.step("q2", "hola", dialog.ExpectMenu, i18n.M("welcome"), i18n.M("menu.ask"))
}

// "No sé" at an identity question, or an answer in words that is none of
// the options, says where the answer is found (and "none of these" when
// it is not shown), counts nothing, and asks the same question again; "no
// me acuerdo" there is about the answer, not the key.
func TestNotKnowingAnIdentityAnswer(t *testing.T) {
	h := newHarness(t)
	const chat = "notknown"
	h.toDNIStep(chat)
	h.step(chat, "31456789", dialog.ExpectChoice, question1)
	kind := h.questions(maria)[0].Kind
	for _, text := range []string{"no sé", "No me acuerdo", "ni idea", "Frigorífico Patagonia", "no entiendo la pregunta", "¿Qué significa?", "no sé qué poner"} {
		rs := h.step(chat, text, dialog.ExpectChoice, i18n.M(i18n.Key("question.hint."+string(kind))), question1)
		if has(rs, i18n.M("offer.switch")) {
			t.Fatalf("%q read as the key forgotten:\n%s", text, h.dump(rs))
		}
	}
	rs := h.answerQuestions(chat, maria, false)
	if got := last(rs).Expect; got != dialog.ExpectNewKey {
		t.Fatalf("after the questions: expect %q\n%s", got, h.dump(rs))
	}
}

// People often write their data before anything else, or after the bot
// said it had their CUIL. Data the bot cannot take yet (no flow chosen)
// get what to do first, not "Eso no lo sé responder".
func TestPersonalDataBeforeAFlow(t *testing.T) {
	tests := []struct {
		name, text string
		cuil       bool // typed after the CUIL
	}{
		{"DNI at the menu", "35218904", false},
		{"date at the menu", "21/07/1990", false},
		{"whole name at the menu", "Lucía Fernández", false},
		{"labelled DNI at the menu", "mi dni es 35.218.904", false},
		// Kept for the flow chosen (a data probe: they were asked again).
		{"data at the CUIL's offer", "María Belén Gómez Ruiz, nací el 14 de marzo de 1985, dni 31.456.789", true},
		{"DNI at the CUIL's offer", "31456789", true},
	}
	after := map[string]dialog.Expect{"data at the CUIL's offer": dialog.ExpectChoice, "DNI at the CUIL's offer": dialog.ExpectFirstNames}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			const chat = "early"
			h.step(chat, "hola", dialog.ExpectMenu)
			want, next := i18n.M("data.choose_first"), dialog.ExpectMenu
			if tt.cuil {
				h.step(chat, maria, dialog.ExpectChoice, i18n.M("cuil.what"))
				want, next = i18n.M("data.choose_first_cuil_kept"), dialog.ExpectChoice
			}
			rs := h.step(chat, tt.text, next, want)
			if has(rs, i18n.M("faq.answer.none")) {
				t.Fatalf("data answered as not understood:\n%s", h.dump(rs))
			}
			if tt.cuil {
				// The CUIL is still held: choosing goes on with it, and
				// with the data kept.
				h.step(chat, "1", after[tt.name], i18n.M("create.checklist"), i18n.M("data.taken"))
			}
		})
	}
	// Data as the very first message: the greeting, then the same.
	h := newHarness(t)
	h.step("first", "35218904", dialog.ExpectMenu, i18n.M("welcome"), i18n.M("data.choose_first"))

	// A single unknown word is not taken for a name.
	h = newHarness(t)
	h.step("word", "hola", dialog.ExpectMenu)
	h.step("word", "asdf", dialog.ExpectMenu, i18n.M("faq.answer.none"))
}

// TestDataTypedWithTheCUILAtTheMenu: "<CUIL> <DNI> nací el <date>" at the
// menu is asked what the CUIL is for; the flow chosen then asked the DNI
// and the date again (found by a probe). They are carried to it, by tap
// or in words. Not a bare date (the DNI's issue date, copied from the
// card, was counted as a wrong birth date), nor to a flow asked with data
// of its own: another CUIL, a correction (a regression probe).
func TestDataTypedWithTheCUILAtTheMenu(t *testing.T) {
	for _, choice := range []string{"1", "quiero crear la clave"} {
		t.Run(choice, func(t *testing.T) {
			h := newHarness(t)
			const chat = "carry"
			h.step(chat, "hola", dialog.ExpectMenu)
			h.step(chat, maria+" 31456789 nací el 14/03/1985", dialog.ExpectChoice, i18n.M("cuil.what"))
			rs := h.step(chat, choice, dialog.ExpectFirstNames, i18n.M("data.taken"))
			if has(rs, i18n.M("ask.dni")) || has(rs, i18n.M("ask.birth_date")) {
				t.Fatalf("asked again:\n%s", h.dump(rs))
			}
			h.step(chat, "María Belén", dialog.ExpectLastNames)
			h.step(chat, "Gómez Ruiz", dialog.ExpectChoice, question1)
		})
	}
	h := newHarness(t)
	h.step("bare", "hola", dialog.ExpectMenu)
	h.step("bare", maria+" 31456789 22/08/2017", dialog.ExpectChoice, i18n.M("cuil.what"))
	h.step("bare", "1", dialog.ExpectFirstNames)
	h.step("bare", "María Belén", dialog.ExpectLastNames)
	if rs := h.step("bare", "Gómez Ruiz", dialog.ExpectBirthDate); has(rs, i18n.M("data.mismatch")) {
		t.Fatalf("a bare date carried as the birth date:\n%s", h.dump(rs))
	}
	h.step("other", "hola", dialog.ExpectMenu)
	h.step("other", maria+" 31456789 nací el 14/03/1985", dialog.ExpectChoice, i18n.M("cuil.what"))
	if rs := h.step("other", "quiero crear la clave de mi papá, cuil 20-12604337-7", dialog.ExpectFirstNames); has(rs, i18n.M("data.taken")) {
		t.Fatalf("data carried to another CUIL:\n%s", h.dump(rs))
	}
}

// Words that speak of the step, typed alone at the name steps, are what
// they mean and never a name: saved as the surname, "anterior" or "basta"
// failed the validation and lost an attempt (a probe of people's words).
// Back is "volver"; what has no name is cancelled as "cancelar" is;
// words that are also surnames (Basta, Stop, Terminar) offer to leave, and
// a "no" takes the same word as the name next; a pause is acknowledged;
// the rest asks again, kindly.
func TestStepWordsAtTheNameSteps(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		text   string
		expect dialog.Expect
		want   i18n.Key
	}{
		{"anterior", dialog.ExpectFirstNames, "ask.first_names"},
		{"Previous", dialog.ExpectFirstNames, "ask.first_names"},
		{"siguiente", dialog.ExpectLastNames, "data.no_skip"},
		{"continuar", dialog.ExpectLastNames, "data.no_skip"},
		{"seguir", dialog.ExpectLastNames, "data.no_skip"},
		{"next", dialog.ExpectLastNames, "data.no_skip"},
		{"skip", dialog.ExpectLastNames, "data.no_skip"},
		{"done", dialog.ExpectLastNames, "data.no_skip"},
		{"repetir", dialog.ExpectLastNames, "ask.last_names"},
		{"borrar", dialog.ExpectLastNames, "ask.last_names"},
		{"stop", dialog.ExpectChoice, "offer.leave"},
		{"Basta", dialog.ExpectChoice, "offer.leave"},
		{"terminar", dialog.ExpectChoice, "offer.leave"},
		{"dejá", dialog.ExpectChoice, "offer.leave"},
		{"fin", dialog.ExpectMenu, "cancel.done"},
		{"me arrepentí", dialog.ExpectMenu, "cancel.done"},
		{"aguardá", dialog.ExpectLastNames, "pause.ok"},
		{"frená", dialog.ExpectLastNames, "pause.ok"},
		{"wait", dialog.ExpectLastNames, "pause.ok"},
		{"hold on", dialog.ExpectLastNames, "pause.ok"},
		{"mañana", dialog.ExpectLastNames, "pause.later"},
		{"ups", dialog.ExpectLastNames, "reaction.ok"},
		{"uy", dialog.ExpectLastNames, "reaction.ok"},
		{"sorry", dialog.ExpectLastNames, "reaction.ok"},
		{"oops!", dialog.ExpectLastNames, "reaction.ok"},
		{"tomá", dialog.ExpectLastNames, "ask.last_names"},
		{"va", dialog.ExpectLastNames, "ask.last_names"},
		{"sure", dialog.ExpectLastNames, "ask.last_names"},
		{"asesor", dialog.ExpectChoice, "offer.switch"},
	}
	for i, tt := range tests {
		for _, first := range []bool{true, false} {
			chat := fmt.Sprintf("words-%d-%v", i, first)
			h.toFirstNamesStep(chat)
			expect, want := tt.expect, tt.want
			if !first {
				h.step(chat, "María Belén", dialog.ExpectLastNames)
			} else {
				// At the first names, the same a step earlier.
				switch expect {
				case dialog.ExpectLastNames:
					expect = dialog.ExpectFirstNames
					if want == "ask.last_names" {
						want = "ask.first_names"
					}
				case dialog.ExpectFirstNames:
					expect, want = dialog.ExpectCUIL, "ask.cuil"
				}
			}
			h.step(chat, tt.text, expect, i18n.M(want))
		}
	}
	// "Basta" is a surname too: "sí" leaves, "no" takes it next.
	h.toFirstNamesStep("basta")
	h.step("basta", "Luz", dialog.ExpectLastNames)
	h.step("basta", "basta", dialog.ExpectChoice, i18n.M("offer.leave"))
	h.step("basta", "no", dialog.ExpectLastNames, i18n.M("ask.last_names"))
	h.step("basta", "Basta", dialog.ExpectBirthDate)
	h.step("basta", "volver", dialog.ExpectLastNames)
	h.step("basta", "Stop", dialog.ExpectChoice, i18n.M("offer.leave"))
	h.step("basta", "sí", dialog.ExpectMenu, i18n.M("cancel.done"))
	// At the other data steps they are none of the data either.
	h.toBirthDateStep("date")
	h.step("date", "siguiente", dialog.ExpectBirthDate, i18n.M("data.no_skip"))
	h.step("date", "ups", dialog.ExpectBirthDate, i18n.M("reaction.ok"))
	h.step("date", "esperá", dialog.ExpectBirthDate, i18n.M("date.not_known"))
	h.step("date", "basta", dialog.ExpectChoice, i18n.M("offer.leave"))
	h.step("date", "no", dialog.ExpectBirthDate)
	h.step("date", "14/03/1985", dialog.ExpectDNI)
	// Names that are words are still names (Fina, not Fin).
	h.toFirstNamesStep("names")
	for _, name := range []string{"Graciela", "Luz", "Consuelo", "Dolores", "Rosario", "Amparo", "Mercedes",
		"Soledad", "Victoria", "Paz", "Ángeles", "Cruz", "Blanca", "Belén", "Fina", "María Fina"} {
		h.step("names", name, dialog.ExpectLastNames)
		h.step("names", "volver", dialog.ExpectFirstNames)
	}
	h.step("names", "María Belén", dialog.ExpectLastNames)
	for _, name := range []string{"Luz", "Paz", "Cruz", "Del Valle", "Soledad", "Blanca", "Mercedes"} {
		h.step("names", name, dialog.ExpectBirthDate)
		h.step("names", "volver", dialog.ExpectLastNames)
	}
}

// What is refused at a name step is told what fits it: "sin números ni
// signos" was said to texts with neither (a probe of people's words). Not
// knowing gets where the names are, an initial to write it whole, a
// surname typed without its apostrophe to write it as on the DNI, a
// question about the married name its answer, the surname typed first to
// write only the names; "me voy" offers to leave. Names with words of two
// letters are taken, bare or after their label.
func TestNameStepHints(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		text   string
		last   bool // at the surnames
		expect dialog.Expect
		want   i18n.Key
	}{
		{"no sé", false, dialog.ExpectFirstNames, "names.not_known"},
		{"no entiendo", true, dialog.ExpectLastNames, "names.not_known"},
		{"me voy", false, dialog.ExpectChoice, "offer.leave"},
		{"Lucia S.", false, dialog.ExpectFirstNames, "names.initial"},
		{"M. Belén", false, dialog.ExpectFirstNames, "names.initial"},
		{"d angelo", true, dialog.ExpectLastNames, "names.apostrophe"},
		{"o connor", true, dialog.ExpectLastNames, "names.apostrophe"},
		{"el de casada o el de soltera?", true, dialog.ExpectLastNames, "names.married"},
		{"¿va el apellido de casada?", true, dialog.ExpectLastNames, "names.married"},
		{"DEL RIO MARIA DE LOS ANGELES", false, dialog.ExpectFirstNames, "names.surname_first"},
		{"Graciela 2", false, dialog.ExpectFirstNames, "names.format"},
		{"Mi Ran", false, dialog.ExpectLastNames, "ask.last_names"},
		{"me llamo Mi Ran", false, dialog.ExpectLastNames, "ask.last_names"},
		{"mi nombre es Si Woo", false, dialog.ExpectLastNames, "ask.last_names"},
		{"Im", true, dialog.ExpectBirthDate, "ask.birth_date"},
		{"mi apellido es Im", true, dialog.ExpectBirthDate, "ask.birth_date"},
		{"mi apellido es O", true, dialog.ExpectBirthDate, "ask.birth_date"},
		// Alone, "ok", "sí" and "O" answer, or are a letter: how to have
		// them taken as the name is said.
		{"Ok", true, dialog.ExpectLastNames, "names.label.last_names"},
		{"O", true, dialog.ExpectLastNames, "names.label.last_names"},
		{"si", false, dialog.ExpectFirstNames, "names.label.first_names"},
		// A label at the other name step corrects that one, whole.
		{"mi nombre es Si Woo", true, dialog.ExpectLastNames, "data.taken"},
	}
	for i, tt := range tests {
		chat := fmt.Sprintf("hint-%d", i)
		h.toFirstNamesStep(chat)
		if tt.last {
			h.step(chat, "María Belén", dialog.ExpectLastNames)
		}
		rs := h.step(chat, tt.text, tt.expect, i18n.M(tt.want))
		if tt.want != "names.format" && has(rs, i18n.M("names.format")) || has(rs, i18n.M("greeting.again")) {
			t.Errorf("%q:\n%s", tt.text, h.dump(rs))
		}
	}
}

// Several data in one message where the CUIL is asked were dropped ("soy
// … dni … nací el …" got "Eso parece un número de DNI", "nací el …" "El
// CUIL tiene 11 números"; a probe of people's words): what the flow asks
// is noted and the CUIL asked, and taken once it comes. Never for another
// CUIL: one whose middle digits are not the DNI noted takes nothing. At
// the menu, the same before a flow is chosen. A CUIL in a message that
// gets "¿Quisiste decir…?" is kept for the option chosen.
func TestDataAtTheCUILStepAreKept(t *testing.T) {
	h := newHarness(t)
	h.step("all", "hola", dialog.ExpectMenu)
	h.step("all", "1", dialog.ExpectCUIL)
	h.step("all", "soy maría belén gómez ruiz dni 31456789 nací el 14/3/85", dialog.ExpectCUIL,
		i18n.M("data.taken"), i18n.M("ask.cuil"))
	// The names typed with them too (a data probe: they were asked
	// again). Said noted when typed, not again once the CUIL came.
	if rs := h.step("all", maria, dialog.ExpectChoice, question1); has(rs, i18n.M("data.taken")) {
		t.Errorf("said noted again:\n%s", h.dump(rs))
	}

	h.step("date", "hola", dialog.ExpectMenu)
	h.step("date", "1", dialog.ExpectCUIL)
	h.step("date", "nací el 14/3/85", dialog.ExpectCUIL, i18n.M("data.taken"))
	h.step("date", "mi cuil es "+maria, dialog.ExpectFirstNames)
	h.step("date", "María Belén", dialog.ExpectLastNames)
	h.step("date", "Gómez Ruiz", dialog.ExpectDNI)

	h.step("other", "hola", dialog.ExpectMenu)
	h.step("other", "2", dialog.ExpectCUIL)
	h.step("other", "dni 31456789 nací el 14/03/1985", dialog.ExpectCUIL, i18n.M("data.taken"))
	if rs := h.step("other", juan, dialog.ExpectDNI); has(rs, i18n.M("data.taken")) {
		t.Fatalf("data carried to another CUIL:\n%s", h.dump(rs))
	}

	h.step("menu", "hola", dialog.ExpectMenu)
	h.step("menu", "soy maría belén gómez ruiz dni 31456789 nací el 14/3/85", dialog.ExpectMenu, i18n.M("data.taken"))
	h.step("menu", "1", dialog.ExpectCUIL)
	if rs := h.step("menu", maria, dialog.ExpectChoice, question1); has(rs, i18n.M("data.taken")) {
		t.Errorf("said noted again:\n%s", h.dump(rs))
	}

	h.step("suggest", "hola", dialog.ExpectMenu)
	h.step("suggest", strings.ReplaceAll(maria, "-", "")+" la clave", dialog.ExpectChoice, i18n.M("suggest.ask"))
	h.step("suggest", "Crear la clave", dialog.ExpectFirstNames)
}

// TestStepWordTwiceIsTheName: surnames that are also words of the step
// (Toma, Mañana, Para, Espera, Uy, Borra) were refused for ever at
// the names (a regression probe): typed again, they are the name.
func TestStepWordTwiceIsTheName(t *testing.T) {
	h := newHarness(t)
	for _, w := range []string{"Toma", "Mañana", "Para", "Espera", "Uy", "Borra"} {
		chat := "sw-" + w
		h.toFirstNamesStep(chat)
		h.step(chat, "María Belén", dialog.ExpectLastNames)
		h.step(chat, w, dialog.ExpectLastNames)
		h.step(chat, w, dialog.ExpectBirthDate)
	}
	// Another word between them is no repetition.
	h.toFirstNamesStep("sw-other")
	h.step("sw-other", "María Belén", dialog.ExpectLastNames)
	h.step("sw-other", "Toma", dialog.ExpectLastNames)
	h.step("sw-other", "espera", dialog.ExpectLastNames)
	h.step("sw-other", "Toma", dialog.ExpectLastNames)
}

// TestCarriedDNIDroppedIsSaid: data noted at the CUIL step whose DNI is
// not the CUIL's middle digits are not used, and the person is told why
// (a regression probe: "Anoté tu DNI…", then asked again unsaid).
func TestCarriedDNIDroppedIsSaid(t *testing.T) {
	h := newHarness(t)
	h.step("typo", "hola", dialog.ExpectMenu)
	h.step("typo", "1", dialog.ExpectCUIL)
	h.step("typo", "dni 31456798 nací el 14/03/1985", dialog.ExpectCUIL, i18n.M("data.taken"))
	h.step("typo", maria, dialog.ExpectFirstNames, i18n.M("carry.dropped"))
}

// TestBirthDateCorrectedAtTheDNI: "perdón, me equivoqué, es 21/07/1990"
// where the DNI is asked, the birth date typed wrong a step before, got
// the FAQ's answer on failed validations (the classifier read "me
// equivoqué") and the date was dropped: the person, who had corrected
// it, typed the DNI and the typo was judged and counted (a data probe).
// A date with words of a correction and no other datum corrects the
// birth date; with another datum it is still not taken (see
// TestDataGivenAgainCorrectIt).
func TestBirthDateCorrectedAtTheDNI(t *testing.T) {
	for _, fix := range []string{"perdón, me equivoqué, es 14/03/1985", "me equivoqué la fecha, es el 14 de marzo de 1985",
		"perdón 14/3/85", "en realidad es 14-03-1985"} {
		t.Run(fix, func(t *testing.T) {
			h := newHarness(t)
			const chat = "datefix"
			h.toFirstNamesStep(chat)
			h.step(chat, "María Belén", dialog.ExpectLastNames)
			h.step(chat, "Gómez Ruiz", dialog.ExpectBirthDate)
			h.step(chat, "14/03/1958", dialog.ExpectDNI)
			h.step(chat, fix, dialog.ExpectDNI, i18n.M("data.taken", "what", i18n.M("field.birth_date")))
			h.step(chat, "31456789", dialog.ExpectChoice, question1)
			if l, _ := h.reg.Lockout(h.ctx, registry.CUIL(strings.ReplaceAll(maria, "-", "")), registry.LockValidation); l.Failures > 1 {
				t.Fatalf("the corrected birth date counted: %+v", l)
			}
		})
	}
}

// TestOtherDateAtTheDNIIsNoCorrection: "perdón, la de emisión es
// 10/05/2019" where the DNI is asked, the birth date right, got "Anoté tu
// fecha de nacimiento" (a regression probe of 20ad60f): the DNI's issue
// date replaced the birth date, and the DNI typed next failed the
// validation and counted. A date that words name as another one
// (emisión, vencimiento, trámite) corrects no birth date.
func TestOtherDateAtTheDNIIsNoCorrection(t *testing.T) {
	for _, other := range []string{"perdón, la de emisión es 10/05/2019", "en realidad el vencimiento es 10/05/2034"} {
		t.Run(other, func(t *testing.T) {
			h := newHarness(t)
			const chat = "otherdate"
			h.toFirstNamesStep(chat)
			h.step(chat, "María Belén", dialog.ExpectLastNames)
			h.step(chat, "Gómez Ruiz", dialog.ExpectBirthDate)
			h.step(chat, "14/03/1985", dialog.ExpectDNI)
			if rs := h.step(chat, other, dialog.ExpectDNI); has(rs, i18n.M("data.taken", "what", i18n.M("field.birth_date"))) {
				t.Fatalf("%q taken as the birth date:\n%s", other, h.dump(rs))
			}
			h.step(chat, "31456789", dialog.ExpectChoice, question1)
		})
	}
}

// TestRequestWithTheNameStartsItsFlow: "me olvidé la clave, soy Lucía
// Soledad Fernández, cuil …" got "Tengo tu CUIL. ¿Querés crear, recuperar
// o cambiar…?": the name the person introduced herself with, left to the
// classifier with the request, made it read nothing (none, 0.88), where
// the same message without the name starts the recovery (a data probe).
// The request is read without the self-introduction too.
func TestRequestWithTheNameStartsItsFlow(t *testing.T) {
	h := newHarness(t)
	withKey(h, "Primera2024a")
	h.step("r1", "me olvidé la clave, soy Lucía Soledad Fernández, cuil "+maria, dialog.ExpectDNI,
		i18n.M("recover.intro"), i18n.M("ask.dni"))
	h.step("r2", "me olvide la clave soy lucia fernandez cuil 20314567898 dni 31456789", dialog.ExpectBirthDate,
		i18n.M("recover.intro"))
	h.step("r3", "me olvidé la clave, me llamo Graciela Noemí Pérez, mi cuil es "+maria, dialog.ExpectDNI,
		i18n.M("recover.intro"))
	// A name with nothing asked is still only the CUIL's question.
	h.step("r4", "soy María Gómez, cuil "+maria, dialog.ExpectChoice)
}

// TestNotKnowingWithAWordMore: "no me acuerdo bien" where the birth date
// is asked got "¿Querés dejar lo que estabas haciendo para recuperar tu
// clave?" (read as the key forgotten), and "no lo tengo a mano, después
// sigo" where the CUIL is asked "El CUIL tiene 11 números" (a words
// probe). Not knowing a datum said with how well, or with when one goes
// on, is not knowing it: where it is found, and the step again; at an
// identity question, where the answer is.
func TestNotKnowingWithAWordMore(t *testing.T) {
	h := newHarness(t)
	h.toBirthDateStep("date")
	for _, text := range []string{"no me acuerdo bien", "no se exacto", "i don't remember exactly"} {
		h.step("date", text, dialog.ExpectBirthDate, i18n.M("date.not_known"), i18n.M("ask.birth_date"))
	}
	h.step("cuil", "hola", dialog.ExpectMenu)
	h.step("cuil", "1", dialog.ExpectCUIL)
	h.step("cuil", "no lo tengo a mano, despues sigo", dialog.ExpectCUIL, i18n.M("faq.answer.cuil.find"))
	h.toDNIStep("dni")
	h.step("dni", "no lo tengo a mano, despues sigo", dialog.ExpectDNI, i18n.M("dni.not_known"))
	h.step("dni", "31456789", dialog.ExpectChoice, question1)
	kind := h.questions(maria)[0].Kind
	h.step("dni", "no me acuerdo bien", dialog.ExpectChoice, i18n.M(i18n.Key("question.hint."+string(kind))), question1)
}
