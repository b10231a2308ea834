package registry

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
	"golang.org/x/crypto/argon2"
)

// HashParams are argon2id's cost parameters.
type HashParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultHashParams is OWASP's minimum for argon2id: m = 19 MiB, t = 2, p = 1.
var DefaultHashParams = HashParams{Memory: 19 * 1024, Time: 2, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
	// Bounds on parameters read from a stored hash, so a corrupt or hostile
	// row cannot make one comparison allocate gigabytes or spin for minutes.
	maxMemory = 1 << 20 // KiB: 1 GiB
	maxTime   = 64
)

// ErrSaturated is hashing that found no free slot in time.
var ErrSaturated = errs.New(errs.Unavailable, "hashing saturated")

// ErrHashFormat is a stored hash that is not argon2id in PHC form.
var ErrHashFormat = errs.New(errs.Invalid, "not an argon2id PHC string")

// Hasher hashes keys with argon2id in PHC form
// ($argon2id$v=19$m=19456,t=2,p=1$salt$hash), 16-byte salt from crypto/rand.
// Hashing is the machine's real ceiling, so at most a bounded number of
// hashes run at once; a caller that cannot get a slot before its context
// ends gets an errs.Unavailable error ("saturado") instead of queueing forever.
type Hasher struct {
	params   HashParams
	slots    chan struct{}
	maxWait  time.Duration
	waiting  atomic.Int32  // callers waiting for a slot
	maxQueue int32         // beyond this many waiting, a caller is refused at once
	evals    atomic.Uint64 // argon2id evaluations run
	kdf      KDF
}

// KDF is argon2.IDKey, run where a Hasher is told (in this process by
// default; registry/argonproc runs it in a child at the lowest CPU
// priority). It may give up when ctx ends.
type KDF func(ctx context.Context, key, salt []byte, time, memory uint32, threads uint8, keyLen uint32) ([]byte, error)

// inProcess is argon2id in this process.
func inProcess(_ context.Context, key, salt []byte, time, memory uint32, threads uint8, keyLen uint32) ([]byte, error) {
	return argon2.IDKey(key, salt, time, memory, threads, keyLen), nil
}

// HasherOption configures a Hasher.
type HasherOption func(*Hasher)

// WithKDF runs argon2id with f instead of in this process.
func WithKDF(f KDF) HasherOption { return func(h *Hasher) { h.kdf = f } }

// Evaluations returns how many argon2id evaluations h has run: hashes and
// comparisons alike, each one the machine's most expensive unit of work.
func (h *Hasher) Evaluations() uint64 { return h.evals.Load() }

// DefaultHashWait is how long a hash waits for a slot before the person is
// told the system is saturated.
const DefaultHashWait = 5 * time.Second

// hashQueue is how many callers may wait per slot: about a second of
// hashing at the ceiling (a hash takes 15-30 ms of a core), so a slot never
// idles while people are choosing keys, and a person who typed a key waits
// a second or two instead of being told to come back in a few minutes.
// More are refused at once ("saturado"). With eight (2026-11-29), the
// people choosing their key at the same moment were refused while the
// hashing idled: `clavebot loadtest --mix create`, 1,500 chats, 64 in
// flight, people writing again 2 s after "busy", on 2 cores
// (2026-11-30): 10.2 keys/s (14 % of the argon2id ceiling) and 49,077
// refusals with eight; 42.5 keys/s (64 %), none refused, with 32 (key
// turns' p50 0.33 s, p99 1.7 s; other turns' p99 53 -> 61 ms). The
// realistic mix, 3,000 chats: 8.1 -> 17.1 keys/s, 30,955 -> 0 refusals,
// other turns' p99 52 -> 34 ms, key turns' p99 1.3 -> 2.8 s.
const hashQueue = 32

// NewHasher returns a Hasher running at most concurrency hashes at once
// (at least one), with at most hashQueue callers per slot waiting.
func NewHasher(p HashParams, concurrency int, opts ...HasherOption) *Hasher {
	n := max(concurrency, 1)
	h := &Hasher{params: p, slots: make(chan struct{}, n), maxWait: DefaultHashWait, maxQueue: int32(hashQueue * n), kdf: inProcess}
	for _, o := range opts {
		o(h)
	}
	return h
}

// Params returns the parameters new hashes are made with.
func (h *Hasher) Params() HashParams { return h.params }

// Hash returns the PHC string of key.
func (h *Hasher) Hash(ctx context.Context, key string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", errs.E(errs.Unavailable, "hash", err)
	}
	release, err := h.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	h.evals.Add(1)
	p := h.params
	sum, err := h.kdf(ctx, []byte(keyForm(key)), salt, p.Time, p.Memory, p.Threads, keyLen)
	if err != nil {
		return "", errs.E(errs.Unavailable, "hash", err)
	}
	return encodePHC(phc{params: p, salt: salt, sum: sum}), nil
}

// Compare reports whether key matches phc, in constant time, and whether phc
// was made with parameters weaker than h's (so it should be rehashed).
func (h *Hasher) Compare(ctx context.Context, phc, key string) (ok, stale bool, err error) {
	stored, err := parsePHC(phc)
	if err != nil {
		return false, false, errs.E(errs.Invalid, "compare hash", err)
	}
	release, err := h.acquire(ctx)
	if err != nil {
		return false, false, err
	}
	defer release()
	ok, err = h.matches(ctx, stored, keyForm(key))
	if err == nil && !ok && keyForm(key) != key {
		// A hash made before keys were hashed in NFC, of the bytes as
		// typed then: typed the same way, it is still the key.
		ok, err = h.matches(ctx, stored, key)
	}
	if err != nil {
		return false, false, errs.E(errs.Unavailable, "compare hash", err)
	}
	return ok, stored.weakerThan(h.params), nil
}

// matches reports whether key's sum with stored's salt and parameters is
// stored's, in constant time.
func (h *Hasher) matches(ctx context.Context, stored phc, key string) (bool, error) {
	h.evals.Add(1)
	p := stored.params
	sum, err := h.kdf(ctx, []byte(key), stored.salt, p.Time, p.Memory, p.Threads, uint32(len(stored.sum)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(sum, stored.sum) == 1, nil
}

// acquire takes a hashing slot, or gives up when ctx ends first, when the
// wait is too long, or at once when too many are already waiting: under
// overload the person is told so, rather than queued.
func (h *Hasher) acquire(ctx context.Context) (release func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, errs.E(errs.Unavailable, "hash", err)
	}
	select {
	case h.slots <- struct{}{}:
		return func() { <-h.slots }, nil
	default:
	}
	if h.waiting.Add(1) > h.maxQueue {
		h.waiting.Add(-1)
		return nil, errs.E(errs.Unavailable, "hash", ErrSaturated)
	}
	defer h.waiting.Add(-1)
	wait := time.NewTimer(h.maxWait)
	defer wait.Stop()
	select {
	case h.slots <- struct{}{}:
		return func() { <-h.slots }, nil
	case <-ctx.Done():
		return nil, errs.E(errs.Unavailable, "hash", ctx.Err())
	case <-wait.C:
		return nil, errs.E(errs.Unavailable, "hash", ErrSaturated)
	}
}

// decoy is a hash no key matches (its sum is random), made with the
// parameters in force: comparing a key with it costs what comparing with a
// stored hash does, so a CUIL without a key answers as slowly as one with.
func (h *Hasher) decoy() string {
	p := phc{params: h.params, salt: make([]byte, saltLen), sum: make([]byte, keyLen)}
	rand.Read(p.salt)
	rand.Read(p.sum)
	return encodePHC(p)
}

// phc is a decoded argon2id hash.
type phc struct {
	params    HashParams
	salt, sum []byte
}

func (p phc) weakerThan(want HashParams) bool {
	return p.params.Memory < want.Memory || p.params.Time < want.Time ||
		p.params.Threads < want.Threads || len(p.salt) < saltLen || len(p.sum) < keyLen
}

var b64 = base64.RawStdEncoding

func encodePHC(p phc) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		p.params.Memory, p.params.Time, p.params.Threads, b64.EncodeToString(p.salt), b64.EncodeToString(p.sum))
}

// parsePHC decodes $argon2id$v=19$m=M,t=T,p=P$salt$hash.
func parsePHC(s string) (phc, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v=19" {
		return phc{}, ErrHashFormat
	}
	params, err := parsePHCParams(parts[3])
	if err != nil {
		return phc{}, err
	}
	salt, err1 := b64.DecodeString(parts[4])
	sum, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(sum) < 16 || len(sum) > 64 {
		return phc{}, fmt.Errorf("%w: salt or hash", ErrHashFormat)
	}
	return phc{params: params, salt: salt, sum: sum}, nil
}

// parsePHCParams reads "m=19456,t=2,p=1", exactly so written and within
// the bounds that keep one comparison affordable.
func parsePHCParams(s string) (HashParams, error) {
	var m, t, p uint64
	n, err := fmt.Sscanf(s, "m=%d,t=%d,p=%d", &m, &t, &p)
	if err != nil || n != 3 || s != fmt.Sprintf("m=%d,t=%d,p=%d", m, t, p) ||
		p < 1 || p > 255 || m < 8*p || m > maxMemory || t < 1 || t > maxTime {
		return HashParams{}, fmt.Errorf("%w: parameters %q", ErrHashFormat, s)
	}
	return HashParams{Memory: uint32(m), Time: uint32(t), Threads: uint8(p)}, nil
}
