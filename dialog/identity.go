package dialog

import (
	"errors"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// onCUIL reads a CUIL: its length and check digit are checked before the
// registry is asked anything.
func (t *turn) onCUIL(text string) error {
	if hasLetters(text) {
		return t.questionOr(text, "cuil.length")
	}
	cuil, err := registry.ParseCUIL(text)
	switch {
	case errors.Is(err, registry.ErrCUILCheckDigit):
		t.say("cuil.check_digit")
		t.prompt()
		return nil
	case err != nil:
		t.say("cuil.length")
		t.prompt()
		return nil
	}
	if t.st.Flow == FlowTrouble {
		return t.checkCUIL(cuil)
	}
	return t.withCUIL(string(cuil))
}

// withCUIL goes on from a valid CUIL: lockouts, unknown CUIL, a key that
// exists or not, then the identity steps of the flow. One lookup reads all
// of it.
func (t *turn) withCUIL(s string) error {
	cuil := registry.CUIL(s)
	st := t.st
	st.CUIL = cuil
	lk, err := t.e.reg.Lookup(t.ctx, cuil)
	if err != nil {
		return err
	}
	if st.Flow != FlowChange && lk.Validation.LockedAt(t.now) {
		t.locked(lk.Validation.Until)
		return nil
	}
	c := lk.Citizen
	if c == nil {
		return t.unknownCUIL()
	}
	t.cit = c
	switch {
	case st.Flow == FlowCreate && lk.HasKey:
		t.offer(FlowRecover, offerKeepCUIL, i18n.M("create.has_key"))
		return nil
	case st.Flow != FlowCreate && !lk.HasKey:
		t.offer(FlowCreate, offerKeepCUIL, i18n.M("key.none_yet"))
		return nil
	case st.Flow == FlowChange:
		return t.startCurrentKey()
	}
	st.Pending = personalSteps(st.Flow, c)
	st.History = nil
	st.Mismatch = nil
	return t.nextData()
}

// citizen reads the chat's citizen once per turn: a turn that reads the
// last datum and then draws the questions reads the registry once. Nothing
// of it is kept past the turn (personal data stays out of Redis).
func (t *turn) citizen() (*registry.Citizen, error) {
	if t.cit != nil && t.cit.CUIL == t.st.CUIL {
		return t.cit, nil
	}
	c, err := t.e.reg.Citizen(t.ctx, t.st.CUIL)
	if err != nil {
		return nil, err
	}
	t.cit = c
	return c, nil
}

func (t *turn) unknownCUIL() error {
	t.st.Failures++
	t.event(Event{Name: "cuil_unknown", Flow: t.st.Flow})
	t.st.CUIL = ""
	t.say("cuil.unknown")
	if t.st.Failures >= 2 && t.e.desk != nil {
		t.offer(FlowHandoff, "cuil_unknown", i18n.M("offer.handoff_failures"))
		return nil
	}
	t.prompt()
	return nil
}

// personalSteps are the data asked before the questions: create asks the
// whole identity, recover the DNI and birth date; both ask the número de
// trámite when the record holds it.
func personalSteps(f Flow, c *registry.Citizen) []Step {
	steps := []Step{StepFirstNames, StepLastNames, StepBirthDate, StepDNI}
	if f == FlowRecover {
		steps = []Step{StepDNI, StepBirthDate}
	}
	if c.DNITramite != "" {
		steps = append(steps, StepTramite)
	}
	return steps
}

// nextData asks the next personal datum, or checks them all.
func (t *turn) nextData() error {
	if len(t.st.Pending) == 0 {
		return t.checkData()
	}
	s := t.st.Pending[0]
	t.st.Pending = t.st.Pending[1:]
	t.prompt2(s)
	return nil
}

// onData reads one personal datum and compares it with the record at once,
// keeping only the likely cause of a mismatch, never the value.
func (t *turn) onData(text string) error {
	st := t.st
	c, err := t.citizen()
	if err != nil {
		return err
	}
	m, bad, err := t.compare(text, c)
	if err != nil {
		return err
	}
	if bad != "" {
		return t.questionOr(text, bad)
	}
	if m != registry.Match {
		if st.Mismatch == nil {
			st.Mismatch = map[Step]string{}
		}
		st.Mismatch[st.Step] = string(m)
	}
	st.History = append(st.History, st.Step)
	return t.nextData()
}

// compare parses the answer for the current step and matches it. bad is the
// message key explaining a malformed answer.
func (t *turn) compare(text string, c *registry.Citizen) (m registry.Mismatch, bad i18n.Key, err error) {
	switch t.st.Step {
	case StepFirstNames:
		if t.notAName(text) {
			return "", "names.format", nil
		}
		return registry.MatchFirstNames(text, c), "", nil
	case StepLastNames:
		if t.notAName(text) {
			return "", "names.format", nil
		}
		return registry.MatchLastNames(text, c), "", nil
	case StepBirthDate:
		d, err := registry.ParseDate(text, t.now)
		if err != nil {
			return "", "date.format", nil
		}
		return registry.MatchBirthDate(d, c), "", nil
	case StepDNI:
		d, err := registry.ParseDNI(text)
		if err != nil {
			return "", "dni.format", nil
		}
		return registry.MatchDNI(d, c), "", nil
	case StepTramite:
		d, err := registry.ParseTramite(text)
		if err != nil {
			return "", "tramite.format", nil
		}
		return registry.MatchTramite(d, c), "", nil
	}
	return "", "", errors.New("dialog: compare at a step without data")
}

// sureQuestion is the classifier score from which a message typed where a
// name is expected is taken for a question, not a name: names are free
// text, so the bar is higher than elsewhere.
const sureQuestion = 0.8

// notAName reports whether text, typed where a name is expected, is rather
// a question or a request.
func (t *turn) notAName(text string) bool {
	if looksLikeQuestion(text) {
		return true
	}
	g, ok := t.classify(text)
	return ok && g.Score >= sureQuestion
}

// checkData ends the personal data: on any mismatch it counts a failed
// validation, names the likely causes and asks again the fields that did
// not match.
func (t *turn) checkData() error {
	st := t.st
	if len(st.Mismatch) == 0 {
		return t.startQuestions()
	}
	lock, err := t.e.reg.FailValidation(t.ctx, st.CUIL)
	if err != nil {
		return err
	}
	t.event(Event{Name: "data_mismatch", Flow: st.Flow})
	if lock.LockedAt(t.now) {
		t.locked(lock.Until)
		return nil
	}
	t.say("data.mismatch")
	var again []Step
	for _, s := range []Step{StepFirstNames, StepLastNames, StepBirthDate, StepDNI, StepTramite} {
		if cause, ok := st.Mismatch[s]; ok {
			t.say(i18n.Key("mismatch." + cause))
			again = append(again, s)
		}
	}
	t.attemptsLeft(lock)
	st.Mismatch, st.History, st.Pending = nil, nil, again
	return t.nextData()
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
	if t.st.Failures >= 2 && t.e.desk != nil {
		t.say("hint.handoff")
	}
}

// startQuestions draws the identity questions. They are the same for a CUIL
// every time, so starting over does not reroll easier ones.
func (t *turn) startQuestions() error {
	c, err := t.citizen()
	if err != nil {
		return err
	}
	qs, err := t.e.reg.Questions(t.ctx, c)
	if err != nil {
		return err
	}
	t.st.Questions, t.st.QIndex, t.st.Answers = qs, 0, nil
	t.say("questions.intro", "n", len(qs))
	t.prompt2(StepQuestion)
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
	t.ask(StepQuestion, m, t.questionOptions(q)...)
}

// onQuestion reads an answer. Whether it was right is told only at the end
// of the round, and never which one failed.
func (t *turn) onQuestion(text string) error {
	st := t.st
	if st.QIndex >= len(st.Questions) {
		t.menu()
		return nil
	}
	q := st.Questions[st.QIndex]
	i := t.e.matchOption(text, t.questionOptions(q))
	if i < 0 {
		return t.questionOr(text, "choice.invalid", "n", len(q.Options))
	}
	st.Answers = append(st.Answers, i)
	st.QIndex++
	if st.QIndex < len(st.Questions) {
		t.prompt()
		return nil
	}
	return t.endQuestions()
}

func (t *turn) endQuestions() error {
	st := t.st
	right := true
	for i, q := range st.Questions {
		right = right && i < len(st.Answers) && st.Answers[i] == q.Answer
	}
	if right {
		if err := t.e.reg.PassValidation(t.ctx, st.CUIL); err != nil {
			return err
		}
		st.Validated, st.Questions, st.Answers, st.QIndex = true, nil, nil, 0
		t.event(Event{Name: "validated", Flow: st.Flow})
		t.say("questions.ok")
		return t.startNewKey()
	}
	lock, err := t.e.reg.FailValidation(t.ctx, st.CUIL)
	if err != nil {
		return err
	}
	t.event(Event{Name: "questions_failed", Flow: st.Flow})
	if lock.LockedAt(t.now) {
		t.locked(lock.Until)
		return nil
	}
	t.say("questions.failed")
	t.attemptsLeft(lock)
	st.QIndex, st.Answers = 0, nil
	t.prompt()
	return nil
}
