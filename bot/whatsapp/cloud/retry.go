package cloud

import (
	"github.com/clavebot/clavebot/internal/ctxsleep"

	"context"
	"time"
)

// retry bounds the waits within a turn after rate limits and Meta's own
// failures: Retry-After when Meta gives one, else an exponential backoff.
type retry struct {
	attempts int
	base     time.Duration
	max      time.Duration
	sleep    func(ctx context.Context, d time.Duration) error
}

func defaultRetry() retry {
	return retry{attempts: 5, base: time.Second, max: 30 * time.Second, sleep: ctxsleep.Sleep}
}

func (r retry) wait(attempt int, ge *GraphError) time.Duration {
	d := ge.retryAfter
	if d <= 0 {
		d = r.base << (attempt - 1)
	}
	return min(d, r.max)
}
