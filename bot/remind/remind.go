// Package remind writes to people later, on their own channel: "you can try
// again now" when a lockout ends. Reminders wait in Redis, one sorted set
// per channel, so any replica that runs that channel hands them, when due,
// to the outbox, which keeps them until they are sent. A reminder leaves
// its set only once the outbox holds it, under a key made from the
// reminder itself, so handing it over twice sends it once.
package remind

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/outagelog"
)

// Deliverer delivers replies to a channel-qualified chat, once per key;
// *bot.Outbox is one.
type Deliverer interface {
	Deliver(ctx context.Context, chat, key string, replies []convo.Reply) error
}

// Scheduler stores reminders and hands them over when due.
type Scheduler struct {
	rdb    redis.UniversalClient
	prefix string
	now    func() time.Time
	log    *slog.Logger
	lease  time.Duration // a claimed reminder comes back after this
	hold   Hold          // nil: nothing holds a reminder back
	runs   outagelog.Job // Run's failures, logged once an outage
}

// Hold tells which chats must not be reminded now: a chat with the help
// desk (*desk.Handoffs is one).
type Hold interface {
	Holds(ctx context.Context, chat string) (bool, error)
}

// WithHold keeps a reminder back while h holds its chat: it comes back
// after the lease, until the chat is free. A lockout's "ya podés volver a
// intentar… escribí «menú»" reached a person talking with an agent, who did
// not see it, and "menú" ended that conversation (found by a probe).
func WithHold(h Hold) Option {
	return func(s *Scheduler) {
		if h != nil {
			s.hold = h
		}
	}
}

// Option configures a Scheduler.
type Option func(*Scheduler)

// WithClock sets the Scheduler's clock (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *Scheduler) { s.now = now } }

// New returns a Scheduler keeping its sets under prefix.
func New(rdb redis.UniversalClient, prefix string, log *slog.Logger, opts ...Option) *Scheduler {
	s := &Scheduler{rdb: rdb, prefix: prefix, now: time.Now, log: log.With("component", "remind"), lease: 2 * time.Minute}
	for _, o := range opts {
		o(s)
	}
	return s
}

type entry struct {
	Chat string       `json:"chat"`
	Msg  i18n.Message `json:"msg"`
	At   int64        `json:"at,omitempty"` // when it is due (Unix seconds)
}

func (s *Scheduler) key(channel string) string { return s.prefix + "reminders:" + channel }

// Remind implements dialog.Reminders. The same reminder for the same chat
// and time is kept once.
func (s *Scheduler) Remind(ctx context.Context, chat string, at time.Time, m i18n.Message) error {
	channel, _, ok := strings.Cut(chat, ":")
	if !ok {
		return errors.New("remind: a chat id has no channel prefix")
	}
	b, err := json.Marshal(entry{Chat: chat, Msg: m, At: at.Unix()})
	if err != nil {
		return fmt.Errorf("remind: encode: %w", err)
	}
	if err := s.rdb.ZAdd(ctx, s.key(channel), redis.Z{Score: float64(at.Unix()), Member: b}).Err(); err != nil {
		return fmt.Errorf("remind: store at %d: %w", at.Unix(), err)
	}
	return nil
}

// claim takes the due reminders of a channel for a while (their score
// moves to the end of the lease), so two replicas never hand over the same
// one at once, and one that died holding it lets it come back.
var claim = redis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
for _, m in ipairs(due) do redis.call('ZADD', KEYS[1], ARGV[2], m) end
return due`)

// done removes a handed-over reminder, unless it was claimed again since.
var done = redis.NewScript(`
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0`)

// Due hands the due reminders of channel to d.
func (s *Scheduler) Due(ctx context.Context, channel string, d Deliverer) error {
	now := s.now()
	until := now.Add(s.lease).Unix()
	res, err := claim.Run(ctx, s.rdb, []string{s.key(channel)}, now.Unix(), until).StringSlice()
	if err != nil {
		return fmt.Errorf("remind: claim: %w", err)
	}
	for _, raw := range res {
		s.handOver(ctx, channel, raw, until, d)
	}
	return nil
}

func (s *Scheduler) handOver(ctx context.Context, channel, raw string, claimed int64, d Deliverer) {
	var e entry
	if err := json.Unmarshal([]byte(raw), &e); err != nil {
		s.log.Error("bad reminder dropped", "err", err)
		s.rdb.ZRem(ctx, s.key(channel), raw)
		return
	}
	if s.hold != nil {
		held, err := s.hold.Holds(ctx, e.Chat)
		if err != nil {
			s.log.Warn("whether the chat is with the desk is not known; reminded all the same", "err", err)
		}
		if held {
			return // claimed until the lease ends: it comes back then
		}
	}
	if err := d.Deliver(ctx, e.Chat, Key(raw), []convo.Reply{{Msg: e.Msg, Expect: convo.ExpectMenu}}); err != nil {
		s.log.Warn("reminder not handed over; it comes back", "channel", channel, "err", err)
		return
	}
	if err := done.Run(ctx, s.rdb, []string{s.key(channel)}, raw, claimed).Err(); err != nil {
		s.log.Warn("handed-over reminder not removed; its key keeps it from going twice", "err", err)
	}
}

// Key is the outbox key of a stored reminder.
func Key(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return "reminder:" + hex.EncodeToString(sum[:12])
}

// Run hands over due reminders of the given channels every period until
// ctx ends.
func (s *Scheduler) Run(ctx context.Context, period time.Duration, d Deliverer, channels ...string) {
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for _, ch := range channels {
			if err := s.Due(ctx, ch, d); err != nil {
				s.runs.Failed(s.log, "reminders", "err", err)
			} else {
				s.runs.Worked(s.log, "reminders")
			}
		}
	}
}
