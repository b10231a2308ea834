package registry

import (
	"context"
	"log/slog"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
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
	// sealKey keys the seals of new keys awaiting confirmation (keyseal.go).
	sealKey []byte
	log     *slog.Logger
	// records, when set (WithRecordCache), keeps records read lately.
	records *recordCache
}

// ServiceOption configures a Service.
type ServiceOption func(*Service)

// WithClock sets the Service's clock (default time.Now).
func WithClock(now func() time.Time) ServiceOption { return func(s *Service) { s.now = now } }

// WithLogger sets the Service's logger (default: discard).
func WithLogger(log *slog.Logger) ServiceOption { return func(s *Service) { s.log = log } }

// NewService wires a Service over its store, the hasher of keys, the
// rules in force and the seed mixed into the questions' order.
func NewService(store Store, hasher *Hasher, policy Policy, seed uint64, opts ...ServiceOption) *Service {
	s := &Service{store: store, hasher: hasher, policy: policy, seed: seed, now: time.Now, log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(s)
	}
	if s.sealKey == nil {
		s.sealKey = seedSealKey(seed)
	}
	return s
}

// HashEvaluations returns how many argon2id evaluations the Service's
// hasher has run (serve's clavebot_argon2id_evaluations_total).
func (s *Service) HashEvaluations() uint64 { return s.hasher.Evaluations() }

// Policy returns the rules in force.
func (s *Service) Policy() Policy { return s.policy }

// Citizen returns cuil's record (errs.NotFound when there is none).
func (s *Service) Citizen(ctx context.Context, cuil CUIL) (*Citizen, error) {
	if s.records != nil {
		c, err := s.citizenCached(ctx, cuil)
		return c, errs.Wrap("citizen", err)
	}
	c, err := s.store.Citizen(ctx, cuil)
	return c, errs.Wrap("citizen", err)
}

// HasKey reports whether cuil has a key.
func (s *Service) HasKey(ctx context.Context, cuil CUIL) (bool, error) {
	_, err := s.store.Key(ctx, cuil)
	switch {
	case errs.Is(errs.NotFound, err):
		return false, nil
	case err != nil:
		return false, errs.Wrap("has key", err)
	}
	return true, nil
}

// KeySetAt is when cuil's key was stored; zero when it has none. A chat
// that proved the key keeps it, to tell the key it proved from one stored
// since (the contacts ask for the key again then).
func (s *Service) KeySetAt(ctx context.Context, cuil CUIL) (time.Time, error) {
	k, err := s.store.Key(ctx, cuil)
	switch {
	case errs.Is(errs.NotFound, err):
		return time.Time{}, nil
	case err != nil:
		return time.Time{}, errs.Wrap("key set at", err)
	}
	return k.SetAt, nil
}

// Lockout returns the lock of kind on cuil.
func (s *Service) Lockout(ctx context.Context, cuil CUIL, kind LockKind) (Lockout, error) {
	l, err := s.store.Lockout(ctx, cuil, kind)
	return l, errs.Wrap("lockout", err)
}

// CheckNewKey checks key against the policy, and on recovery or change
// against the current key (RuleCurrent).
func (s *Service) CheckNewKey(ctx context.Context, c *Citizen, key string) error {
	if err := s.policy.CheckKey(key, c); err != nil {
		return err
	}
	rec, err := s.store.Key(ctx, c.CUIL)
	switch {
	case errs.Is(errs.NotFound, err):
		return nil // creating the first key: there is no current one
	case err != nil:
		return errs.Wrap("check new key", err)
	}
	same, _, err := s.hasher.Compare(ctx, rec.Hash, key)
	if err != nil {
		return errs.Wrap("check new key", err)
	}
	if same {
		return errs.E(errs.Invalid, "check new key", &KeyRuleError{Rule: RuleCurrent})
	}
	return nil
}

// HashKey hashes a new key (errs.Unavailable when hashing is saturated).
func (s *Service) HashKey(ctx context.Context, key string) (string, error) {
	h, err := s.hasher.Hash(ctx, key)
	return h, errs.Wrap("hash key", err)
}

// CompareHash reports whether key matches a hash made by HashKey.
func (s *Service) CompareHash(ctx context.Context, phc, key string) (bool, error) {
	ok, _, err := s.hasher.Compare(ctx, phc, key)
	return ok, errs.Wrap("compare hash", err)
}

// SetKey stores phc as cuil's key and writes the audit event for action
// (created, recovered or changed), in one transaction with the clearing
// of what the new key ends (keyClears). A write whose outcome is unknown
// (its answer lost: a statement timeout, the turn's deadline, a dropped
// connection) is read back: a key stored is reported stored, so the person
// is never told to try again for a key they have.
func (s *Service) SetKey(ctx context.Context, cuil CUIL, phc string, action Action, channel string) error {
	return s.saveKey(ctx, cuil, KeySave{Hash: phc}, action, channel)
}

func (s *Service) saveKey(ctx context.Context, cuil CUIL, k KeySave, action Action, channel string) error {
	k.Clear = keyClears(action)
	// A creation never replaces a key: two chats that proved the same
	// person, each having checked that the CUIL had none, both stored
	// theirs, the first told "creada" with a key the second replaced (an
	// attack probe).
	k.First = action == ActionKeyCreated
	ev := AuditEvent{At: s.now(), CUIL: cuil, Action: action, Channel: channel}
	if err := s.store.SaveKey(ctx, cuil, k, ev); err != nil {
		if errs.Is(errs.Conflict, err) || !s.storedAfterAll(ctx, cuil, k) {
			return errs.Wrap("set key", err)
		}
		s.log.Warn("key stored, though its write reported an error", "cuil", cuil.Masked(), "err", err)
	}
	s.log.Info("key stored", "cuil", cuil.Masked(), "action", string(action), "channel", channel)
	return nil
}

// keyClears is what storing a key for action ends. Recovery clears the
// wrong-key locks and any failed validations: the person just proved who
// they are. Creation clears the wrong-key counts: there was no key to
// guess, so they are strangers' keys typed for a CUIL without one
// (VerifyBlind), and must not hold the new key locked.
func keyClears(action Action) []LockKind {
	switch action {
	case ActionKeyRecovered:
		return []LockKind{LockKey, LockKeyKnown, LockValidation}
	case ActionKeyCreated:
		return []LockKind{LockKey, LockKeyKnown}
	}
	return nil
}

// storedAfterAll reads back, after a failed write of k, whether k was
// stored all the same (the database committed it but the answer was
// lost), with a few seconds of its own: ctx may be what ended.
func (s *Service) storedAfterAll(ctx context.Context, cuil CUIL, k KeySave) bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), readBackTimeout)
	defer cancel()
	rec, err := s.store.Key(ctx, cuil)
	return err == nil && rec.Hash == k.Hash
}

// readBackTimeout bounds storedAfterAll's read.
const readBackTimeout = 3 * time.Second

// KeyStored reports whether cuil's key is the one a chat confirmed: the
// key sealed in seal (StoreSealedKey). A chat whose turn stored its key and
// then failed (the state not saved, the answer lost) asks at its next
// message, and is told its key is stored rather than to choose it again.
func (s *Service) KeyStored(ctx context.Context, cuil CUIL, seal string) (bool, error) {
	rec, err := s.store.Key(ctx, cuil)
	switch {
	case errs.Is(errs.NotFound, err):
		return false, nil
	case err != nil:
		return false, errs.Wrap("key stored", err)
	}
	origin, ok := sealOrigin(seal)
	return ok && rec.Origin == origin, nil
}
