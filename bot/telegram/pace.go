package telegram

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rate is a steady pace: one message every Every, with Burst of them at
// once after a quiet spell.
type Rate struct {
	Every time.Duration
	Burst int
}

// limiter is r as a token bucket; a zero Every does not pace, and a burst
// under one is one (a bucket of none would refuse every message).
func (r Rate) limiter() *rate.Limiter {
	return rate.NewLimiter(rate.Every(r.Every), max(r.Burst, 1))
}

// Telegram's bot FAQ: about 30 messages a second in all, about one a
// second in a chat. Each is kept under with its burst, so any second holds
// about Burst + 1s/Every of them, 4 + 25 in all (at most 30); in a chat a
// turn's two or three replies go at once, and a longer run one a second.
var (
	defaultOverall = Rate{Every: time.Second / 25, Burst: 4}
	defaultPerChat = Rate{Every: time.Second, Burst: 3}
)

// pace spaces the bot's messages so that Telegram rarely refuses them.
// The workers of the turns and the outbox's sent as fast as each could:
// thirty-two chats' replies, and the outbox's retries after a 429 all at
// the instant it ended, went out at once, over Telegram's limits, and came
// back 429 (a channels probe). Each send now reserves its chat's slot,
// then the bot's, and waits for them. The buckets are x/time/rate's, on
// the channel's clock (ReserveN at now) and its wait, so tests need not
// sleep.
type pace struct {
	now     func() time.Time
	overall *rate.Limiter
	perChat Rate

	mu      sync.Mutex
	chats   map[int64]*rate.Limiter // idle ones are forgotten
	sweepAt int                     // how many chats before looking for idle ones
}

func newPace(now func() time.Time, overall, perChat Rate) *pace {
	return &pace{now: now, overall: overall.limiter(), perChat: perChat, chats: map[int64]*rate.Limiter{}, sweepAt: maxChats}
}

// chat reserves chat's next slot. A slot reserved for later is kept: the
// chat's next message waits behind it.
func (p *pace) chat(id int64) *rate.Reservation {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	l, ok := p.chats[id]
	if !ok {
		l = p.perChat.limiter()
		p.chats[id] = l
	}
	r := l.ReserveN(now, 1)
	p.forget(now)
	return r
}

// bot reserves the bot's next slot, once the chat's has come: a message
// that waits for its chat does not hold a slot of the bot's meanwhile,
// which every other chat would wait behind.
func (p *pace) bot() *rate.Reservation {
	return p.overall.ReserveN(p.now(), 1)
}

// maxChats is how many chats' pace is kept before idle ones are
// forgotten: a chat whose bucket is full again paces its next message as
// a new one would.
const maxChats = 4096

// forget drops the idle chats once there are sweepAt of them, and looks
// again only when the busy ones have doubled, so that many busy chats do
// not cost a sweep at every message.
func (p *pace) forget(now time.Time) {
	if len(p.chats) < p.sweepAt {
		return
	}
	for id, l := range p.chats {
		if l.TokensAt(now) >= float64(l.Burst()) {
			delete(p.chats, id)
		}
	}
	p.sweepAt = max(maxChats, 2*len(p.chats))
}

// paced waits for chat's slot and the bot's (see pace). It fails only
// when ctx ends or the process begins to stop (the slot it waited for is
// given back, and the message goes to the outbox unsent, as after any
// wait cut short), or during a flood wait another process heard.
func (c *Channel) paced(ctx context.Context, chat int64) error {
	if err := c.waitSlot(ctx, c.pace.chat(chat)); err != nil {
		return err
	}
	if c.cfg.shared != nil {
		return c.sharedPaced(ctx)
	}
	return c.waitSlot(ctx, c.pace.bot())
}

// waitSlot waits for r, giving it back when the wait is cut short.
func (c *Channel) waitSlot(ctx context.Context, r *rate.Reservation) error {
	if d := r.DelayFrom(c.cfg.now()); d > 0 {
		if err := c.wait(ctx, d); err != nil {
			r.CancelAt(c.cfg.now())
			return err
		}
	}
	return nil
}

// sharedPaced waits for the token's next slot, which every process of it
// takes from one bucket (WithSharedPace). During a flood wait another
// process heard, or while the token's slots are taken further ahead than
// a turn waits in place (maxInPlace: more messages than Telegram takes),
// it fails as Telegram would have, and the turn leaves its message to
// the outbox, as for a flood wait this process heard. Redis failing, the
// process paces itself alone.
func (c *Channel) sharedPaced(ctx context.Context) error {
	wait, held, err := c.cfg.shared.Reserve(ctx, c.cfg.overall.Every, c.cfg.overall.Burst, maxInPlace)
	switch {
	case err != nil:
		c.log.Debug("shared pace unavailable: pacing this process alone", "err", err)
		return c.waitSlot(ctx, c.pace.bot())
	case held:
		c.flood.holdFor(wait)
		if err := c.flood.hold(); err != nil {
			return err
		}
	case wait > 0:
		return c.wait(ctx, wait)
	}
	return nil
}

// shareFlood tells every process of the token the flood wait d this one
// heard (WithSharedPace).
func (c *Channel) shareFlood(d time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.callTimeout)
	defer cancel()
	if err := c.cfg.shared.Hold(ctx, d); err != nil {
		c.log.Warn("Telegram's flood wait not shared with the other processes", "wait", d, "err", err)
	}
}
