package dialog

import (
	"errors"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// onCUIL reads a CUIL, typed alone or in a sentence ("mi cuil es
// 20-…"). Its length and check digit are checked before the registry is
// asked anything.
func (t *turn) onCUIL(text string) error {
	cuil, err := registry.ParseCUIL(text)
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
		}
		return t.questionOr(text, take, cuilBad(r.cuilErr))
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

// withCUIL goes on from a valid CUIL: the flow's lockout, an unknown CUIL,
// a key that exists or not, then the identity steps of the flow. One
// lookup reads all of it.
func (t *turn) withCUIL(cuil registry.CUIL) error {
	st := t.st
	st.CUIL = cuil
	f := t.flowDef()
	lk, err := t.e.reg.Lookup(t.ctx, cuil)
	if err != nil {
		return err
	}
	lock := lk.Validation
	if f.lock == registry.LockKey {
		lock = lk.Key
	}
	if lock.LockedAt(t.now) {
		t.lockedOut(f.lock, lock)
		return nil
	}
	c := lk.Citizen
	if c == nil {
		return t.unknownCUIL()
	}
	t.cit = c
	if lk.HasKey != f.keyed {
		t.offerFlow(f.instead, cuil, i18n.M(f.insteadMsg))
		return nil
	}
	st.Pending = t.personalSteps(c)
	st.History = nil
	st.Mismatch = nil
	return t.nextData()
}

// lockedOut says what a lockout of kind means and what is left.
func (t *turn) lockedOut(kind registry.LockKind, lock registry.Lockout) {
	if kind == registry.LockKey {
		t.keyLocked(lock)
		return
	}
	t.locked(lock.Until)
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
	if t.st.Failures >= 2 && t.e.hasDesk {
		t.offerHandoff("cuil_unknown", "offer.handoff_failures")
		return nil
	}
	t.prompt()
	return nil
}

// checkData ends the personal data: on any mismatch it counts a failed
// validation, names the likely causes and asks again the fields that did
// not match. The count is made, atomically for the CUIL, before anything is
// said: while the CUIL is locked the data are not judged at all.
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
	if t.st.Failures >= 2 && t.e.hasDesk {
		t.say("hint.handoff")
	}
}

// startQuestions reserves one validation attempt of the CUIL, then asks
// the identity questions. The reservation is made in the database, for the
// CUIL whatever the chat or replica, and counts as a failed validation
// unless it is passed: so seeing the questions (and harvesting their
// options) costs an attempt, and parallel chats cannot get more attempts
// than the policy allows. The questions are the same for a CUIL every
// time, so starting over does not reroll easier ones.
func (t *turn) startQuestions() error {
	c, err := t.citizen()
	if err != nil {
		return err
	}
	qs, err := t.e.reg.Questions(t.ctx, c)
	if err != nil {
		return err
	}
	att, err := t.e.reg.BeginValidation(t.ctx, t.st.CUIL)
	if err != nil {
		return err
	}
	if att.Refused() {
		return t.validationRefused(att)
	}
	t.st.Attempt = att.ID
	t.st.Questions, t.st.QIndex, t.st.Answers = qs, 0, nil
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
func (t *turn) onQuestion(text string) error {
	st := t.st
	if st.QIndex >= len(st.Questions) {
		t.menu()
		return nil
	}
	q := st.Questions[st.QIndex]
	i := t.e.matchOption(text, t.questionOptions(q))
	if i < 0 {
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

// endQuestions judges the round's answers, in the database, against the
// attempt reserved for it: an attempt settled already, expired, or of an
// earlier lock window judges nothing, and while the CUIL is locked nothing
// is judged. A pass forgets the CUIL's failures; a failure counts, and the
// next round reserves another attempt.
func (t *turn) endQuestions() error {
	st := t.st
	right := true
	for i, q := range st.Questions {
		right = right && i < len(st.Answers) && st.Answers[i] == q.Answer
	}
	att, err := t.e.reg.EndValidation(t.ctx, st.CUIL, st.Attempt, right)
	if err != nil {
		return err
	}
	st.Attempt = ""
	switch att.Status {
	case registry.AttemptPassed:
		st.Questions, st.Answers, st.QIndex = nil, nil, 0
		t.event(Event{Name: "validated", Flow: st.Flow})
		t.say("questions.ok")
		return t.advance() // the second factor, when the CUIL has one
	case registry.AttemptFailed:
	default:
		return t.validationRefused(att)
	}
	t.event(Event{Name: "questions_failed", Flow: st.Flow})
	if att.Lockout.LockedAt(t.now) {
		t.locked(att.Lockout.Until)
		return nil
	}
	t.say("questions.failed")
	t.attemptsLeft(att.Lockout)
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
