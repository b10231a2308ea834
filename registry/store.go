package registry

import (
	"context"
	"time"
)

// Store is the storage the registry's Service needs. registry/sqlstore
// implements it for PostgreSQL and SQLite.
type Store interface {
	// Citizen returns the record of cuil, or a errs.NotFound error.
	Citizen(ctx context.Context, cuil CUIL) (*Citizen, error)
	// Key returns the stored key hash of cuil, or a errs.NotFound error when the
	// citizen has no key yet.
	Key(ctx context.Context, cuil CUIL) (KeyRecord, error)
	// SaveKey stores k as cuil's key, appends ev and forgets cuil's
	// failures, reserved attempts and lock of each kind in k.Clear, in one
	// transaction: a key is never stored without its audit record or with
	// the lockouts it clears left as they were, and nothing is written when
	// it fails.
	SaveKey(ctx context.Context, cuil CUIL, k KeySave, ev AuditEvent) error
	// Lockout returns the failure count and lock of cuil for kind.
	Lockout(ctx context.Context, cuil CUIL, kind LockKind) (Lockout, error)
	// RecordFailure atomically counts one failure of kind at now. While
	// cuil is locked it counts nothing and returns the lock in force. When
	// the count (reserved attempts included) reaches rule.Max it locks cuil
	// until now+rule.For, resets the count, drops the reserved attempts and
	// appends a "locked" audit event, in the same transaction.
	RecordFailure(ctx context.Context, cuil CUIL, kind LockKind, now time.Time, rule LockRule) (Lockout, error)
	// ReserveAttempt atomically reserves attempt id of kind, valid until
	// now+ttl, counting it toward rule.Max until it is settled or expires.
	// It is refused (AttemptLocked) while cuil is locked, and (AttemptBusy)
	// when the failures and the attempts still held already reach
	// rule.Max. An attempt that expired unsettled was never judged: it is
	// given back (as a void one), whenever the CUIL's count is next decided
	// on (ReserveAttempt, SettleAttempt, RecordFailure).
	ReserveAttempt(ctx context.Context, cuil CUIL, kind LockKind, id string, now time.Time, rule LockRule, ttl time.Duration) (Attempt, error)
	// SettleAttempt atomically ends reserved attempt id, once: passed
	// forgets the failures (and every other reserved attempt), void gives
	// the attempt back, failed keeps it counted and locks as RecordFailure
	// does. An attempt that is unknown, settled already, expired, or
	// dropped by a lock or a pass is AttemptStale, or AttemptLocked while
	// cuil is locked; nothing is then changed.
	SettleAttempt(ctx context.Context, cuil CUIL, kind LockKind, id string, outcome Outcome, now time.Time, rule LockRule) (Attempt, error)
	// ClearFailures forgets the failures, the reserved attempts and any
	// lock of kind.
	ClearFailures(ctx context.Context, cuil CUIL, kind LockKind) error
	// KnownSource reports whether source (an opaque identifier) verified
	// cuil's key successfully at or after since.
	KnownSource(ctx context.Context, cuil CUIL, source string, since time.Time) (bool, error)
	// RememberSource records that source verified cuil's key at at, and
	// forgets cuil's sources not seen since forgetBefore.
	RememberSource(ctx context.Context, cuil CUIL, source string, at, forgetBefore time.Time) error
	// AppendAudit records ev.
	AppendAudit(ctx context.Context, ev AuditEvent) error
	QuestionStore

	// Contacts returns cuil's contacts (none is not an error).
	Contacts(ctx context.Context, cuil CUIL) (Contacts, error)
	// SaveContact stores c as cuil's contact of its kind, or deletes it
	// when c.Value is empty, and appends ev, in one transaction. A CUIL
	// that is not in the registry is NotFound.
	SaveContact(ctx context.Context, cuil CUIL, c Contact, ev AuditEvent) error
	// ClaimCodeSend atomically claims, at now, the sending of a one-time
	// code of cuil to dest (a pseudonym of the contact), unless one was
	// claimed less than gap before: then ok is false and next is when the
	// next may be.
	ClaimCodeSend(ctx context.Context, cuil CUIL, dest string, now time.Time, gap time.Duration) (ok bool, next time.Time, err error)
	// ReleaseCodeSend gives back the claim made at at, if it is the last:
	// the code was never sent, so another may be at once.
	ReleaseCodeSend(ctx context.Context, cuil CUIL, dest string, at time.Time) error
	// SaveCode stores a one-time code sent (its keyed hash, never the code).
	SaveCode(ctx context.Context, rec CodeRecord) error
	// Code returns cuil's code id, or NotFound.
	Code(ctx context.Context, cuil CUIL, id string) (CodeRecord, error)
	// UseCode deletes cuil's code id if its hash is hash, and reports
	// whether it did: of two uses at once, one wins.
	UseCode(ctx context.Context, cuil CUIL, id, hash string) (bool, error)
}

// QuestionStore keeps what identity questions need: donors, whose data
// make the wrong options, and each CUIL's questions once drawn.
type QuestionStore interface {
	// Donors returns the citizens FindDonors draws for q, in the order
	// drawn, with the fields identity questions use: sex, birth date, DNI
	// issue date, birth province, and employers' and benefits' names.
	Donors(ctx context.Context, q DonorQuery) ([]*Citizen, error)
	// QuestionSet returns the questions stored for cuil, or a errs.NotFound
	// error when none are.
	QuestionSet(ctx context.Context, cuil CUIL) (QuestionSet, error)
	// SaveQuestionSet stores set as cuil's, with version prev+1, if the
	// stored set still has version prev (0: none stored). It reports
	// whether it did: false means another process saved first.
	SaveQuestionSet(ctx context.Context, cuil CUIL, set QuestionSet, prev int) (bool, error)
}

// FirstDrawer is a QuestionStore that reads a CUIL's stored questions
// and, when none are stored, the donors of its first draw, in fewer round
// trips than QuestionSet then Donors (registry/sqlstore: two instead of
// four, at the identity step of every first validation).
type FirstDrawer interface {
	// QuestionSetOrDonors returns the questions stored for q.CUIL and
	// found true; or, when none are, found false and what Donors returns
	// for q.
	QuestionSetOrDonors(ctx context.Context, q DonorQuery) (set QuestionSet, donors []*Citizen, found bool, err error)
}

// KeyRecord is a stored key: its argon2id hash in PHC form, and what it
// was confirmed as (KeySave.Origin).
type KeyRecord struct {
	Hash   string
	SetAt  time.Time
	Origin string
}

// KeySave is a key to store: its argon2id hash in PHC form; Origin, what
// it was confirmed as (the nonce of its seal, see keyseal.go; "" when
// none), so that the chat that stored it can tell its key was stored
// after a failure kept it from saying so; and the lockouts storing it
// clears.
type KeySave struct {
	Hash   string
	Origin string
	Clear  []LockKind
	// First stores the key only when the CUIL has none (a creation):
	// otherwise SaveKey is errs.Conflict and writes nothing.
	First bool
	// Over, when not zero, stores the key only when the CUIL's key is the
	// one set at Over, to the millisecond (as a chat keeps it): a change
	// whose proof went stale meanwhile (another chat changed or recovered
	// the key after this one checked it) is errs.Conflict, and nothing is
	// written.
	Over time.Time
}

// LockKind names what a lockout counts.
type LockKind string

// The lockouts of CONTRACT §5. Wrong keys are counted apart for the
// sources a citizen has logged in from before, so that a stranger's wrong
// keys do not lock the citizen out of their own device (see Verify).
const (
	LockValidation LockKind = "validation" // failed identity validations
	LockKey        LockKind = "key"        // wrong keys at verification
	LockKeyKnown   LockKind = "key.known"  // wrong keys from sources that verified before
	// LockContactCode counts wrong codes typed to verify a new contact,
	// apart from the validations: the person has already proved the key,
	// and a slip there must not stop their recovery for hours.
	LockContactCode LockKind = "contact.code"
)

// LockRule is how many failures lock, and for how long.
type LockRule struct {
	Max int
	For time.Duration
	// MaxFor lets locks escalate: a lock that follows another within
	// StrikeMemory, with no success in between, lasts twice the one
	// before, up to MaxFor. Zero (or not above For): every lock lasts For.
	MaxFor time.Duration
}

// StrikeMemory is how long a lock is remembered for escalation: a lock
// more than this after the previous one ended starts again at For.
const StrikeMemory = 30 * 24 * time.Hour

// LockFor is how long the strike-th lock in a row lasts (strike 1 is the
// first): For, doubled for each earlier strike, up to MaxFor.
func (r LockRule) LockFor(strike int) time.Duration {
	d := r.For
	for i := 1; i < strike && d < r.MaxFor; i++ {
		d *= 2
	}
	if r.MaxFor > r.For {
		d = min(d, r.MaxFor)
	}
	return d
}

// NextStrike is the strike a lock at at would be, after a lock that ended
// at prevUntil (zero when none) and was strike prev.
func NextStrike(prev int, prevUntil, at time.Time) int {
	if prevUntil.IsZero() || at.Sub(prevUntil) > StrikeMemory {
		return 1
	}
	return prev + 1
}

// Lockout is the state of one lock: failures judged since the last lock or
// success, and the end of the current lock (zero when never locked).
// Attempts in progress are not failures: they hold their place toward the
// policy's maximum (no more are reserved than it allows), but neither lock
// nor show here, or a stranger's wrong data would be told fewer attempts
// left on a CUIL whose owner is at the questions than on any other, and
// would lock it sooner. In a refused Attempt with status AttemptBusy,
// Until is when the first attempt in progress expires.
type Lockout struct {
	Failures int
	Until    time.Time
	// JustLocked is set by RecordFailure on the failure that made the
	// lock, which wrote its audit event; a failure refused while locked
	// gets the lock in force without it. The lock is logged once
	// (FailValidation): a stranger hammering a locked CUIL wrote a line a
	// try. A settled attempt says the same by its status (AttemptFailed).
	JustLocked bool
}

// LockedAt reports whether the lock is in force at now.
func (l Lockout) LockedAt(now time.Time) bool { return now.Before(l.Until) }

// Action is what an audit event records.
type Action string

// Audit actions.
const (
	ActionKeyCreated         Action = "key.created"
	ActionKeyRecovered       Action = "key.recovered"
	ActionKeyChanged         Action = "key.changed"
	ActionKeyLocked          Action = "key.locked"           // wrong keys at verification
	ActionValidationLocked   Action = "validation.locked"    // failed validations
	ActionContactCodesLocked Action = "contact.codes_locked" // wrong codes verifying a new contact
	ActionKeyRehashed        Action = "key.rehashed"         // hash upgraded to new parameters
	ActionContactSet         Action = "contact.set"          // an e-mail or phone added or changed, not verified
	ActionContactVerified    Action = "contact.verified"     // one proved to be the person's (a code, or WhatsApp's sender)
	ActionContactRemoved     Action = "contact.removed"
)

// ContactActions are the audit actions of contact changes: they say who
// could receive a recovery's second factor, and when.
func ContactActions() []Action {
	return []Action{ActionContactSet, ActionContactVerified, ActionContactRemoved}
}

// AuditEvent is one line of the audit trail. It never holds a key.
type AuditEvent struct {
	At      time.Time
	CUIL    CUIL
	Action  Action
	Channel string // where it happened: telegram, whatsapp, rest, console, cli
	Detail  string
}
