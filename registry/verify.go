package registry

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
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
	// Busy, with VerifyLocked, says the CUIL is not locked: every attempt
	// left is a comparison under way, and Until is when the first of
	// them expires, not a lock's end. The API answers it as locked, with
	// that retry time; a person is told to try again in a few minutes.
	Busy bool
}

// verifyTTL bounds a reserved key comparison: the wait for a hashing slot
// (DefaultHashWait) and the hash, with room to spare. A comparison that
// outlives it stays counted as a wrong key.
const verifyTTL = time.Minute

// knownFor is how long a source that verified a key stays known.
const knownFor = 90 * 24 * time.Hour

// Verify checks cuil's key for a caller that says nothing of the person's
// source (the CLI, the chat): see VerifyFrom.
func (s *Service) Verify(ctx context.Context, cuil CUIL, key, channel string) (VerifyResult, error) {
	return s.VerifyFrom(ctx, cuil, key, channel, "")
}

// VerifyFrom checks cuil's key typed by a person at source (an opaque
// identifier of their device or address, given by the portal; "" when
// unknown). Each comparison is reserved in the database before the key is
// hashed, so however many guesses arrive at once, no more than the
// policy's number of wrong keys are compared before the lock, and none
// while it holds. A right key clears the count; a hash made with weaker
// parameters is upgraded.
//
// Wrong keys from sources that verified cuil's key before (within
// knownFor) are counted apart from everyone else's: a stranger's wrong
// keys lock cuil for every unknown source, and the citizen can still log
// in from their own device. Each count locks after the policy's number.
func (s *Service) VerifyFrom(ctx context.Context, cuil CUIL, key, channel, source string) (VerifyResult, error) {
	return s.verify(ctx, cuil, key, channel, source, false)
}

// VerifyBlind is Verify for a caller that must not tell a stranger which
// CUILs have a key (the chat's current key, issue 8.4): a CUIL without
// one, or in no record, is answered as a wrong key. Its comparison is
// reserved, made (against a decoy hash of the same cost, so it takes as
// long) and counted like any other, and locks after as many; creating
// the CUIL's key forgets those failures (SetKey).
func (s *Service) VerifyBlind(ctx context.Context, cuil CUIL, key, channel string) (VerifyResult, error) {
	return s.verify(ctx, cuil, key, channel, "", true)
}

func (s *Service) verify(ctx context.Context, cuil CUIL, key, channel, source string, blind bool) (VerifyResult, error) {
	rec, err := s.store.Key(ctx, cuil)
	none := errs.Is(errs.NotFound, err)
	switch {
	case none && blind:
		rec = KeyRecord{Hash: s.hasher.decoy()}
	case none:
		return VerifyResult{Status: VerifyUnknown}, nil
	case err != nil:
		return VerifyResult{}, errs.Wrap("verify", err)
	}
	kind, src, err := s.keyCounter(ctx, cuil, source)
	if err != nil {
		return VerifyResult{}, errs.Wrap("verify", err)
	}
	att, err := s.reserve(ctx, cuil, kind, s.policy.KeyRule(kind), verifyTTL)
	if err != nil {
		return VerifyResult{}, errs.Wrap("verify", err)
	}
	if att.Refused() {
		return VerifyResult{Status: VerifyLocked, Until: att.Lockout.Until, Busy: att.Status == AttemptBusy}, nil
	}
	ok, stale, err := s.hasher.Compare(ctx, rec.Hash, key)
	ok = ok && !none
	if err != nil {
		// Nothing was compared: the attempt is given back.
		s.settle(context.WithoutCancel(ctx), cuil, kind, att.ID, OutcomeVoid)
		return VerifyResult{}, errs.Wrap("verify", err)
	}
	res, err := s.settleKey(context.WithoutCancel(ctx), cuil, kind, att.ID, ok)
	if err != nil || res.Status != VerifyOK {
		return res, err
	}
	if src != "" {
		now := s.now()
		if err := s.store.RememberSource(ctx, cuil, src, now, now.Add(-knownFor)); err != nil {
			s.log.Warn("remember source failed", "cuil", cuil.Masked(), "err", err)
		}
	}
	if stale {
		s.rehash(ctx, cuil, rec.Hash, key, channel)
	}
	return res, nil
}

// settleKey records a compared key and says what to answer.
func (s *Service) settleKey(ctx context.Context, cuil CUIL, kind LockKind, id string, ok bool) (VerifyResult, error) {
	outcome := OutcomeFailed
	if ok {
		outcome = OutcomePassed
	}
	now := s.now()
	done, err := s.store.SettleAttempt(ctx, cuil, kind, id, outcome, now, s.policy.KeyRule(kind))
	if err != nil {
		return VerifyResult{}, errs.Wrap("verify", err)
	}
	switch {
	case done.Status == AttemptLocked || done.Lockout.LockedAt(now):
		if done.Status == AttemptFailed {
			s.log.Info("key locked", "cuil", cuil.Masked(), "kind", string(kind), "until", done.Lockout.Until)
		}
		return VerifyResult{Status: VerifyLocked, Until: done.Lockout.Until}, nil
	case !ok:
		return VerifyResult{Status: VerifyWrong}, nil
	}
	// Passed, or stale (the attempt outlived verifyTTL or a pass elsewhere
	// began a new window): the key was compared within the limit.
	return VerifyResult{Status: VerifyOK}, nil
}

// settle ends an attempt whose outcome needs no answer; a failure is
// logged and the attempt expires as a failure.
func (s *Service) settle(ctx context.Context, cuil CUIL, kind LockKind, id string, outcome Outcome) {
	rule := s.policy.KeyRule(kind)
	if kind == LockValidation {
		rule = s.policy.Validation
	}
	if _, err := s.store.SettleAttempt(ctx, cuil, kind, id, outcome, s.now(), rule); err != nil {
		s.log.Warn("settle attempt failed", "cuil", cuil.Masked(), "err", err)
	}
}

// keyCounter chooses the wrong-key count for source, and returns the
// source's pseudonym to remember after a right key ("" for none).
func (s *Service) keyCounter(ctx context.Context, cuil CUIL, source string) (LockKind, string, error) {
	if source == "" {
		return LockKey, "", nil
	}
	src := s.sourceID(source)
	known, err := s.store.KnownSource(ctx, cuil, src, s.now().Add(-knownFor))
	if err != nil || !known {
		return LockKey, src, err
	}
	return LockKeyKnown, src, nil
}

// sourceID is the pseudonym stored for a source: a keyed hash, so the
// database holds no one's address, and the same source always has the
// same pseudonym for this deployment.
func (s *Service) sourceID(source string) string {
	var key [8]byte
	binary.BigEndian.PutUint64(key[:], s.seed)
	mac := hmac.New(sha256.New, key[:])
	io.WriteString(mac, source)
	return hex.EncodeToString(mac.Sum(nil)[:16])
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
	cur, err := s.store.Key(ctx, cuil)
	if err != nil || cur.Hash != old {
		return // changed or gone meanwhile: the new key wins
	}
	ev := AuditEvent{At: s.now(), CUIL: cuil, Action: ActionKeyRehashed, Channel: channel}
	if err := s.store.SaveKey(ctx, cuil, KeySave{Hash: phc, Origin: cur.Origin}, ev); err != nil {
		s.log.Warn("rehash failed", "cuil", cuil.Masked(), "err", err)
		return
	}
	s.log.Info("key rehashed", "cuil", cuil.Masked())
}
