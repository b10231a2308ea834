package registry

import (
	"context"
	"crypto/rand"
	"time"
)

// An attempt is one try at something a lockout limits: answering the
// identity questions, or comparing a key. It is reserved before it is
// made and settled once it is judged, both atomically per CUIL in the
// database, so that however many chats, requests or replicas try one CUIL
// at once, no more attempts are judged in a lock window than its rule
// allows, and none while it is locked.
//
// A reserved attempt counts toward the rule's maximum while it is held, so
// that parallel chats get no more attempts than the rule allows. Settled,
// it is judged (passed, failed) or given back (void). When its time runs
// out unsettled (its chat never came back: a state lost with Redis, a
// terminal chat interrupted) it is given back too: nothing was judged in
// it, since answers are judged only when an attempt is settled.

// AttemptStatus is what the registry decided about an attempt.
type AttemptStatus string

// Attempt statuses.
const (
	AttemptReserved AttemptStatus = "reserved" // it may be made: ask the questions, compare the key
	AttemptPassed   AttemptStatus = "passed"   // judged right: the failures are forgotten
	AttemptFailed   AttemptStatus = "failed"   // judged wrong: Lockout says whether it locked
	AttemptVoid     AttemptStatus = "void"     // not made after all (nothing was compared): given back
	AttemptLocked   AttemptStatus = "locked"   // refused: locked until Lockout.Until
	AttemptBusy     AttemptStatus = "busy"     // refused: the attempts left are all in progress, the first until Lockout.Until
	AttemptStale    AttemptStatus = "stale"    // refused: unknown, settled already, expired, or of an earlier lock window
)

// Outcome is how a reserved attempt ended.
type Outcome string

// Outcomes of an attempt.
const (
	OutcomePassed Outcome = "passed"
	OutcomeFailed Outcome = "failed"
	OutcomeVoid   Outcome = "void"
)

// Attempt is a reservation and what the registry decided about it.
type Attempt struct {
	ID      string // names the reservation; "" when none was made
	Status  AttemptStatus
	Lockout Lockout   // failures counted (reserved attempts included) and the lock
	Expires time.Time // when a reserved attempt can no longer be settled
}

// Refused reports whether the attempt was refused (locked, busy, stale).
func (a Attempt) Refused() bool {
	return a.Status == AttemptLocked || a.Status == AttemptBusy || a.Status == AttemptStale
}

// newAttemptID names a reservation. It is random so that no one can name,
// and so settle, another chat's attempt.
func newAttemptID() string { return rand.Text() }

// lostAnswerGiveBack bounds giving back an attempt whose reservation's
// answer was lost, past the caller's own deadline when that is what lost
// it.
const lostAnswerGiveBack = 2 * time.Second

// reserve reserves an attempt of kind for cuil. When the call fails the
// database may still have reserved it (a connection cut after the
// commit, the turn's deadline on a slow PostgreSQL): no caller knows its
// id, so nothing would settle it, and it would count toward rule.Max
// until it expired, an hour for the identity questions (a resilience
// probe: the person who then failed a round was told the last attempt
// was in progress elsewhere). It is given back at once, by its id; one
// never reserved gives back nothing.
func (s *Service) reserve(ctx context.Context, cuil CUIL, kind LockKind, rule LockRule, ttl time.Duration) (Attempt, error) {
	id := newAttemptID()
	a, err := s.store.ReserveAttempt(ctx, cuil, kind, id, s.now(), rule, ttl)
	if err == nil {
		return a, nil
	}
	s.giveBackLost(ctx, cuil, kind, id, rule)
	return Attempt{}, err
}

// giveBackLost gives back attempt id, whose reservation failed and may
// have been made all the same (see reserve), with a time of its own.
func (s *Service) giveBackLost(ctx context.Context, cuil CUIL, kind LockKind, id string, rule LockRule) {
	gctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lostAnswerGiveBack)
	defer cancel()
	if gerr := s.giveBack(gctx, cuil, kind, id, rule); gerr != nil {
		s.log.Warn("a reservation that failed may have been made and could not be given back; if it was, it is when it expires", "kind", kind, "err", gerr)
	}
}

// giveBack voids attempt id of kind, in one round trip where the store
// can.
func (s *Service) giveBack(ctx context.Context, cuil CUIL, kind LockKind, id string, rule LockRule) error {
	if g, ok := s.store.(AttemptGiver); ok {
		return g.GiveBackAttempt(ctx, cuil, kind, id, s.now())
	}
	_, err := s.store.SettleAttempt(ctx, cuil, kind, id, OutcomeVoid, s.now(), rule)
	return err
}
