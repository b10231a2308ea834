package dialog

import "time"

// WithLimiter sets the limiter of what a stranger could abuse (the
// troubleshooting checks of a CUIL). Without one nothing is limited:
// `clavebot serve` and `chat` always give the Redis one.
func WithLimiter(l Limiter) Option { return func(e *Engine) { e.limits = l } }

// limit is a number of uses per window of one subject (a chat, a source,
// a CUIL), named by key; a limit with an empty key does not apply.
type limit struct {
	key string
	max int
	per time.Duration
}

// on is l applied to the subject named by key.
func (l limit) on(key string) limit { l.key = key; return l }

// allow counts one use against each limit, in order; the first exceeded
// refuses, and says how long until it frees.
func (t *turn) allow(limits ...limit) (bool, time.Duration, error) {
	for _, l := range limits {
		if l.key == "" {
			continue
		}
		ok, retry, err := t.e.limits.Allow(t.ctx, l.key, l.max, l.per)
		if err != nil || !ok {
			return false, retry, err
		}
	}
	return true, 0, nil
}
