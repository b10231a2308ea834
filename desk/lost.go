package desk

import (
	"context"
	"fmt"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
)

// After the embedded Redis restarted (serve's default: the process
// restarted), or a Redis was flushed, the queue was empty and the records
// of the hand-overs under way stayed open for ever: neither closed nor
// taken, never in the queue again (a person who writes again is a new
// hand-over, "resumed", or, their chat's state lost too, back at the bot).
// Every process checks, every lostEvery, the records open for longer than
// lostGrace against the queue, and closes those it does not have as lost,
// and says so in its log.

// lostGrace is how old an open record must be to be checked: a hand-over
// is recorded just before it is queued.
const lostGrace = 5 * time.Minute

// lostEvery is how often FollowHours checks.
const lostEvery = 5 * time.Minute

// OpenRecords is records that can list the conversations not closed;
// *sqldesk.DB is one. Without it, lost records are not looked for.
type OpenRecords interface {
	// OpenBefore lists the conversations not closed that were handed
	// over before t (their ID and Chat).
	OpenBefore(ctx context.Context, t time.Time) ([]Conversation, error)
	// CloseOpen closes conv at at with outcome, if it is still open, and
	// reports whether it did: a record closed meanwhile (an agent resolved
	// it on another replica) keeps its outcome.
	CloseOpen(ctx context.Context, conv string, at time.Time, outcome string) (bool, error)
}

// CloseLost closes, as lost, the records open for longer than lostGrace
// whose conversation the queue does not have, and returns how many.
func (d *Handoffs) CloseLost(ctx context.Context) (int, error) {
	open, ok := d.rec.(OpenRecords)
	if !ok {
		return 0, nil
	}
	now := d.cfg.Now()
	list, err := open.OpenBefore(ctx, now.Add(-lostGrace))
	if err != nil {
		return 0, fmt.Errorf("desk: lost records: %w", err)
	}
	n := 0
	for _, r := range list {
		c, _, err := d.q.Get(ctx, r.Chat)
		switch {
		case err == nil && c.ID == r.ID:
			continue
		case err != nil && !errs.Is(errs.NotFound, err):
			return n, fmt.Errorf("desk: lost records: %w", err)
		}
		closed, err := open.CloseOpen(ctx, r.ID, now, OutcomeLost)
		if err != nil {
			return n, fmt.Errorf("desk: lost records: %w", err)
		}
		if closed {
			n++
		}
	}
	if n > 0 {
		d.cfg.Log.Warn("desk conversations the queue lost closed as lost (Redis restarted empty or was flushed)", "n", n)
		d.publishEvent(ctx, Event{Kind: "closed", Reason: OutcomeLost})
	}
	return n, nil
}
