package dialog

import (
	"crypto/hmac"
	"encoding/base64"
	"slices"
	"strconv"

	"github.com/clavebot/clavebot/internal/sealfield"
)

// The personal data are asked one message at a time, so what was judged
// of them waits in the chat's state, in Redis, between turns: the data
// still to ask (Pending), those judged (History), which of them did not
// match (Mismatch) and which matched at a failed validation (Matched).
// The state is JSON: whoever could write to Redis (a leaked password, an
// exposed port) put in a chat of their own a place at anyone's DNI with
// nothing left to ask, typed the DNI, which is in the CUIL, and was asked
// the person's identity questions, or told whether the CUIL has a key or
// is registered, without the names or birth date (an attack test:
// TestForgedPendingSkipsNoData). What was judged is sealed, as the
// chat's claims are (proof.go): an HMAC of the chat, the CUIL and the
// judgments, under a key derived from the deployment's secret, which
// Redis never holds. A seal that does not hold drops the judgments as
// the turn begins; and what follows the data (the questions, the offer
// of another flow, the check's answer) begins only when every datum the
// flow asks was judged under the seal in this chat, or proved (Proved):
// else the data are asked again, the person told, and the drop logged and
// counted as a forged proof's (the event "proof_dropped"), nothing judged
// or counted against the CUIL. Pending needs no seal: whatever it says,
// nothing follows the data it skips.
//
// A state of a version before the seal (a rolling deploy) loses its
// judgments too: the few people between two data at that moment are
// asked them again.

// judgedSeal is the seal of st's judgments for chat; "" when there are
// none.
func (e *Engine) judgedSeal(chat string, st *State) string {
	if len(st.History) == 0 && len(st.Mismatch) == 0 && len(st.Matched) == 0 {
		return ""
	}
	// The fields go to the MAC in one buffer: a turn seals twice (to
	// check the judgments as it begins, and as it ends), and written one
	// by one they cost two allocations each.
	b := make([]byte, 0, 256) // a flow's fields, most chats' ids
	b = sealfield.Append(b, "clavebot data judged v1")
	b = sealfield.Append(b, chat)
	b = sealfield.Append(b, string(st.CUIL))
	b = appendSteps(b, st.History)
	b = appendSteps(b, st.Matched)
	causes := make([]Step, 0, len(st.Mismatch))
	for s := range st.Mismatch {
		causes = append(causes, s)
	}
	slices.Sort(causes)
	b = appendSteps(b, causes)
	for _, s := range causes {
		b = sealfield.Append(b, st.Mismatch[s])
	}
	return base64.RawURLEncoding.EncodeToString(sealSum(&e.judgedMACs, e.judgedKey, b)[:proofMACLen])
}

// appendSteps frames a list of steps: its length, then each step.
func appendSteps(b []byte, steps []Step) []byte {
	b = sealfield.Append(b, strconv.Itoa(len(steps)))
	for _, s := range steps {
		b = sealfield.Append(b, string(s))
	}
	return b
}

// sealJudged writes the seal of the turn's judgments into its state,
// which is about to be saved.
func (t *turn) sealJudged() { t.st.JudgedSeal = t.e.judgedSeal(t.in.Chat, t.st) }

// openJudged drops, as the turn begins, the judgments of a state their
// seal does not hold: whatever the state says is left to ask, what
// follows the data then asks them again (dataUnjudged).
func (t *turn) openJudged() {
	st := t.st
	seal := st.JudgedSeal
	st.JudgedSeal = ""
	if hmac.Equal([]byte(seal), []byte(t.e.judgedSeal(t.in.Chat, st))) {
		return
	}
	t.e.log.Warn("a chat's state holds personal data judged that its seal does not hold: dropped (a write to Redis from outside the engine, replicas with different secrets, or a state of a version before the seal)",
		"step", st.Step)
	st.History, st.Mismatch, st.Matched = nil, nil, nil
}

// dataUnjudged lists the personal data the flow asks (askedData) that
// were neither judged in this chat under the seal nor proved: none when
// the data can be judged as a whole.
func (t *turn) dataUnjudged() []Step {
	var out []Step
	for _, s := range t.askedData() {
		if !slices.Contains(t.st.History, s) && !slices.Contains(t.st.Matched, s) &&
			(t.st.Flow == FlowTrouble || !slices.Contains(t.st.Proved, s)) {
			out = append(out, s)
		}
	}
	return out
}

// dataAgain answers data that reached their end with some never judged
// (a state written into Redis from outside the engine, or one whose
// judgments' seal did not hold): nothing is judged or counted, the
// person is told, and the data are asked again from the first.
func (t *turn) dataAgain(missing []Step) error {
	st := t.st
	t.e.log.Warn("a chat reached the end of the personal data with some never judged: asked again (a write to Redis from outside the engine)",
		"step", st.Step, "flow", st.Flow, "missing", len(missing))
	t.event(Event{Name: "proof_dropped", Flow: st.Flow})
	t.say("data.again")
	st.History, st.Mismatch, st.Matched = nil, nil, nil
	st.Pending = slices.DeleteFunc(t.askedData(), func(s Step) bool {
		return st.Flow != FlowTrouble && slices.Contains(st.Proved, s)
	})
	t.carriedDone = true // the message is not read again as data
	return t.nextData()
}
