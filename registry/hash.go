package registry

import "context"

// HashParams are argon2id's cost parameters.
type HashParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultHashParams is OWASP's minimum for argon2id: m = 19 MiB, t = 2, p = 1.
var DefaultHashParams = HashParams{Memory: 19 * 1024, Time: 2, Threads: 1}

// Hasher hashes keys with argon2id in PHC form
// ($argon2id$v=19$m=19456,t=2,p=1$salt$hash), 16-byte salt from crypto/rand.
// Hashing is the machine's real ceiling, so at most a bounded number of
// hashes run at once; a caller that cannot get a slot before its context
// ends gets an Unavailable error ("saturado") instead of queueing forever.
type Hasher struct {
	params HashParams
	slots  chan struct{}
}

// NewHasher returns a Hasher running at most concurrency hashes at once.
func NewHasher(p HashParams, concurrency int) *Hasher { panic("TODO") }

// Hash returns the PHC string of key.
func (h *Hasher) Hash(ctx context.Context, key string) (string, error) { panic("TODO") }

// Compare reports whether key matches phc, in constant time, and whether phc
// was made with parameters weaker than h's (so it should be rehashed).
func (h *Hasher) Compare(ctx context.Context, phc, key string) (ok, stale bool, err error) {
	panic("TODO")
}
