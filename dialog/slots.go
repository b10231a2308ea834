package dialog

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// datum is a piece of personal data a step asks: how an answer is read as
// it, how it is judged against the record, and when the record calls for
// it. Values are judged as soon as they are read and never kept: the
// state holds only the likely cause of a mismatch.
type datum struct {
	// read takes the whole answer as the datum, or reports false.
	read func(t *turn, text string) (string, bool)
	// match judges a value read against the record.
	match func(v string, c *registry.Citizen) registry.Mismatch
	// applies reports whether the record calls for the datum (nil: always).
	applies func(c *registry.Citizen) bool
	// bad explains an answer that is not the datum; field names the
	// datum in "Anoté …".
	bad, field i18n.Key
	// cuilAlone, when set, explains a CUIL typed alone for the datum (it
	// reads as a wrong one, "El DNI tiene 7 u 8 números", otherwise).
	cuilAlone i18n.Key
	// notKnown, when set, answers "no sé", "no lo tengo a mano": where the
	// datum is found, for data people look up rather than know.
	notKnown i18n.Key
}

var (
	firstNamesDatum = &datum{
		read:  func(_ *turn, s string) (string, bool) { return readName(s, nameFirst) },
		match: registry.MatchFirstNames, bad: "names.format", field: "field.first_names",
		notKnown: "names.not_known",
	}
	lastNamesDatum = &datum{
		read:  func(_ *turn, s string) (string, bool) { return readName(s, nameLast) },
		match: registry.MatchLastNames, bad: "names.format", field: "field.last_names",
		notKnown: "names.not_known",
	}
	birthDateDatum = &datum{
		read: func(t *turn, s string) (string, bool) {
			d, err := registry.ParseDate(s, t.now)
			if err != nil {
				// "21071990" where the birth date is asked is that date,
				// not a DNI carried: it reads as what the step expects.
				d, err = registry.ParseCompactDate(s, t.now)
			}
			if rest, ok := afterBirthWords(s); err != nil && ok {
				// "nací el 21071990", "nací el 21 7 1990" too: read as a
				// DNI, it got "El DNI que escribiste no coincide con tu
				// CUIL" (a data probe).
				d, err = registry.ParseCompactDate(rest, t.now)
			}
			return d.Format(time.DateOnly), err == nil
		},
		match: func(v string, c *registry.Citizen) registry.Mismatch {
			d, _ := time.Parse(time.DateOnly, v) // written by read above
			return registry.MatchBirthDate(d, c)
		},
		bad: "date.format", field: "field.birth_date", notKnown: "date.not_known",
	}
	dniDatum = &datum{
		read: func(_ *turn, s string) (string, bool) {
			d, err := registry.ParseDNI(s)
			return d, err == nil
		},
		match: registry.MatchDNI, bad: "dni.format", field: "field.dni", cuilAlone: "dni.is_cuil", notKnown: "dni.not_known",
	}
	tramiteDatum = &datum{
		read: func(_ *turn, s string) (string, bool) {
			d, err := registry.ParseTramite(s)
			if rest, ok := afterPreamble(s, tramitePreamble); err != nil && ok {
				// "el tramite es 006 123 456 78": its groups are not
				// one number in a sentence, and the message got what
				// the número de trámite is (a words probe).
				d, err = registry.ParseTramite(rest)
			}
			return d, err == nil
		},
		match:   registry.MatchTramite,
		applies: func(c *registry.Citizen) bool { return c.DNITramite != "" },
		bad:     "tramite.format", field: "field.dni_tramite",
		notKnown: "tramite.not_known",
	}
)

// birthPreamble are the words said before a birth date, folded: "nací
// el", "mi fecha de nacimiento es", "born on".
var birthPreamble = set("naci", "nacida", "nacido", "el", "en", "mi", "fecha", "de", "nacimiento", "nac", "es",
	"fue", "dia", "born", "on", "the", "my", "birth", "date", "is", "of")

// tramitePreamble are the words said before a número de trámite, folded:
// "el trámite es", "nro de trámite:", "mi número de trámite es el".
var tramitePreamble = set("el", "mi", "nro", "numero", "n", "de", "del", "tramite", "es", "dni", "documento",
	"my", "the", "number", "is")

// afterBirthWords returns what follows the words said before a birth
// date in s, when s opens with them and goes on with digits.
func afterBirthWords(s string) (string, bool) { return afterPreamble(s, birthPreamble) }

// afterPreamble returns what follows the words of preamble in s, when s
// opens with them and goes on with digits.
func afterPreamble(s string, preamble map[string]bool) (string, bool) {
	i := strings.IndexFunc(s, isDigit)
	if i <= 0 {
		return "", false
	}
	ws := foldedWords(s[:i])
	if len(ws) == 0 || slices.ContainsFunc(ws, func(w string) bool { return !preamble[w] }) {
		return "", false
	}
	return s[i:], true
}

// notAtHandSaid are the usual ways of saying one has not the document at
// hand or cannot find the datum on it, folded, in words.
var notAtHandSaid = set("no lo tengo", "no la tengo", "no lo tengo a mano", "no tengo el dni", "no tengo el dni a mano",
	"no tengo el documento", "no lo encuentro", "no encuentro", "no lo veo", "donde esta", "donde lo encuentro",
	"donde lo veo", "donde figura", "cual es", "no tengo",
	// the card misplaced ("no se donde esta mi dni", "no lo encuentro
	// al dni" got the DNI's format hint; a people probe)
	"no se donde", "no se donde esta", "no se donde deje", "no se donde lo deje", "no se donde puse",
	"no se donde lo puse", "no se donde quedo",
	"i don t have it", "i dont have it", "don t have it", "i don t have it with me", "not at hand", "where is it",
	"i can t find it", "i cant find it", "i don t have my dni")

func notAtHand(text string) bool {
	ws := foldedWords(text)
	return notAtHandSaid[strings.Join(ws, " ")]
}

// datumWords name what is asked, after "no sé" or "no me acuerdo": "no me
// acuerdo la fecha", "no sé mi cuil", "no lo tengo, lo busco".
var datumWords = set("la", "el", "al", "mi", "su", "de", "del", "fecha", "nacimiento", "dni", "documento", "numero",
	"nro", "cuil", "cual", "es", "era", "ahora", "aca", "a", "mano", "lo", "busco", "buscar", "tengo", "que",
	"date", "birth", "my", "number", "it",
	// how well, and when the person goes on ("no me acuerdo bien" was the
	// key forgotten, its recovery offered at the birth date; "no lo tengo
	// a mano, después sigo" a CUIL's format error; a words probe)
	"bien", "exacto", "exactamente", "justo", "despues", "luego", "sigo", "sigue", "vuelvo", "escribo", "te",
	"mas", "tarde", "well", "exactly", "later")

// lookingItUp are the ways of saying one goes to look the datum up.
var lookingItUp = set("lo busco", "ya lo busco", "espera que lo busco", "esperame que lo busco", "dame un minuto",
	"espera", "esperame", "aguarda", "un momento", "un segundo", "ahi lo busco", "dejame buscarlo", "lo voy a buscar")

// doesNotKnow reports whether text says the person does not know the
// datum asked, or has it not at hand, or goes to look for it: "no sé",
// "no me acuerdo la fecha", "ni idea", "no lo tengo", "esperá que lo
// busco". Such text is none of the data, and before this was read as a
// question ("no me acuerdo": the key forgotten, recovery offered in the
// middle of creating one) or as a malformed datum.
func doesNotKnow(text string) bool {
	if strings.ContainsFunc(text, isDigit) {
		return false
	}
	ws := withoutWhatIf(foldedWords(text))
	if lookingItUp[strings.Join(ws, " ")] {
		return true
	}
	for len(ws) > 0 {
		said := strings.Join(ws, " ")
		if notKnownSaid[said] || notAtHandSaid[said] {
			return true
		}
		if !datumWords[ws[len(ws)-1]] {
			return false
		}
		ws = ws[:len(ws)-1]
	}
	return false
}

// whatIfOpeners open a question of what to do when one does not know the
// datum, folded: "¿qué pasa si no me acuerdo la fecha?" got the answer
// about failed validations, "que hago si no me acuerdo la fecha de
// nacimiento" the offer to recover the key (a words probe). Asked so,
// not knowing is answered as said: where the datum is.
var whatIfOpeners = [][]string{
	{"que", "pasa", "si"}, {"que", "hago", "si"}, {"que", "puedo", "hacer", "si"}, {"y", "si"}, {"y", "que", "pasa", "si"},
	{"what", "if"}, {"what", "happens", "if"}, {"what", "do", "i", "do", "if"},
}

// withoutWhatIf returns ws without the opener of a "what if" question.
func withoutWhatIf(ws []string) []string {
	for _, o := range whatIfOpeners {
		if len(ws) > len(o) && slices.Equal(ws[:len(o)], o) {
			return ws[len(o):]
		}
	}
	return ws
}

// corrects reports whether text says a datum given before was wrong ("me
// equivoqué, es …", "perdón, el correcto es …"): with a CUIL in it, the
// CUIL to use, whatever else the classifier reads in "me equivoqué".
// A message opening with "no, es …" or "no, era …" corrects too: "no, es
// 20-…" right after the CUIL was answered as whether this chat is
// official (the classifier's reading of "no, es"), and the CUIL typed lost
// (a people probe).
func corrects(text string) bool {
	if saysWords(text, correctionWords) {
		return true
	}
	ws := foldedWords(text)
	return slices.ContainsFunc(correctionOpeners, func(o []string) bool {
		return len(ws) >= len(o) && slices.Equal(ws[:len(o)], o)
	})
}

var correctionWords = []string{"me equivoque", "perdon", "el correcto", "corrijo", "en realidad", "es este",
	"sorry", "i meant", "mistake"}

// correctionOpeners open, folded, a message that says what a datum is
// instead: "no, es …", "no era …", "no, it's …".
var correctionOpeners = [][]string{{"no", "es"}, {"no", "era"}, {"no", "son"}, {"no", "it", "s"}, {"no", "its"},
	{"no", "it", "is"}}

// dayMonth is a day and a month with no year: "21/07", "21-7", "21 de
// julio", "july 21" (monthNames, mask.go's).
var dayMonth = regexp.MustCompile(`^(?:(\d{1,2})\s*[/.-]\s*(\d{1,2})|(\d{1,2})\s+(?:de\s+)?` + monthNames +
	`|` + monthNames + `\s+(\d{1,2}))$`)

// noYear reports whether text is a day and a month, and no year.
func noYear(text string) bool {
	m := dayMonth.FindStringSubmatch(strings.ToLower(strings.TrimSpace(text)))
	if m == nil {
		m = dayMonth.FindStringSubmatch(strings.Join(foldedWords(text), " "))
	}
	if m == nil {
		return false
	}
	d, _ := strconv.Atoi(m[1] + m[3] + m[4])
	if m[2] == "" {
		return d >= 1 && d <= 31
	}
	mo, _ := strconv.Atoi(m[2])
	return d >= 1 && d <= 31 && mo >= 1 && mo <= 12
}

// monthFirst reports whether text is a date whose first number can only
// be the month: the second is a day past 12.
func monthFirst(text string) bool {
	m := dateShaped.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil {
		return false
	}
	first, _ := strconv.Atoi(m[1])
	second, _ := strconv.Atoi(m[2])
	return first >= 1 && first <= 12 && second > 12 && second <= 31
}

// sureOfQuestion reports whether the classifier is sure the message asks
// something in scope.
func (t *turn) sureOfQuestion() bool {
	_, ok := t.classify()
	return ok
}

// conversation reports whether text is only what people say in passing
// ("y bueno", "dale", "ok", "sí"), no name: one word of those that are
// nobody's name, or several (Bueno alone is a surname).
func conversation(text string) bool {
	ws := foldedWords(text)
	switch {
	case len(ws) == 1:
		return passing[ws[0]]
	case len(ws) > 1:
		return !slices.ContainsFunc(ws, func(w string) bool { return !passing[w] && w != "y" && w != "bueno" && w != "claro" })
	}
	return false
}

// passing are the words said in passing that are nobody's name (thanks
// and greetings are the classifier's: they are answered).
var passing = set("si", "no", "ok", "okey", "oki", "dale", "listo", "ya", "yes")

// objections say the datum judged wrong was typed right, folded.
var objections = []string{"escribi bien", "puse bien", "esta bien escrito", "estan bien escritos", "es correcto",
	"son correctos", "esta correcto", "estan correctos", "no me equivoque", "esta todo bien", "igual que en el dni",
	"igual que el dni", "como dice el dni", "como esta en el dni", "como figura en el dni", "tal cual", "typed it right",
	"es asi", "asi figura", "asi esta", "asi dice", "lo puse asi", "si esta bien", "pero esta bien", "no puede ser"}

// objects reports whether text, without a digit, says the data were typed
// right.
func objects(text string) bool {
	return !strings.ContainsFunc(text, isDigit) && saysWords(text, objections)
}

// corrections adds to vals the data already taken that text gives again
// as a correction: "perdón, mi dni es …", or the DNI alone a step after a
// typo (found by a probe: refused, and the typo judged and counted). Only
// what is said to be that datum is taken again: the DNI with its label,
// with words of a correction or alone; the birth date said to be one
// ("nací el …") or corrected ("perdón, es …"); names after their label ("mi apellido es …"). Words or a
// date that come along with another datum ("21/07/1990 Córdoba capital",
// "35218904 emisión 10/05/2019") replaced right data, and the mismatch
// counted (found by a regression probe).
func (t *turn) corrections(r *reading, text string, vals map[Step]string) {
	taken := func(s Step) bool {
		_, given := vals[s]
		return !given && slices.Contains(t.st.History, s)
	}
	if r.dni != "" && taken(StepDNI) && (r.dniSaid || corrects(text) || digitsOf(text) == r.dni) {
		vals[StepDNI] = r.dni
	}
	// A date with words of a correction and no other datum ("perdón, me
	// equivoqué, es 21/07/1990" where the DNI is asked) corrects the
	// birth date: the classifier read "me equivoqué" and the date was
	// dropped, the typo judged and counted (a data probe).
	// A date named as another ("perdón, la de emisión es …") is not it: it
	// replaced a right birth date, and the validation failed and counted
	// (a regression probe).
	// A date alone where the datum after the birth date is asked fixes
	// the birth date, as the DNI alone does the DNI: "9/2/1918", then at
	// once "9/2/1981" where the DNI is asked, got "El DNI tiene 7 u 8
	// números", and the typo was judged and counted (a people probe).
	alone := dateAlone(r)
	justGiven := len(t.st.History) > 0 && t.st.History[len(t.st.History)-1] == StepBirthDate
	if r.date != "" && taken(StepBirthDate) &&
		(saysWords(text, birthWords) || corrects(text) && r.dni == "" && r.tramite == "" && r.cuil == "" &&
			!saysWords(text, otherDateWords) || alone && justGiven && !saysWords(text, otherDateWords)) {
		vals[StepBirthDate] = r.date
	}
	for _, n := range r.names {
		switch {
		case n.field == nameFirst && taken(StepFirstNames):
			vals[StepFirstNames] = n.text
		case n.field == nameLast && taken(StepLastNames):
			vals[StepLastNames] = n.text
		}
	}
}

// correctsYear reports whether text corrects the birth date's year alone:
// one number, a year, with words of a correction or of the birth ("perdón,
// era 1991", "nací en 1991", "el año es 1991").
func correctsYear(text string) bool {
	nums := strings.FieldsFunc(text, func(r rune) bool { return !isDigit(r) })
	if len(nums) != 1 || len(nums[0]) != 4 || !strings.HasPrefix(nums[0], "19") && !strings.HasPrefix(nums[0], "20") {
		return false
	}
	return corrects(text) || saysWords(text, birthWords) || saysWords(text, []string{"ano", "year"})
}

// birthWords say a date is the birth date, folded.
var birthWords = []string{"naci", "nacimiento", "nacida", "nacido", "born", "birth", "birthday"}

// otherDateWords name a date of the DNI that is not the birth date.
var otherDateWords = []string{"emision", "emitido", "emitida", "expedicion", "vencimiento", "vence", "vencido",
	"tramite", "issue", "issued", "expiry", "expires"}

// given is what a message gives for the personal-data steps.
type given struct {
	vals map[Step]string // by the step asking each
	// full is a full name, first and last names together (one run of
	// words, or two runs joined by NUL), split when judged.
	full string
}

func (g given) empty() bool { return len(g.vals) == 0 && g.full == "" }

// saidAgain reports whether text, a step word typed at a name step (when
// names), is the one typed just before at this step: Toma, Borra, Mañana,
// Luego, Para, Espera, Uy and Ay are surnames too, and typed again they
// are the name (a regression probe: refused for ever). Only a 16-bit
// digest of the word is kept in the state.
func (t *turn) saidAgain(names bool, text string) bool {
	if !names {
		return false
	}
	sum := sha256.Sum256([]byte(string(t.st.Step) + "|" + foldedPhrase(text)))
	digest := hex.EncodeToString(sum[:2])
	if t.st.StepWord == digest {
		t.st.StepWord = ""
		return true
	}
	t.st.StepWord = digest
	return false
}

// byeSurname reports whether text is a surname that reads alone as a
// goodbye ("Chau"; see wordNames).
func byeSurname(text string) bool {
	ws := foldedWords(text)
	return len(ws) == 1 && wordNames[ws[0]] && !functionWords[ws[0]]
}

// onData reads a personal datum. What reads as the datum is taken as it,
// before anything else is considered: "Graciela" is a name, not thanks;
// only words no one is named ("dale", "y bueno") and the chat's own CUIL
// where the trámite is asked are set apart first. A message carrying it
// among other data ("Graciela Noemí Pérez, DNI 24.567.890") gives them
// all. What cannot be the datum is read as the person not knowing it, an
// objection, another CUIL, or a question for the classifier.
func (t *turn) onData(text string) error {
	d := t.def().datum
	asTyped := t.st.AsTyped
	t.st.AsTyped = false
	if email, ok := registry.FindEmail(text); ok && !keyShaped(email) {
		// "lucia.fernandez@gmail.com" at the names was taken as her first
		// names and surname ("lucia", "fernandez"), and the validation
		// that followed counted a failure (a regression probe): an
		// address is no personal datum; it is added after the key.
		t.say("data.email_later")
		t.prompt()
		return nil
	}
	if !strings.ContainsFunc(text, isDigit) && insults(text) {
		// "la concha de tu madre" was read as names, surname first
		// (insult.go); "para q carajo quieren mi correo" asks why.
		if g, sure := t.classify(); sure && g.Intent == helpLost {
			return t.intent(helpLost)
		}
	}
	if t.st.Step != StepBirthDate && slices.Contains(t.st.History, StepBirthDate) && correctsYear(text) {
		// "perdón, era 1991" where the DNI is asked got the DNI's
		// format, the correction dropped, and the wrong year judged and
		// counted after the DNI (a data probe). Only the year is given,
		// and the date taken is not kept: the whole date is asked at its
		// step, then the step it interrupted.
		t.st.Pending = append([]Step{t.st.Step}, t.st.Pending...)
		t.say("date.correct_whole")
		t.enter(StepBirthDate)
		return nil
	}
	// "siguiente", "basta", "ups" speak of the step: at the names they
	// were saved as names (stepWords). Where the datum is looked up,
	// "esperá" says the person looks for it (notKnown, below).
	names := d == firstNamesDatum || d == lastNamesDatum
	if said := stepSaidIn(text); said != saidNothing && (said != saidLeave || !asTyped) &&
		(names || d.notKnown == "" || !doesNotKnow(text)) {
		if !t.saidAgain(names && said != saidLeave, text) {
			return t.onStepSaid(said)
		}
		// Typed again: the name, whatever else the word reads as
		// ("Luego" is also a goodbye).
		v, ok := d.read(t, text)
		if !ok {
			v = strings.Join(strings.Fields(text), " ")
		}
		return t.takeData(given{vals: map[Step]string{t.st.Step: v}})
	}
	if names && byeSurname(text) && t.saidAgain(true, text) {
		// "Chau" alone is a goodbye, and typed again it was a goodbye
		// again, for ever (a probe): Chau is a surname, and the same
		// word twice is the name, as for the step's words.
		toks := trimMarks(text, tokenize(text))
		return t.takeData(given{vals: map[Step]string{t.st.Step: text[toks[0].start:toks[len(toks)-1].end]}})
	}
	if ws := foldedWords(text); names && len(ws) == 1 && (ws[0] == "ok" || ws[0] == "si" || ws[0] == "o") {
		// Alone, "ok" and "sí" answer, and "o" is a letter; they are
		// also surnames (Ok, O): said how to have them taken.
		label := i18n.Key("names.label.first_names")
		if d == lastNamesDatum {
			label = "names.label.last_names"
		}
		t.say(label)
		t.prompt()
		return nil
	}
	if names && (conversation(text) || !hasLetters(text) && !strings.ContainsFunc(text, isDigit)) {
		// "y bueno", "dale", "ok" at the names: no name (found by
		// re-probing: "y bueno" was taken as first names, and the
		// mismatch counted).
		t.prompt()
		return nil
	}
	if t.st.Step == StepTramite && digitsOf(text) == string(t.st.CUIL) {
		// The CUIL where the número de trámite is asked: another number
		// (found by a probe: it was judged, and counted).
		t.say("tramite.is_cuil")
		t.prompt()
		return nil
	}
	if d == birthDateDatum && centuryInDoubt(text, t.now) {
		t.say("date.full_year")
		t.prompt()
		return nil
	}
	if names && len(foldedWords(text)) >= 2 && t.asksAtDataStep(text) {
		// "es gratis?", "cuesta plata?" where the surname is asked were
		// taken as the surname, and the surname typed next read as no
		// date (a people probe). A question's first word and its mark
		// open a question, not a name; "¿Cuesta?" alone is a surname.
		return t.questionOr(text, nil, nameHint(text, t.st.Step == StepFirstNames))
	}
	if v, ok := d.read(t, text); ok {
		if d == lastNamesDatum && t.swapLikely(v) && !t.saidAgain(true, text) {
			t.say("names.given_as_surname")
			t.prompt()
			return nil
		}
		return t.takeData(given{vals: map[Step]string{t.st.Step: v}})
	}
	// At the names only "no sé" and the like said alone: "no sé cuál es
	// mi CUIL" is the classifier's.
	if d.notKnown != "" && (!names && doesNotKnow(text) || names && (notKnown(text) || notAtHand(text))) {
		t.say(d.notKnown)
		t.prompt()
		return nil
	}
	if names && t.asksMarriedName(text) {
		t.say("names.married")
		t.prompt()
		return nil
	}
	// After a mismatch in this chat, an objection is what it reads as
	// ("pero si está bien" read as whether the key was created);
	// otherwise only when the classifier is not sure of a question.
	if objects(text) && (t.st.Failures > 0 || !t.sureOfQuestion()) {
		// "Pero yo lo escribí bien" after a mismatch got "sin números ni
		// signos": the person is heard, told what usually differs and
		// where to go when the record itself is wrong.
		t.say("data.objection")
		if t.e.hasDesk {
			t.say("hint.handoff")
		}
		t.prompt()
		return nil
	}
	r := t.reading()
	if r.cuil != "" && r.cuil != t.st.CUIL && t.st.Flow != FlowNone && r.dni == "" && r.date == "" &&
		(r.onlyCUIL || r.sentence && !r.question && (corrects(text) || !t.sureOfQuestion())) {
		// Another CUIL typed alone, or in a sentence that asks nothing,
		// where a datum is asked ("me equivoqué, es este …"): got "sin
		// números ni signos". Offered to start over with it; "no" goes on
		// with the one given. A request with it ("me olvidé la clave, mi
		// cuil es …") is the classifier's, and so is a question with it
		// however unsure the classifier is ("¿el CUIL … ya tiene
		// clave?" was offered as a correction when its score fell
		// under the threshold).
		t.offerFlow(t.st.Flow, r.cuil, i18n.M("offer.other_cuil", "cuil", r.cuil.Masked()))
		return nil
	}
	take := func() (bool, error) {
		g := t.carried(r, append([]Step{t.st.Step}, t.st.Pending...), false)
		t.corrections(r, text, g.vals)
		if g.empty() {
			return false, nil
		}
		return true, t.takeData(g)
	}
	if !r.question {
		if ok, err := take(); ok || err != nil {
			return err
		}
		if r.cuil != "" && r.cuil == t.st.CUIL {
			// The chat's own CUIL said again ("mi cuil es …", "me
			// equivoqué, es …") got an answer of the FAQ (found by a
			// probe): it is taken already; the step's datum is asked.
			key := d.cuilAlone
			if key == "" {
				key = "data.cuil_known"
			}
			t.say(key)
			t.prompt()
			return nil
		}
	}
	bad := d.bad
	if names {
		// "sin números ni signos" was said to texts with neither.
		bad = nameHint(text, t.st.Step == StepFirstNames)
	}
	if d.cuilAlone != "" && r.onlyCUIL {
		bad = d.cuilAlone
	}
	if d == birthDateDatum && noYear(text) {
		// "21/07", "21 de julio": read well but for the year, and told
		// only that it could not be read (a people probe).
		bad = "date.no_year"
	}
	if d == birthDateDatum && monthFirst(text) {
		// "07/21/1990": the month first, as a phone set to English
		// writes it; said so, rather than "no pude leer esa fecha".
		bad = "date.month_first"
	}
	return t.questionOr(text, take, bad)
}

// centuryInDoubt reports whether text holds a birth date whose year, of
// two digits, reads as a child's under 16 and as a person's of 110 or
// less a century before: "10/6/25" of a woman born in 1925 was read as
// 2025 (the century that puts the date before today), judged and counted
// (a data probe). Either reading alone is taken; a year written whole is
// in no doubt (ParseDate refuses it before the earlier pivot).
func centuryInDoubt(text string, now time.Time) bool {
	pivot := now.AddDate(-childAge, 0, 0)
	texts := []string{text}
	for _, tk := range mergeDates(text, tokenize(text), now) {
		if tk.kind == tokNum || tk.kind == tokDate {
			texts = append(texts, text[tk.start:tk.end])
		}
	}
	for _, s := range texts {
		young, err := registry.ParseDate(s, now)
		if err != nil {
			if young, err = registry.ParseCompactDate(s, now); err != nil {
				continue
			}
		}
		old, err := registry.ParseDate(s, pivot)
		if err != nil {
			old, err = registry.ParseCompactDate(s, pivot)
		}
		if err == nil && young.After(pivot) && !old.Equal(young) && !old.Before(now.AddDate(-oldestAge, 0, 0)) {
			return true
		}
	}
	return false
}

// childAge and oldestAge bound the ages a two-digit year may mean.
const childAge, oldestAge = 16, 110

// swapLikely reports whether surnames typed read as first names typed in
// their place: known given names alone ("María Belén"), after first names
// holding none ("Gómez Ruiz"). Judged, the swap cost one of the three
// attempts (a data probe); told first, the person goes back with
// «volver», or types them again to have them taken. Only the words typed
// are read, never the record: what is said is the same for any CUIL.
func (t *turn) swapLikely(surnames string) bool {
	return t.st.NoGivenName && slices.Contains(t.st.History, StepFirstNames) && givenOnly(surnames)
}

// asksMarriedName reports whether text asks which surname goes, the
// married or the maiden one ("¿el de casada o el de soltera?"): in a few
// words, of which the classifier is sure of nothing else than why data
// do not match (which it read there, unanswered).
func (t *turn) asksMarriedName(text string) bool {
	if !saysWords(text, marriedWords) || strings.ContainsFunc(text, isDigit) || len(foldedWords(text)) > 8 {
		return false
	}
	g, sure := t.classify()
	return !sure || g.Intent == "error.data_mismatch"
}

// onStepSaid answers what a word typed alone at a name step says of it
// (stepWords): the step is kept, and nothing is judged or counted.
func (t *turn) onStepSaid(said stepSaid) error {
	switch said {
	case saidLeave:
		t.offer(Offer{Kind: OfferLeave, Msg: i18n.M("offer.leave")})
		return nil
	case saidWait:
		t.say("pause.ok")
		return nil
	case saidLater:
		t.say("pause.later")
		return nil
	case saidSkip:
		t.say("data.no_skip")
	case saidOops:
		t.say("reaction.ok")
	}
	t.prompt()
	return nil
}

// takeData takes the values given at a data step, for it and for the data
// still pending, then asks for what is still missing.
func (t *turn) takeData(g given) error {
	t.carriedDone = true
	cur := t.st.Step
	doubt := t.doubtDNI(g.vals)
	taken, err := t.judge(g, cur)
	if err != nil {
		return err
	}
	if len(taken) > 1 || len(taken) == 1 && taken[0] != cur {
		t.say("data.taken", "what", t.fieldList(taken))
	}
	if doubt {
		t.say("dni.not_cuil")
	}
	if !slices.Contains(taken, cur) {
		t.prompt()
		return nil
	}
	return t.nextData()
}

// doubtDNI leaves out of vals a DNI that is not the CUIL's middle digits,
// the first time it is typed, and reports whether it did: judged, the
// typo ("35218094" for 27-35218904-4) cost an attempt (a probe of people's
// words). Typed again, it is taken: some records differ. What is kept of
// it is a 16-bit digest with the CUIL (State.DNITold), which tells the
// same DNI again and not which it is. Only the CUIL typed is read, never
// the record.
func (t *turn) doubtDNI(vals map[Step]string) bool {
	dni, ok := vals[StepDNI]
	if !ok || dni == "" || dniOfCUIL(dni, t.st.CUIL) {
		return false
	}
	sum := sha256.Sum256([]byte(string(t.st.CUIL) + "|" + strings.TrimLeft(dni, "0")))
	digest := hex.EncodeToString(sum[:2])
	if t.st.DNITold == digest {
		return false
	}
	t.st.DNITold = digest
	delete(vals, StepDNI)
	if !slices.Contains(t.st.Pending, StepDNI) && t.st.Step != StepDNI && slices.Contains(t.st.History, StepDNI) {
		// Taken before and corrected to this one: asked at its step.
		t.st.History = slices.DeleteFunc(t.st.History, func(s Step) bool { return s == StepDNI })
		t.st.Pending = slices.DeleteFunc(t.askedData(), func(s Step) bool {
			return s != StepDNI && !slices.Contains(t.st.Pending, s)
		})
	}
	return true
}

// judge compares each value given for cur (when it asks a datum) and for
// the pending data with the record at once, keeping only the likely cause
// of a mismatch, never the value, and returns the steps it took. Which
// steps are taken depends on what was typed, never on the record, so the
// bot's next question tells nothing about it.
func (t *turn) judge(g given, cur Step) ([]Step, error) {
	st := t.st
	c, _, err := t.record() // a CUIL in no record is judged like any other
	if err != nil {
		return nil, err
	}
	if first, ok := g.vals[StepFirstNames]; ok {
		st.NoGivenName = !givenIn(first)
	} else if g.full != "" {
		st.NoGivenName = false // split with the record: nothing is read of it
	}
	vals := g.vals
	if g.full != "" {
		vals = maps.Clone(vals)
		first, last := splitName(g.full, c)
		if _, ok := vals[StepFirstNames]; !ok {
			vals[StepFirstNames] = first
		}
		if _, ok := vals[StepLastNames]; !ok && last != "" {
			vals[StepLastNames] = last
		}
	}
	steps := st.Pending
	if t.defOf(cur).datum != nil {
		steps = append([]Step{cur}, steps...)
	}
	// A datum given again replaces the one taken: judged anew, nothing
	// said of the first judgement. Only the data's last values are
	// judged together at the end, so giving one again tells nothing.
	steps = append(steps, st.History...)
	var taken []Step
	for _, s := range steps {
		v, ok := vals[s]
		if !ok || v == "" || slices.Contains(taken, s) {
			continue
		}
		delete(st.Mismatch, s)
		if m := t.defOf(s).datum.match(v, c); m != registry.Match {
			if st.Mismatch == nil {
				st.Mismatch = map[Step]string{}
			}
			st.Mismatch[s] = string(m)
		}
		if !slices.Contains(st.History, s) {
			st.History = append(st.History, s)
		}
		taken = append(taken, s)
	}
	st.Pending = slices.DeleteFunc(st.Pending, func(p Step) bool { return slices.Contains(taken, p) })
	return taken, nil
}

// carried is what the message gives for the steps wanted. The CUIL is
// taken elsewhere. A date is a birth date when said to be one, typed at
// that step, or given in a list of data rather than a sentence. request
// says the message is the one that started the flow (or gave the CUIL):
// names typed after its request are read (see carriedNames).
func (t *turn) carried(r *reading, wanted []Step, request bool) given {
	g := given{vals: map[Step]string{}}
	put := func(s Step, v string) {
		if v != "" && slices.Contains(wanted, s) {
			g.vals[s] = v
		}
	}
	put(StepDNI, r.dni)
	put(StepTramite, r.tramite)
	if r.dateSaid || !r.sentence || t.at == StepBirthDate {
		put(StepBirthDate, r.date)
	}
	full := t.carriedNames(r, wanted, put, request)
	if full != "" && (slices.Contains(wanted, StepFirstNames) || slices.Contains(wanted, StepLastNames)) {
		g.full = full
	}
	return g
}

// carriedNames reads the runs of names of a message, and returns a full
// name when one is given. A sentence gives no names: in "mi apellido es
// compuesto y me da error" no word is a surname. Labelled runs are what
// their label says. Unlabelled ones are read by the step the message
// answers: at the first names, two runs, or one with other data, are the
// full name; at the last names, the first run is the surnames; elsewhere
// only a list of data ("20-…, Ramón Quiroga, 12.604.337") gives a full
// name.
func (t *turn) carriedNames(r *reading, wanted []Step, put func(Step, string), request bool) (full string) {
	names := r.names
	if r.sentence {
		if names = requestNames(r, request, t.yesToOffer()); names == nil {
			return ""
		}
	}
	var loose []string
	lastSaid := false
	for _, n := range names {
		switch n.field {
		case nameFirst:
			put(StepFirstNames, n.text)
		case nameLast:
			put(StepLastNames, n.text)
			lastSaid = true
		case nameFull:
			full = n.text
		default:
			loose = append(loose, n.text)
		}
	}
	if len(loose) == 0 {
		return full
	}
	switch {
	case t.at == StepLastNames && len(loose) > 1 && !givenOnly(loose[1]):
		// "Quiroga, Sánchez", "Quiroga 👍 Sánchez": surnames set apart
		// are the surnames. "Quiroga" alone was judged and the missing
		// surname counted (a data probe). Decided by the words typed.
		put(StepLastNames, loose[0]+" "+loose[1])
	case t.at == StepLastNames:
		put(StepLastNames, loose[0])
		if len(loose) > 1 {
			put(StepFirstNames, loose[1])
		}
	case lastSaid && len(loose) == 1 && (t.at == StepFirstNames || r.data() > 0):
		// "María Belén y mi apellido es Gómez Ruiz" at the first names:
		// the run the surname's label leaves is the first names (a data
		// probe: only the surname was taken, and the first names just
		// typed asked again).
		put(StepFirstNames, loose[0])
	case len(loose) == 2 && t.at == StepFirstNames && givenOnly(loose[0]) && givenOnly(loose[1]):
		// "Lucía, Soledad", "Lucía 🙏 Soledad": known given names set
		// apart by a comma or an emoji are the first names. Split as a
		// full name, "Soledad" was taken as the surname, the surname
		// typed next as no date, and the mismatch counted (a data
		// probe). Decided by the words typed, never by the record.
		put(StepFirstNames, loose[0]+" "+loose[1])
	case len(loose) >= 2:
		full = loose[0] + "\x00" + loose[1]
	case r.data() > 0 && slices.Contains(wanted, StepFirstNames) && givenOnly(loose[0]):
		// Known given names only ("Lucía Soledad, 21/07/1990"): the
		// first names, the surnames asked next. Split as a full name,
		// "Soledad" was judged as the surname and the mismatch counted
		// (found by a probe). Decided by the words typed, never by the
		// record.
		put(StepFirstNames, loose[0])
	case (r.data() > 0 || t.yesToOffer()) && (t.at == StepFirstNames || len(strings.Fields(loose[0])) >= 2):
		full = loose[0]
	}
	return full
}

// requestNames are the runs of names a sentence gives when it is the
// request that started the flow: "quiero crear mi clave, soy María Belén
// Gómez Ruiz, cuil 20-…" kept the CUIL and asked the names again (a data
// probe). The runs after the request's last word, the first of them
// opened by a known given name of two words or more, with another datum
// typed: "quiero crear la clave porfa rapido 20-…" gives none. Else a run
// before it said to be the person's, so opened: "soy María Belén Gómez
// Ruiz, quiero crear mi clave, cuil 20-…" asked the names again too (a
// data probe); "soy la hija de María Belén, quiero…" gives none. Decided
// by the words typed, never by the record. yes says the message is the
// yes to an offer of the flow: "sí, Lucía Soledad Fernández" to «¿Querés
// crearla ahora?» gives the runs after the yes with no other datum (a
// words probe: the names just typed were asked).
//
// A run said to be the person's needs no other datum: "hola, mi nombre es
// Ramón Quiroga Sánchez y quisiera sacar la clave", "me llamo Florencia
// Acosta y quiero crear mi clave" asked the names again once the CUIL
// came (a people probe). Said with "mi nombre es" and more than given
// names, it is the full name (ownName): taken as the first names, the
// surnames typed with them were asked again.
func requestNames(r *reading, request, yes bool) []nameSeg {
	if !request {
		return nil
	}
	after := min(r.afterSentence, len(r.names))
	if runs := r.names[after:]; (r.data() > 0 || yes) && len(runs) > 0 && givenFirst(runs) {
		return ownNames(runs)
	}
	for _, n := range r.names[:after] {
		if (n.self || n.field == nameFirst) && givenFirst([]nameSeg{n}) {
			return ownNames([]nameSeg{n})
		}
	}
	return nil
}

// ownNames reads runs labelled as the first names ("mi nombre es …",
// "my name is …") that hold more than known given names as the full
// name: "mi nombre es Ramón Quiroga Sánchez" is all of it. Decided by the
// words typed, never by the record.
func ownNames(runs []nameSeg) []nameSeg {
	if len(runs) != 1 || runs[0].field != nameFirst || runs[0].words < 2 || givenOnly(runs[0].text) {
		return runs
	}
	n := runs[0]
	n.field = nameFull
	return []nameSeg{n}
}

// yesToOffer reports whether the message is a yes to the offer it answered.
func (t *turn) yesToOffer() bool { return t.at == StepOffer && t.e.yesOrNo(t.text) == 1 }

// givenFirst reports whether runs read as a name with a request: the
// first of them opened by a known given name, of two words or more, or
// followed by another run.
func givenFirst(runs []nameSeg) bool {
	ws := foldedWords(runs[0].text)
	return (runs[0].words >= 2 || len(runs) >= 2) && len(ws) > 0 && givenNames()[ws[0]]
}

// splitName splits name (two runs joined by NUL, or one run of words).
func splitName(name string, c *registry.Citizen) (first, last string) {
	type cand struct{ first, last string }
	var cands []cand
	if a, b, two := strings.Cut(name, "\x00"); two {
		cands = []cand{{a, b}, {b, a}}
	} else {
		ws := strings.Fields(name)
		if len(ws) < 2 {
			return name, ""
		}
		for i := len(ws) - 1; i >= 1; i-- {
			cands = append(cands, cand{strings.Join(ws[:i], " "), strings.Join(ws[i:], " ")})
		}
		for i := 1; i < len(ws); i++ {
			cands = append(cands, cand{strings.Join(ws[i:], " "), strings.Join(ws[:i], " ")})
		}
	}
	best, bestScore := cands[0], -1
	for _, cd := range cands {
		if s := closeness(registry.MatchFirstNames(cd.first, c)) + closeness(registry.MatchLastNames(cd.last, c)); s > bestScore {
			best, bestScore = cd, s
		}
	}
	return best.first, best.last
}

// closeness scores a comparison: 2 a match, 1 a near one, 0 anything else.
func closeness(m registry.Mismatch) int {
	switch m {
	case registry.Match:
		return 2
	case registry.MissingName, registry.SwappedSurnames, registry.SocialName:
		return 1
	}
	return 0
}

// fieldList names the data taken, for "Anoté tu DNI y tu apellido".
func (t *turn) fieldList(steps []Step) i18n.Message {
	fields := make([]i18n.Message, len(steps))
	for i, s := range steps {
		fields[i] = i18n.M(t.defOf(s).datum.field)
	}
	return i18n.List(fields, "list.and")
}

// personalSteps are the data the flow asks of every CUIL before the
// questions, in its order: what is asked tells nothing of the record.
func (t *turn) personalSteps() []Step {
	var out []Step
	for _, s := range t.flowDef().steps {
		if d := t.defOf(s).datum; d != nil && d.applies == nil {
			out = append(out, s)
		}
	}
	return out
}

// askedData are the personal data the flow asks of every CUIL, in its
// order: the troubleshooting check's proof asks the DNI and birth date.
func (t *turn) askedData() []Step {
	if t.st.Flow == FlowTrouble {
		return []Step{StepDNI, StepBirthDate}
	}
	return t.personalSteps()
}

// recordSteps are the data of the flow that only the record c calls for
// (the número de trámite when it holds one): asked once the others
// matched it (see dataMatched).
func (t *turn) recordSteps(c *registry.Citizen) []Step {
	var out []Step
	for _, s := range t.flowDef().steps {
		if d := t.defOf(s).datum; d != nil && d.applies != nil && d.applies(c) {
			out = append(out, s)
		}
	}
	return out
}

// nextData asks the next personal datum, or, when none is left, goes on
// to what follows them in the flow (the questions, or the current key).
// Data the message carried (typed with the CUIL, or with the request)
// are taken first, without asking.
func (t *turn) nextData() error {
	st := t.st
	if !t.carriedDone && t.read != nil {
		t.carriedDone = true
		if g := t.carried(t.read, st.Pending, true); !g.empty() {
			doubt := t.doubtDNI(g.vals)
			taken, err := t.judge(g, "")
			if err != nil {
				return err
			}
			if len(taken) > 0 && !t.carryTold {
				t.say("data.taken", "what", t.fieldList(taken))
			}
			if doubt {
				t.say("dni.not_cuil")
			}
		}
	}
	if len(st.Pending) == 0 {
		if proof := t.flowDef().proof; proof != nil {
			return proof(t)
		}
		return t.begin(t.afterData())
	}
	s := st.Pending[0]
	st.Pending = st.Pending[1:]
	t.enter(s)
	return nil
}

// afterData is the flow's first step after the CUIL and the personal data.
func (t *turn) afterData() Step {
	for _, s := range t.flowDef().steps {
		if s != StepCUIL && t.defOf(s).datum == nil {
			return s
		}
	}
	return StepMenu
}
