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
	// SaveKey stores hash as cuil's key and appends ev, in one transaction.
	SaveKey(ctx context.Context, cuil CUIL, hash string, ev AuditEvent) error
	// Lockout returns the failure count and lock of cuil for kind.
	Lockout(ctx context.Context, cuil CUIL, kind LockKind) (Lockout, error)
	// RecordFailure atomically counts one failure of kind at now. When the
	// count reaches rule.Max it locks cuil until now+rule.For, resets the
	// count, and appends a "locked" audit event in the same transaction.
	RecordFailure(ctx context.Context, cuil CUIL, kind LockKind, now time.Time, rule LockRule) (Lockout, error)
	// ClearFailures forgets the failures and any lock of kind.
	ClearFailures(ctx context.Context, cuil CUIL, kind LockKind) error
	// AppendAudit records ev.
	AppendAudit(ctx context.Context, ev AuditEvent) error
	QuestionStore
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

// KeyRecord is a stored key: its argon2id hash in PHC form.
type KeyRecord struct {
	Hash  string
	SetAt time.Time
}

// LockKind names what a lockout counts.
type LockKind string

// The two lockouts of CONTRACT §5.
const (
	LockValidation LockKind = "validation" // failed identity validations
	LockKey        LockKind = "key"        // wrong keys at verification
)

// LockRule is how many failures lock, and for how long.
type LockRule struct {
	Max int
	For time.Duration
}

// Lockout is the state of one lock: failures counted since the last lock or
// success, and the end of the current lock (zero when never locked).
type Lockout struct {
	Failures int
	Until    time.Time
}

// LockedAt reports whether the lock is in force at now.
func (l Lockout) LockedAt(now time.Time) bool { return now.Before(l.Until) }

// Action is what an audit event records.
type Action string

// Audit actions.
const (
	ActionKeyCreated       Action = "key.created"
	ActionKeyRecovered     Action = "key.recovered"
	ActionKeyChanged       Action = "key.changed"
	ActionKeyLocked        Action = "key.locked"        // wrong keys at verification
	ActionValidationLocked Action = "validation.locked" // failed validations
	ActionKeyRehashed      Action = "key.rehashed"      // hash upgraded to new parameters
)

// AuditEvent is one line of the audit trail. It never holds a key.
type AuditEvent struct {
	At      time.Time
	CUIL    CUIL
	Action  Action
	Channel string // where it happened: telegram, whatsapp, rest, console, cli
	Detail  string
}
