package registry

import (
	"context"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
)

// Identity validation is one counter per CUIL in the database (see
// Attempt): wrong personal data counts one failure; reaching the identity
// questions reserves one attempt, which counts while it is held and as
// failed when its answers are judged wrong. So whatever the number of
// chats or replicas working on one CUIL, at most the policy's number of
// failed validations are judged in a lock window, and nothing is judged
// while it is locked.

// validationTTL is how long reserved questions may be answered: the idle
// timeout for each question and one more to read them, so a person whose
// chat does not idle out always finishes in time. An attempt abandoned
// earlier is held until then, toward the policy's maximum, and then given
// back. A chat that idles out gives its round back at its next message;
// the TTL matters only for a round whose state was lost (Redis emptied, a
// terminal chat interrupted): one attempt of the CUIL held for an hour,
// never a failure. It is not shorter: a round judged after its
// reservation expired judges nothing, and a person who takes the idle
// timeout over each question must still be judged.
func (s *Service) validationTTL() time.Duration {
	return max(s.policy.IdleTimeout*time.Duration(s.policy.Questions+1), time.Minute)
}

// BeginValidation reserves one attempt at cuil's identity questions. It is
// refused while cuil is locked (AttemptLocked) and while every attempt
// left is in progress in other chats (AttemptBusy).
func (s *Service) BeginValidation(ctx context.Context, cuil CUIL) (Attempt, error) {
	a, err := s.reserve(ctx, cuil, LockValidation, s.policy.Validation, s.validationTTL())
	if err != nil {
		return Attempt{}, errs.Wrap("begin validation", err)
	}
	if a.Status == AttemptLocked {
		// At DEBUG: the lock was logged when made, and each refusal is
		// a try of whoever holds the CUIL locked (the dialog's "locked"
		// event counts them).
		s.log.Debug("validation refused: locked", "cuil", cuil.Masked(), "until", a.Lockout.Until)
	}
	return a, nil
}

// EndValidation settles the attempt id that BeginValidation reserved: the
// answers were right (passed) or not. A pass forgets cuil's failed
// validations, unless cuil has a verified contact: then the questions are
// half the proof, the round's attempt is given back, and the failures are
// forgotten when the code sent to the contact comes back right
// (CheckCode). Forgetting them at the questions let a person who knew the
// answers but not the e-mail guess codes without end, two between passes
// (found by an attack probe). A failure stays counted and may lock. An
// attempt settled already, expired, or reserved before a lock or a pass
// is refused (AttemptStale, or AttemptLocked while locked) and judges
// nothing.
func (s *Service) EndValidation(ctx context.Context, cuil CUIL, id string, passed bool) (Attempt, error) {
	outcome := OutcomeFailed
	if passed {
		outcome = OutcomePassed
		cs, err := s.Contacts(ctx, cuil)
		if err != nil {
			return Attempt{}, errs.Wrap("end validation", err)
		}
		if len(cs.Verified()) > 0 {
			outcome = OutcomeVoid
		}
	}
	now := s.now()
	a, err := s.store.SettleAttempt(ctx, cuil, LockValidation, id, outcome, now, s.policy.Validation)
	if err != nil {
		return Attempt{}, errs.Wrap("end validation", err)
	}
	if a.Status == AttemptVoid {
		a.Status = AttemptPassed // the questions were passed; the code is what is left
	}
	if a.Status == AttemptFailed && a.Lockout.LockedAt(now) {
		s.log.Info("validation locked", "cuil", cuil.Masked(), "until", a.Lockout.Until)
	}
	return a, nil
}

// LeaveValidation gives back the attempt id that BeginValidation
// reserved, for a round the person left before its end ("cancelar", to
// come back with the DNI at hand): CONTRACT §5 counts wrong data and wrong
// answers, not a round left. Nothing is learned by leaving: a round tells
// nothing of its answers before its end, and the same questions come back
// (a stored set is redrawn only when the record changes). The
// reservation is what holds parallel chats to the policy's attempts, and
// it is held while the questions are asked.
func (s *Service) LeaveValidation(ctx context.Context, cuil CUIL, id string) error {
	if err := s.giveBack(ctx, cuil, LockValidation, id, s.policy.Validation); err != nil {
		return errs.Wrap("leave validation", err)
	}
	return nil
}

// FactorProved forgets cuil's failed validations when the second factor
// was proved without a code (a message from the verified phone, on
// WhatsApp): the whole proof, as a right code is (see EndValidation,
// which keeps them while the factor is to come). Nothing is forgotten
// while cuil is locked, or while its attempts are all in progress.
func (s *Service) FactorProved(ctx context.Context, cuil CUIL) error {
	now := s.now()
	a, err := s.store.ReserveAttempt(ctx, cuil, LockValidation, newAttemptID(), now, s.policy.Validation, time.Minute)
	if err != nil {
		return errs.Wrap("factor proved", err)
	}
	if a.Refused() {
		return nil
	}
	if _, err := s.store.SettleAttempt(ctx, cuil, LockValidation, a.ID, OutcomePassed, now, s.policy.Validation); err != nil {
		return errs.Wrap("factor proved", err)
	}
	return nil
}

// AttemptGiver is a Store that voids an attempt, as SettleAttempt does
// with OutcomeVoid, in fewer round trips (sqlstore: one on PostgreSQL).
type AttemptGiver interface {
	GiveBackAttempt(ctx context.Context, cuil CUIL, kind LockKind, id string, now time.Time) error
}

// FailValidation counts one failed validation factor of cuil (wrong
// personal data, a wrong one-time code) atomically, and returns the lock,
// which is in force from the policy's maximum on. While cuil is locked it
// counts nothing and returns the lock in force: the factor was not judged.
func (s *Service) FailValidation(ctx context.Context, cuil CUIL) (Lockout, error) {
	now := s.now()
	l, err := s.store.RecordFailure(ctx, cuil, LockValidation, now, s.policy.Validation)
	if err != nil {
		return l, errs.Wrap("fail validation", err)
	}
	switch {
	case l.JustLocked:
		s.log.Info("validation locked", "cuil", cuil.Masked(), "until", l.Until)
	case l.LockedAt(now):
		// Not counted, and not logged at INFO: a stranger hammering a
		// locked CUIL wrote a line a try (the dialog's "locked" event
		// counts them).
		s.log.Debug("failed validation not counted: locked", "cuil", cuil.Masked(), "until", l.Until)
	}
	l.JustLocked = false // the lock as Lockout reads it: the caller's is the CUIL's state
	return l, nil
}
