package registry

import (
	"context"
	"log/slog"
	"time"
)

// Service applies the registry's rules (key policy, lockouts, audit) over a
// Store. The dialog engine, `clavebot key verify` and the REST verify
// endpoint all go through it.
type Service struct {
	store  Store
	hasher *Hasher
	policy Policy
	now    func() time.Time
	seed   uint64 // mixes into question seeds so they cannot be predicted offline
	log    *slog.Logger
}

// NewService wires a Service. now may be nil for time.Now.
func NewService(store Store, hasher *Hasher, policy Policy, now func() time.Time, seed uint64, log *slog.Logger) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, hasher: hasher, policy: policy, now: now, seed: seed, log: log}
}

// Policy returns the rules in force.
func (s *Service) Policy() Policy { return s.policy }

// Citizen returns cuil's record (NotFound when there is none).
func (s *Service) Citizen(ctx context.Context, cuil CUIL) (*Citizen, error) { panic("TODO") }

// HasKey reports whether cuil has a key.
func (s *Service) HasKey(ctx context.Context, cuil CUIL) (bool, error) { panic("TODO") }

// Lockout returns the lock of kind on cuil.
func (s *Service) Lockout(ctx context.Context, cuil CUIL, kind LockKind) (Lockout, error) {
	panic("TODO")
}

// FailValidation counts a failed identity validation (wrong personal data or
// wrong answers) and returns the lock, which is in force after the policy's
// maximum.
func (s *Service) FailValidation(ctx context.Context, cuil CUIL) (Lockout, error) { panic("TODO") }

// PassValidation forgets cuil's failed validations.
func (s *Service) PassValidation(ctx context.Context, cuil CUIL) error { panic("TODO") }

// Questions returns the identity questions for c. They depend only on the
// CUIL, the service's seed and the registry's contents, so starting over
// does not reroll easier ones.
func (s *Service) Questions(ctx context.Context, c *Citizen) ([]Question, error) { panic("TODO") }

// CheckNewKey checks key against the policy, and on recovery or change
// against the current key (RuleCurrent).
func (s *Service) CheckNewKey(ctx context.Context, c *Citizen, key string) error { panic("TODO") }

// HashKey hashes a new key (Unavailable when hashing is saturated).
func (s *Service) HashKey(ctx context.Context, key string) (string, error) { panic("TODO") }

// CompareHash reports whether key matches a hash made by HashKey.
func (s *Service) CompareHash(ctx context.Context, phc, key string) (bool, error) { panic("TODO") }

// SetKey stores phc as cuil's key and writes the audit event for action
// (created, recovered or changed). Recovery also clears the wrong-key lock.
func (s *Service) SetKey(ctx context.Context, cuil CUIL, phc string, action Action, channel string) error {
	panic("TODO")
}

// VerifyStatus is the outcome of a key verification (CONTRACT §4).
type VerifyStatus string

// Verification outcomes.
const (
	VerifyOK      VerifyStatus = "ok"
	VerifyWrong   VerifyStatus = "wrong"
	VerifyUnknown VerifyStatus = "unknown"
	VerifyLocked  VerifyStatus = "locked"
)

// VerifyResult is a verification's outcome and, when locked, until when.
type VerifyResult struct {
	Status VerifyStatus
	Until  time.Time
}

// Verify checks cuil's key. Wrong keys count toward the wrong-key lock, a
// right one clears it; a hash made with weaker parameters is upgraded.
func (s *Service) Verify(ctx context.Context, cuil CUIL, key, channel string) (VerifyResult, error) {
	panic("TODO")
}
