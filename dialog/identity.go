package dialog

import (
	"errors"
	"slices"
	"strings"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// onCUIL reads a CUIL, typed alone or in a sentence ("mi cuil es
// 20-…"). Its length and check digit are checked before the registry is
// asked anything.
func (t *turn) onCUIL(text string) error {
	cuil, err := registry.ParseCUIL(text)
	if err != nil && doesNotKnow(text) {
		// "no sé", "ni idea", "lo busco": where the CUIL is found.
		t.answer("cuil.find")
		t.prompt()
		return nil
	}
	if err != nil && hasLetters(text) {
		r := t.reading()
		take := func() (bool, error) {
			if r.cuil == "" {
				return false, nil
			}
			return true, t.gotCUIL(r.cuil)
		}
		if !r.question {
			if ok, err := take(); ok || err != nil {
				return err
			}
			if r.cuilErr != nil {
				t.say(cuilBad(r.cuilErr))
				t.prompt()
				return nil
			}
			if r.dni != "" {
				// "mi dni es 35218904": the DNI where the CUIL is asked.
				t.say("cuil.is_dni")
				t.prompt()
				return nil
			}
		}
		if r.question && r.cuil != "" && t.saysLost() {
			// "… no entiendo nada de computadoras, mi cuil es 20-…": many
			// words read as telling something, and the FAQ's "Respondé lo
			// que te pregunto" dropped the CUIL that answered it (a words
			// probe).
			return t.gotCUIL(r.cuil)
		}
		bad := cuilBad(r.cuilErr)
		if r.cuilErr == nil && r.date != "" && r.dni == "" && r.tramite == "" {
			// "14 de marzo de 1985": a date, not a CUIL mistyped.
			bad = "cuil.is_date"
		} else if r.cuilErr == nil && namesOnly(r) {
			// "Lucía Soledad" where the CUIL is asked got "El CUIL tiene
			// 11 números. Revisalo…", as if one had been mistyped (a data
			// probe): the names come after it.
			bad = "cuil.names_later"
		}
		return t.questionOr(text, take, bad)
	}
	if err != nil {
		// A list of data without words ("27352189044, 35218904, 21/7/1990"):
		// the CUIL in it, and the rest taken at the steps that ask them.
		r := t.reading()
		if r.cuil != "" {
			return t.gotCUIL(r.cuil)
		}
		if r.cuilErr != nil {
			err = r.cuilErr // what is wrong with the CUIL in it
		}
		if r.cuil == "" && r.cuilErr == nil && r.date != "" && r.dni == "" && r.tramite == "" {
			// "21/07/1990", the birth date at hand, got "El CUIL tiene 11
			// números. Revisalo…" as if a CUIL had been mistyped (a words
			// probe): it is said to look like a date.
			t.say("cuil.is_date")
			t.prompt()
			return nil
		}
	}
	if _, dni := registry.ParseDNI(text); err != nil && dni == nil {
		t.say("cuil.is_dni")
		t.prompt()
		return nil
	}
	if err != nil {
		t.say(cuilBad(err))
		t.prompt()
		return nil
	}
	return t.gotCUIL(cuil)
}

// namesOnly reports whether r is a person's names and nothing else: no
// number, no sentence, two names or more.
func namesOnly(r *reading) bool {
	if r.sentence || r.data() > 0 || r.cuilErr != nil || len(r.names) == 0 {
		return false
	}
	words := 0
	for _, n := range r.names {
		words += n.words
	}
	return words >= 2
}

// cuilBad is what to say of a CUIL that is not one.
func cuilBad(err error) i18n.Key {
	if errors.Is(err, registry.ErrCUILCheckDigit) {
		return "cuil.check_digit"
	}
	return "cuil.length"
}

// gotCUIL goes on with a valid CUIL: checked in troubleshooting, the
// start of identity otherwise.
func (t *turn) gotCUIL(cuil registry.CUIL) error {
	if t.st.Flow == FlowTrouble {
		return t.checkCUIL(cuil)
	}
	return t.withCUIL(cuil)
}

// withCUIL goes on from a valid CUIL to what the flow asks next: the
// personal data, or the current key. Nothing of the CUIL is read here, so
// every well-formed CUIL is answered alike: whether it is in the
// registry, has a key or is locked is not told to whoever types it (issue
// 8.4). An unknown CUIL is judged later as data that do not match; a
// lock is told when data or a key are judged; the offer of another flow
// (create for a CUIL with a key, recover for one without) follows data
// that matched. Data already proved for this CUIL in the chat (before
// such an offer) are not asked again.
func (t *turn) withCUIL(cuil registry.CUIL) error {
	if ok, err := t.cuilAllowed(); !ok {
		return err
	}
	st := t.st
	if st.CUIL != cuil {
		st.Proved = nil
	}
	// Names in a list of data with the CUIL, where the flow asks none
	// ("Ramón Quiroga Sánchez 20-… 03/11/1958 12604337" at recovery's
	// CUIL step): set aside too.
	t.namesAside()
	st.CUIL = cuil
	st.Pending = slices.DeleteFunc(t.personalSteps(), func(s Step) bool { return slices.Contains(st.Proved, s) })
	st.History, st.Mismatch, st.Matched = nil, nil, nil
	return t.nextData()
}

// citizen reads the chat's citizen once per turn: a turn that reads the
// last datum and then draws the questions reads the registry once. Nothing
// of it is kept past the turn (personal data stays out of Redis). A CUIL
// in no record is errs.NotFound, also read once.
func (t *turn) citizen() (*registry.Citizen, error) {
	if t.cit != nil && t.cit.CUIL == t.st.CUIL {
		return t.cit, nil
	}
	if t.noRecord != "" && t.noRecord == t.st.CUIL {
		return nil, errs.E(errs.NotFound, "citizen", errNoRecord)
	}
	c, err := t.e.reg.Citizen(t.ctx, t.st.CUIL)
	if errs.Is(errs.NotFound, err) {
		t.noRecord = t.st.CUIL
	}
	if err != nil {
		return nil, err
	}
	t.cit = c
	return c, nil
}

var errNoRecord = errors.New("no record of the CUIL")

// record is what the personal data are judged against: the CUIL's record,
// or, for a CUIL in no record, a decoy that no name or birth date matches
// and whose DNI is the one within the CUIL, as a person's is. So the data
// a stranger types for any CUIL, the DNI read in it included, are judged
// alike: wrong data named, counted and locked as for a record (known is
// false for the decoy).
func (t *turn) record() (c *registry.Citizen, known bool, err error) {
	c, err = t.citizen()
	switch {
	case errs.Is(errs.NotFound, err):
		cuil := t.st.CUIL
		return &registry.Citizen{CUIL: cuil, DNI: string(cuil[2:10])}, false, nil
	case err != nil:
		return nil, false, err
	}
	return c, true, nil
}

// checkData ends the personal data: on any mismatch it counts a failed
// validation, names the likely causes and asks again the fields that did
// not match. The count is made, atomically for the CUIL, before anything is
// said: while the CUIL is locked the data are not judged at all.
func (t *turn) checkData() error {
	st := t.st
	if missing := t.dataUnjudged(); len(missing) > 0 {
		return t.dataAgain(missing)
	}
	c, known, err := t.record()
	if err != nil {
		return err
	}
	if !known {
		t.event(Event{Name: "cuil_unknown", Flow: st.Flow})
	}
	if len(st.Mismatch) == 0 && known {
		return t.dataMatched(c)
	}
	// A mismatch, or a CUIL in no record: the same answer, counted on the
	// CUIL's lockout row whether or not it has a record, so an unknown
	// CUIL locks after as many failures, with the same message.
	lock, err := t.e.reg.FailValidation(t.ctx, st.CUIL)
	if err != nil {
		return err
	}
	t.event(Event{Name: "data_mismatch", Flow: st.Flow})
	if lock.LockedAt(t.now) {
		t.locked(lock.Until)
		t.judged = slices.Clone(t.out)
		return nil
	}
	t.say("data.mismatch")
	// The fields swapped is said only when both are, each where the other
	// goes: one alone would tell that the word typed is the record's
	// other field (found by a probe: a guessed surname typed as the first
	// names was confirmed by the hint).
	swapped := string(registry.SwappedFields)
	if first, last := st.Mismatch[StepFirstNames] == swapped, st.Mismatch[StepLastNames] == swapped; first != last {
		for _, s := range []Step{StepFirstNames, StepLastNames} {
			if st.Mismatch[s] == swapped {
				st.Mismatch[s] = string(registry.DifferentName)
			}
		}
	}
	var again []Step
	said := map[string]bool{}
	// The causes are said in the order the creation asks the data, the
	// flow that asks them all, whatever the flow: a datum step added to
	// it is said with the others.
	for _, s := range t.e.flows[FlowCreate].steps {
		if cause, ok := st.Mismatch[s]; ok && t.e.steps[s].datum != nil {
			// Names and surnames that both differ have one cause, said
			// once (it was said twice, word for word).
			if !said[cause] {
				t.say(i18n.Key("mismatch." + cause))
				said[cause] = true
			}
			again = append(again, s)
		}
	}
	// A CUIL in no record (a typo the check digit missed) is told as data
	// that do not match: so every mismatch of the data asked first says
	// to check the CUIL too. After them, only the número de trámite can
	// mismatch, and the CUIL is the person's.
	if len(again) != 1 || again[0] != StepTramite {
		t.say("data.check_cuil")
	}
	t.attemptsLeft(lock)
	// Counted: told even when the turn is not saved (unsaved.go), as a
	// round's judgment is, not "no perdiste nada".
	t.judged = slices.Clone(t.out)
	// What matched is not asked again: it stays judged, under the
	// seal, for the end of the data (dataUnjudged).
	for _, s := range st.History {
		if !slices.Contains(again, s) && !slices.Contains(st.Matched, s) {
			st.Matched = append(st.Matched, s)
		}
	}
	st.Mismatch, st.History, st.Pending = nil, nil, again
	return t.nextData()
}

// dataMatched goes on from personal data that match the record c: the
// data the record alone calls for (the número de trámite, when it holds
// one) are asked only now, so what is asked before tells nothing of the
// record; then, the data all proved, whether the CUIL has a key: a flow
// for the other case is offered, going on with the data proved.
func (t *turn) dataMatched(c *registry.Citizen) error {
	st := t.st
	proved := slices.Clone(st.Proved)
	for _, s := range slices.Concat(t.personalSteps(), st.History, st.Matched) {
		if !slices.Contains(proved, s) {
			proved = append(proved, s)
		}
	}
	later := slices.DeleteFunc(t.recordSteps(c), func(s Step) bool { return slices.Contains(proved, s) })
	// The data all proved, the round of questions is begun with the
	// check of the key (see startQuestions): one round trip to the
	// registry where it can, at the identity step of every flow.
	var round registry.Round
	if len(later) == 0 {
		var err error
		if round, err = t.e.reg.BeginQuestions(t.ctx, c, t.flowDef().keyed); err != nil {
			t.giveBackRound(round)
			return err
		}
	}
	hasKey := round.HasKey
	// What follows data that matched, other than the questions (whose
	// reservation refuses a locked CUIL), tells that they matched: while
	// the CUIL is locked it is answered as wrong data are, with the lock,
	// and nothing is proved. Else someone who knows only the CUIL locks
	// it and then guesses the birth date on, uncounted, told the right
	// one by the offer or the número de trámite (an attacker's probe).
	if len(later) > 0 || hasKey != t.flowDef().keyed {
		lock, err := t.e.reg.Lockout(t.ctx, st.CUIL, registry.LockValidation)
		if err != nil {
			return err
		}
		if lock.LockedAt(t.now) {
			t.locked(lock.Until)
			return nil
		}
	}
	st.Proved = proved
	if len(later) > 0 {
		st.Pending = later
		// Given with the last datum ("DNI 27340615, trámite
		// 00512345678"), they are taken now (found by a probe: the
		// trámite was dropped and asked for). Taking it tells no more
		// than asking for it would; in a record without one it is
		// dropped unsaid, as before.
		if t.text != "" {
			t.reading()
			t.carriedDone = false
		}
		return t.nextData()
	}
	if f := t.flowDef(); hasKey != f.keyed {
		t.offerInstead(f.instead, st.CUIL, i18n.M(f.insteadMsg))
		return nil
	}
	return t.startQuestions(round)
}

// attemptsLeft counts a failed validation in the chat, says how many
// attempts remain, and after repeated failures points to a person.
func (t *turn) attemptsLeft(lock registry.Lockout) {
	t.st.Failures++
	left := t.e.reg.Policy().Validation.Max - lock.Failures
	if left == 1 {
		t.say("attempts.last")
	} else {
		t.say("attempts.left", "n", left)
	}
	if t.st.Failures >= 2 && t.e.hasDesk {
		t.say("hint.handoff")
	}
}

// startQuestions asks the identity questions of round, begun with one
// validation attempt of the CUIL reserved (registry.BeginQuestions). The reservation is made in the database, for the
// CUIL whatever the chat or replica, and counts toward the policy's
// maximum while it is held and as a failure when the round ends wrong (one
// that runs out unjudged is given back): parallel chats cannot get more
// attempts than the policy allows. A round left
// before its end is given back (leaveQuestions). The questions are the
// same for a CUIL every time, so starting over does not reroll easier
// ones, and seeing them again teaches nothing. They are drawn after the
// reservation: a locked CUIL's first draw would take as long as any, and
// tell by its time that the data matched.
func (t *turn) startQuestions(round registry.Round) error {
	att := round.Attempt
	if att.Refused() {
		return t.validationRefused(att)
	}
	t.st.Attempt = att.ID
	qs := round.Questions
	ok, err := t.covered(len(qs))
	if err != nil {
		return errors.Join(err, t.giveBackAttempt())
	}
	if !ok {
		// A record that allows no question (every kind thinned, see
		// registry/distractors.go), or fewer than the policy's with
		// nothing to make up for them (see covered), cannot be validated
		// here: said, and nothing counted (it was "0 preguntas" and the
		// menu, each time holding an attempt until the CUIL locked). It
		// is said only here, after the personal data matched: a stranger
		// learns nothing of a CUIL whose data they cannot match.
		if err := t.giveBackAttempt(); err != nil {
			return err
		}
		name := "questions_none"
		if len(qs) > 0 {
			name = "questions_short"
		}
		t.event(Event{Name: name, Flow: t.st.Flow})
		t.say("questions.none")
		if t.e.hasDesk {
			t.say("hint.handoff")
		}
		t.menuAgain()
		return nil
	}
	t.st.Questions, t.st.QSeal = t.e.reg.SealAnswers(t.st.CUIL, qs)
	t.st.QIndex, t.st.Answers = 0, nil
	t.say("questions.intro", "n", len(qs))
	t.enter(StepQuestion)
	return nil
}

// validationRefused tells why the registry refused to reserve or judge an
// attempt: the CUIL is locked; every attempt left is in progress in other
// chats; or this chat's attempt no longer counts (it expired, or a lock or
// a pass elsewhere ended its window).
func (t *turn) validationRefused(att registry.Attempt) error {
	switch att.Status {
	case registry.AttemptLocked:
		t.locked(att.Lockout.Until)
	case registry.AttemptBusy:
		// Like a lock, but shorter: offer to write when it is over.
		t.event(Event{Name: "validation_busy"})
		cuil, flow := t.st.CUIL, t.st.Flow
		t.st.reset()
		t.st.Flow, t.st.CUIL, t.st.LockUntil = flow, cuil, att.Lockout.Until
		t.say("validation.busy", "until", att.Lockout.Until)
		t.enter(StepLocked)
	default:
		t.event(Event{Name: "validation_stale"})
		t.say("validation.stale")
		t.menuAgain()
	}
	return nil
}

func (t *turn) questionOptions(q registry.Question) []i18n.Message {
	opts := make([]i18n.Message, len(q.Options))
	for i, o := range q.Options {
		if o.None {
			opts[i] = i18n.M(i18n.Key("question.none." + string(q.Kind)))
			continue
		}
		opts[i] = i18n.Raw(o.Text)
	}
	return opts
}

func (t *turn) askQuestion() {
	st := t.st
	if st.QIndex >= len(st.Questions) {
		t.menu()
		return
	}
	q := st.Questions[st.QIndex]
	m := i18n.M(i18n.Key("question."+string(q.Kind)), "n", st.QIndex+1, "total", len(st.Questions))
	t.asking(m, t.questionOptions(q)...)
}

// onQuestion reads an answer. Whether it was right is told only at the end
// of the round, and never which one failed.
// answersQuestion reports whether text answers the identity question the
// chat waits for. The answers are a credential: a CUIL's questions come
// back the same, so no agent or record may keep them (an attack probe
// read "Córdoba", "Asignación Universal por Hijo" on the desk and in its
// records). An option of another question of the round typed there
// ("córdoba" at the benefits' question) is hidden too (a regression
// probe). Anything else typed there ("no entiendo") is kept, masked.
func (t *turn) answersQuestion(text string) bool {
	if t.st.Step != StepQuestion {
		return false
	}
	return slices.ContainsFunc(t.st.Questions, func(q registry.Question) bool {
		return t.e.matchAnswer(text, t.questionOptions(q)) >= 0
	})
}

func (t *turn) onQuestion(text string) error {
	st := t.st
	if st.QIndex >= len(st.Questions) {
		t.menu()
		return nil
	}
	q := st.Questions[st.QIndex]
	i := t.e.matchAnswer(text, t.questionOptions(q))
	if i < 0 && notKnownAnswer(text) {
		// "no sé", "no me acuerdo": where to find the answer, and not to
		// guess (a wrong round counts); read as a question, "no me acuerdo"
		// would offer to recover the key.
		t.say(i18n.Key("question.hint." + string(q.Kind)))
		t.prompt()
		return nil
	}
	if i < 0 {
		if hasLetters(text) {
			// An answer in words that is none of the options (their own
			// employer, not shown): where the answer is found, and "none of
			// these" when it is not among them.
			return t.questionOr(text, nil, i18n.Key("question.hint."+string(q.Kind)))
		}
		return t.questionOr(text, nil, "choice.invalid", "n", len(q.Options))
	}
	st.Answers = append(st.Answers, i)
	st.QIndex++
	if st.QIndex < len(st.Questions) {
		t.prompt()
		return nil
	}
	return t.endQuestions()
}

// leaveQuestions gives back the attempt of a round left before its end
// ("cancelar", "menú") and says so. Kept, the reservation counted as a
// failure until it expired: each round left said "no se guardó nada" and,
// after three, "ya hay otros intentos en curso para ese CUIL" (the
// person's own), then locked the CUIL, though the hints say to come back
// with the DNI at hand rather than guess. It reports whether it answered
// the turn.
func (t *turn) leaveQuestions() (bool, error) {
	st := t.st
	if st.Step != StepQuestion || st.Attempt == "" {
		return false, nil
	}
	if err := t.giveBackAttempt(); err != nil {
		return true, err
	}
	t.event(Event{Name: "cancel", Flow: st.Flow, Step: st.Step})
	t.say("questions.left")
	t.menu()
	return true, nil
}

// giveBackAttempt gives back the attempt of a round under way, when the
// person leaves it for another flow or a person of the desk as much as
// with "cancelar" (found by re-probing: three hand-overs from the
// questions made the fourth round "busy").
func (t *turn) giveBackAttempt() error {
	st := t.st
	if st.Attempt == "" {
		return nil
	}
	if err := t.e.reg.LeaveValidation(t.ctx, st.CUIL, st.Attempt); err != nil {
		return err
	}
	st.Attempt = ""
	return nil
}

// giveBackRound gives back the attempt of a round that failed after its
// reservation (its questions not drawn): it would count as a failure of
// the person's.
func (t *turn) giveBackRound(round registry.Round) {
	if round.Attempt.Status != registry.AttemptReserved {
		return
	}
	if err := t.e.reg.LeaveValidation(t.ctx, t.st.CUIL, round.Attempt.ID); err != nil {
		t.e.log.Warn("a validation attempt reserved before the questions failed could not be given back", "err", err)
	}
}

// endQuestions judges the round's answers, in the database, against the
// attempt reserved for it: an attempt settled already, expired, or of an
// earlier lock window judges nothing, and while the CUIL is locked nothing
// is judged. A pass forgets the CUIL's failures; a failure counts, and the
// next round reserves another attempt.
func (t *turn) endQuestions() error {
	st := t.st
	if st.QSeal == "" {
		return t.unsealedRound()
	}
	right := t.e.reg.AnswersRight(st.CUIL, st.Questions, st.Answers, st.QSeal)
	att, err := t.e.reg.EndValidation(t.ctx, st.CUIL, st.Attempt, right)
	if err != nil {
		return err
	}
	st.Attempt = ""
	switch att.Status {
	case registry.AttemptPassed:
		st.Questions, st.Answers, st.QIndex, st.QSeal = nil, nil, 0, ""
		t.event(Event{Name: "validated", Flow: st.Flow})
		t.say("questions.ok")
		t.judged = slices.Clone(t.out)
		st.Identified = true
		return t.advance() // the second factor, when the CUIL has one
	case registry.AttemptFailed:
	default:
		return t.validationRefused(att)
	}
	t.event(Event{Name: "questions_failed", Flow: st.Flow})
	if att.Lockout.LockedAt(t.now) {
		t.locked(att.Lockout.Until)
		t.judged = slices.Clone(t.out)
		return nil
	}
	t.say("questions.failed")
	t.attemptsLeft(att.Lockout)
	t.judged = slices.Clone(t.out)
	next, err := t.e.reg.BeginValidation(t.ctx, st.CUIL)
	if err != nil {
		return err
	}
	if next.Refused() {
		return t.validationRefused(next)
	}
	st.Attempt, st.QIndex, st.Answers = next.ID, 0, nil
	t.prompt()
	return nil
}

// notKnownSaid are the usual ways of saying one does not know the answer,
// or does not understand the question, folded, in words.
var notKnownSaid = set("no se", "nose", "no lo se", "no la se", "no me la se", "no la recuerdo", "no sabria", "no sabria decirte", "no me acuerdo",
	"no lo recuerdo", "no recuerdo", "no me acuerdo cual", "ni idea", "no tengo idea", "no tengo ni idea",
	"no estoy seguro", "no estoy segura", "no se cual", "no se cual es", "i don t know", "i dont know", "no idea",
	"no entiendo", "no entiendo la pregunta", "no entendi", "no entendi la pregunta", "no comprendo",
	"que significa", "que quiere decir", "que es eso", "a que se refiere", "como", "no se que poner",
	"no se que elegir", "no se que responder", "i don t understand", "what does it mean",
	"i don t remember", "i dont remember", "i can t remember", "i cant remember", "don t remember")

// notKnown reports whether text says, and only says, that the person does
// not know the answer or understand the question ("no sé", "¿qué
// significa?").
func notKnown(text string) bool {
	ws := foldedWords(text)
	for len(ws) > 1 && notKnownMore[ws[len(ws)-1]] {
		ws = ws[:len(ws)-1] // "no me acuerdo bien"
	}
	return notKnownSaid[strings.Join(ws, " ")]
}

// notKnownMore say, after not knowing, only how well.
var notKnownMore = set("bien", "exacto", "exactamente", "justo", "well", "exactly")

// answerWords, folded, name what an identity question asks, said after
// not knowing it: "no me acuerdo la fecha de emisión", "no sé en qué
// provincia nací", "no me acuerdo dónde trabajé".
var answerWords = set("la", "el", "los", "las", "mi", "de", "del", "en", "que", "cual", "cuales", "donde", "eso",
	"esa", "ese", "fecha", "emision", "dni", "documento", "provincia", "naci", "trabaje", "empresa", "empresas",
	"empleador", "lugar", "lugares", "trabajo", "beneficio", "beneficios", "cobre", "cobro", "respuesta",
	"the", "my", "of", "which", "where", "date", "issue", "id", "province", "i", "was", "born", "worked",
	"employer", "benefit", "benefits", "answer")

// notKnownAnswer reports whether text, at an identity question, says only
// that the person does not know the answer, naming it or not: "no me
// acuerdo la fecha de emisión" got the FAQ's answer on failed validations
// (error.identity_failed), not where the date is found (a people probe).
func notKnownAnswer(text string) bool {
	ws := foldedWords(text)
	for len(ws) > 1 && (notKnownMore[ws[len(ws)-1]] || answerWords[ws[len(ws)-1]]) {
		ws = ws[:len(ws)-1]
	}
	return notKnownSaid[strings.Join(ws, " ")]
}
