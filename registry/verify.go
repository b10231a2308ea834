package registry

import (
	"context"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
)

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
// While locked the key is not even compared, so a locked CUIL cannot be
// probed.
func (s *Service) Verify(ctx context.Context, cuil CUIL, key, channel string) (VerifyResult, error) {
	rec, err := s.store.Key(ctx, cuil)
	switch {
	case errs.Is(errs.NotFound, err):
		return VerifyResult{Status: VerifyUnknown}, nil
	case err != nil:
		return VerifyResult{}, errs.Wrap("verify", err)
	}
	lock, err := s.store.Lockout(ctx, cuil, LockKey)
	if err != nil {
		return VerifyResult{}, errs.Wrap("verify", err)
	}
	if lock.LockedAt(s.now()) {
		return VerifyResult{Status: VerifyLocked, Until: lock.Until}, nil
	}
	ok, stale, err := s.hasher.Compare(ctx, rec.Hash, key)
	if err != nil {
		return VerifyResult{}, errs.Wrap("verify", err)
	}
	if !ok {
		return s.wrongKey(ctx, cuil)
	}
	if lock.Failures > 0 || !lock.Until.IsZero() {
		if err := s.store.ClearFailures(ctx, cuil, LockKey); err != nil {
			return VerifyResult{}, errs.Wrap("verify", err)
		}
	}
	if stale {
		s.rehash(ctx, cuil, rec.Hash, key, channel)
	}
	return VerifyResult{Status: VerifyOK}, nil
}

// wrongKey counts a wrong key and says whether it locked the CUIL.
func (s *Service) wrongKey(ctx context.Context, cuil CUIL) (VerifyResult, error) {
	now := s.now()
	lock, err := s.store.RecordFailure(ctx, cuil, LockKey, now, s.policy.WrongKeys)
	if err != nil {
		return VerifyResult{}, errs.Wrap("verify", err)
	}
	if lock.LockedAt(now) {
		s.log.Info("key locked", "cuil", cuil.Masked(), "until", lock.Until)
		return VerifyResult{Status: VerifyLocked, Until: lock.Until}, nil
	}
	return VerifyResult{Status: VerifyWrong}, nil
}

// rehash upgrades the stale hash old of a key just verified. A failure is
// logged and left for the next login: the verification already succeeded.
// The Store has no compare-and-swap, so the hash is read again just before
// saving: a key changed meanwhile is not overwritten with the old one
// (a narrow window remains; the next login would then rehash again).
func (s *Service) rehash(ctx context.Context, cuil CUIL, old, key, channel string) {
	phc, err := s.hasher.Hash(ctx, key)
	if err != nil {
		s.log.Warn("rehash failed", "cuil", cuil.Masked(), "err", err)
		return
	}
	if cur, err := s.store.Key(ctx, cuil); err != nil || cur.Hash != old {
		return // changed or gone meanwhile: the new key wins
	}
	ev := AuditEvent{At: s.now(), CUIL: cuil, Action: ActionKeyRehashed, Channel: channel}
	if err := s.store.SaveKey(ctx, cuil, phc, ev); err != nil {
		s.log.Warn("rehash failed", "cuil", cuil.Masked(), "err", err)
		return
	}
	s.log.Info("key rehashed", "cuil", cuil.Masked())
}
