package telegram

import (
	"context"
	"sync"
	"time"
)

// Rate is a steady pace: one message every Every, with Burst of them at
// once after a quiet spell.
type Rate struct {
	Every time.Duration
	Burst int
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
// back 429 (a channels probe). Each send now takes its chat's slot, then
// the bot's, waiting for them (a generic cell rate: the time at which the
// next message conforms).
type pace struct {
	mu      sync.Mutex
	now     func() time.Time
	overall Rate
	perChat Rate
	all     time.Time           // when the bot's next message conforms, before its burst
	chats   map[int64]time.Time // the same, per chat; idle ones are forgotten
}

func newPace(now func() time.Time, overall, perChat Rate) *pace {
	return &pace{now: now, overall: overall, perChat: perChat, chats: map[int64]time.Time{}}
}

// chat returns how long to wait before sending to chat, with its slot
// taken. A slot taken for later is kept: the chat's next message waits
// behind it.
func (p *pace) chat(id int64) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	next, d := slot(p.chats[id], now, p.perChat)
	p.chats[id] = next
	p.forget(now)
	return d
}

// bot is chat for the bot's own slot, taken once the chat's has come: a
// message that waits for its chat does not hold a slot of the bot's
// meanwhile, which every other chat would wait behind.
func (p *pace) bot() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	var d time.Duration
	p.all, d = slot(p.all, p.now(), p.overall)
	return d
}

// slot is the generic cell rate algorithm: given when the next message
// conforms (tat), the wait before sending at now and the new tat.
func slot(tat, now time.Time, r Rate) (time.Time, time.Duration) {
	if r.Every <= 0 {
		return tat, 0
	}
	if tat.Before(now) {
		tat = now
	}
	at := tat.Add(-time.Duration(max(r.Burst, 1)-1) * r.Every)
	wait := max(at.Sub(now), 0)
	return tat.Add(r.Every), wait
}

// maxChats is how many chats' pace is kept before idle ones are
// forgotten (a chat idle a whole burst long conforms anyway).
const maxChats = 4096

func (p *pace) forget(now time.Time) {
	if len(p.chats) < maxChats {
		return
	}
	for id, tat := range p.chats {
		if !tat.After(now) {
			delete(p.chats, id)
		}
	}
}

// paced waits for chat's slot and the bot's (see pace). It fails only
// when ctx ends or the process begins to stop: the message then goes to
// the outbox unsent, as after any wait cut short.
func (c *Channel) paced(ctx context.Context, chat int64) error {
	for _, take := range []func() time.Duration{func() time.Duration { return c.pace.chat(chat) }, c.pace.bot} {
		if d := take(); d > 0 {
			if err := c.wait(ctx, d); err != nil {
				return err
			}
		}
	}
	return nil
}
