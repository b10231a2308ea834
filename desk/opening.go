package desk

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

// FollowHours acts on the desk's hours every interval until ctx ends (see
// FollowHoursOnce). Every process runs it; the queue makes each opening
// and closing happen once.
func (d *Handoffs) FollowHours(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	var swept time.Time
	for {
		if err := d.FollowHoursOnce(ctx); err != nil && ctx.Err() == nil {
			d.cfg.Log.Warn("desk hours not followed", "err", err)
		}
		if now := d.cfg.Now(); now.Sub(swept) >= lostEvery {
			swept = now
			if _, err := d.CloseLost(ctx); err != nil && ctx.Err() == nil {
				d.cfg.Log.Warn("desk records not checked against the queue", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// FollowHoursOnce brings the queue in line with the hours now. When the
// desk opens, the messages left while it was closed join the line in the
// order they came, ahead of later arrivals, and everyone in the line is
// told their place; when it closes, the people still in the line are told
// when it opens again (they keep their place). Without it, a message left
// at night stayed apart from the line all day, and people waiting at
// closing time heard nothing (found by a probe).
func (d *Handoffs) FollowHoursOnce(ctx context.Context) error {
	now := d.cfg.Now()
	open := d.cfg.Hours.Open(now)
	turned, err := d.q.SetOpen(ctx, HoursNow{Open: open, Since: d.cfg.Hours.Since(now), Hours: d.cfg.Hours.Key(), Started: d.started})
	if err != nil {
		return fmt.Errorf("desk: follow hours: %w", err)
	}
	if len(turned.Tell) == 0 {
		return nil
	}
	opens, opening := d.opening(now)
	// One key per turn of the hours: a person is told once even when the
	// outbox is asked twice.
	key := "hours:" + rand.Text()
	for _, m := range turned.Tell {
		var msg i18n.Message
		switch {
		case open:
			msg = i18n.M("desk.opened", "position", m.Position)
		case opens.IsZero():
			msg = i18n.M("desk.closed_waiting", "position", m.Position)
		default:
			msg = i18n.M("desk.closed_waiting_until", "position", m.Position, "opens", opening)
		}
		d.deliver(ctx, m.Chat, key, convo.Reply{Msg: msg, Expect: convo.ExpectText})
	}
	d.publishEvent(ctx, Event{Kind: "queue"})
	return nil
}
