package dialog

import "github.com/clavebot/clavebot/registry"

// unsealedRound ends a round of identity questions whose state has no
// seal of its answers (registry.SealAnswers): it judges nothing. Such a
// round was judged by the answers its state held, as the version before
// the seal kept them (2be7788), so whoever could write to Redis reached a
// round of their own with a person's public data, dropped the seal, wrote
// their guesses as the right answers, or cut the round to one question
// (below CONTRACT §5's three), and was validated (an attack test:
// TestUnsealedRoundProvesNothing). A round of that version is long past
// its attempt's hour, which the registry refused as stale anyway; so the
// round is answered as stale, its attempt given back (nothing was
// judged), and the drop logged and counted as a forged proof's is.
func (t *turn) unsealedRound() error {
	t.e.log.Warn("a round of identity questions without the seal of its answers: not judged (a write to Redis from outside the engine)",
		"step", t.st.Step)
	t.event(Event{Name: "proof_dropped", Flow: t.st.Flow})
	if err := t.giveBackAttempt(); err != nil {
		return err
	}
	t.st.Questions, t.st.Answers, t.st.QIndex = nil, nil, 0
	return t.validationRefused(registry.Attempt{Status: registry.AttemptStale})
}
