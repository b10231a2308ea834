package desk

import "time"

// Backoff is a progressive delay on failed sign-in attempts counted under
// one key (an address; an account from an address): the first Free
// attempts of a Window go through at once; after them each attempt must
// come at least Base after the previous one, doubled for every further
// attempt, up to Max. The count starts afresh a Window after its first
// attempt.
type Backoff struct {
	Free   int
	Base   time.Duration
	Max    time.Duration
	Window time.Duration
}

// Wait is how long after the last of n counted attempts the next one may
// come.
func (b Backoff) Wait(n int) time.Duration {
	if n < b.Free {
		return 0
	}
	w := b.Base
	for i := b.Free; i < n && w < b.Max; i++ {
		w *= 2
	}
	return min(w, b.Max)
}
