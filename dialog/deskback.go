package dialog

import "slices"

// The place a hand-over to the desk left. «Si querés volver conmigo,
// escribí «cancelar»», says the line; "cancelar" there left the line and
// dropped the flow the person was in, with the data given and the
// validation done (a people probe). The state before the hand-over is
// kept beside the line's (State.Before), its claims sealed as the state's,
// and "cancelar" while still in the line goes back to it.

// placeBeforeDesk is the state to come back to from the desk's line: the
// flow under way, with its claims sealed; nil when there is none.
func (t *turn) placeBeforeDesk() *State {
	st := t.st
	if st.Flow == FlowNone || st.Flow == FlowHandoff || st.Flow == FlowFAQ {
		return nil
	}
	b := *st
	b.Before, b.LegacyTranscript = nil, nil
	// The data typed before the CUIL or with a request (Carry, Names)
	// wait in clear for the idle timeout at most; the line's state is
	// kept a week (queueTTL), and they stayed there as long, though the
	// place is gone back to within the idle timeout only (a probe of
	// what Redis holds: TestPlaceBeforeDeskKeepsNoData). Coming back,
	// the person types them again.
	b.Carry, b.Names = "", ""
	// A round of questions starts again when gone back to: its answers
	// given are not kept.
	b.Answers, b.AnswersSeal = nil, ""
	// When it was left: the idle timeout runs from there (backBeforeDesk).
	b.Seen = t.now
	b.Proof = ""
	if b.claims() {
		b.Proof = t.e.proof(t.in.Chat, &b)
	}
	b.JudgedSeal = t.e.judgedSeal(t.in.Chat, &b)
	return &b
}

// backBeforeDesk takes the chat, which has just left the desk's line,
// back to the place the hand-over left, and reports whether it did. A
// place older than the idle timeout is not gone back to: without the
// desk, the chat would have started over by then. Claims whose seal does
// not hold are dropped, as a state's are (checkClaims). A round of
// questions, whose attempt the hand-over gave back, starts again.
func (t *turn) backBeforeDesk() (bool, error) {
	b := t.st.Before
	if b == nil || t.now.Sub(b.Seen) > t.e.reg.Policy().IdleTimeout {
		return false, nil
	}
	unknown, failures, sent := t.st.Unknown, t.st.Failures, t.st.SentCode
	*t.st = *b
	t.st.Started, t.st.Unknown, t.st.Failures, t.st.SentCode = true, unknown, failures, sent
	t.st.Before, t.st.Seen = nil, t.now
	t.st.readProof()
	t.openJudged()
	t.checkClaims()
	t.say("handoff.back")
	if t.st.Step == StepOffer && t.st.Offer != nil && t.st.Offer.Kind == OfferHandoff {
		// Handed over from its offer: back to the step it interrupted.
		t.resumeQuiet()
	}
	t.at = t.st.Step
	if t.st.Step == StepQuestion && !t.dataProved() {
		// A round is begun again from data that matched, which only
		// the place's sealed claims can say: a place at the questions
		// written into Redis without them had any CUIL's questions
		// asked with none of its data (an attack test:
		// TestForgedPlaceBeforeDeskSkipsNoData). The menu, as for no
		// place.
		t.st.reset()
		return false, nil
	}
	if t.st.Step == StepQuestion {
		t.st.Questions, t.st.QIndex, t.st.Answers, t.st.QSeal, t.st.Attempt = nil, 0, nil, "", ""
		return true, t.begin(StepQuestion)
	}
	t.prompt()
	return true, nil
}

// dataProved reports whether the chat's sealed claims (State.Proved, as
// dataMatched writes them before the questions) hold every personal
// datum its flow asks.
func (t *turn) dataProved() bool {
	for _, s := range t.personalSteps() {
		if !slices.Contains(t.st.Proved, s) {
			return false
		}
	}
	return true
}
