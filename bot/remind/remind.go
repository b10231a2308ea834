// Package remind writes to people later, on their own channel: "you can try
// again now" when a lockout ends. Reminders wait in Redis, one sorted set
// per channel, so any replica that runs that channel delivers them, once.
package remind

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// Deliverer sends replies to a channel-qualified chat; *bot.Outbox is one.
type Deliverer interface {
	Deliver(ctx context.Context, chat string, replies []dialog.Reply) error
}

// Scheduler stores reminders and delivers them when due.
type Scheduler struct {
	rdb    redis.UniversalClient
	prefix string
	now    func() time.Time
	log    *slog.Logger
}

var _ dialog.Reminders = (*Scheduler)(nil)

// New returns a Scheduler keeping its sets under prefix.
func New(rdb redis.UniversalClient, prefix string, now func() time.Time, log *slog.Logger) *Scheduler {
	if now == nil {
		now = time.Now
	}
	return &Scheduler{rdb: rdb, prefix: prefix, now: now, log: log.With("component", "remind")}
}

type entry struct {
	Chat string       `json:"chat"`
	Msg  i18n.Message `json:"msg"`
}

func (s *Scheduler) key(channel string) string { return s.prefix + "reminders:" + channel }

// Remind implements dialog.Reminders. A second reminder for the same chat
// and time replaces the first.
func (s *Scheduler) Remind(ctx context.Context, chat string, at time.Time, m i18n.Message) error {
	channel, _, ok := strings.Cut(chat, ":")
	if !ok {
		return fmt.Errorf("remind: chat %q has no channel prefix", chat)
	}
	b, err := json.Marshal(entry{Chat: chat, Msg: m})
	if err != nil {
		return fmt.Errorf("remind: encode: %w", err)
	}
	score := strconv.FormatInt(at.Unix(), 10)
	if err := s.rdb.ZAdd(ctx, s.key(channel), redis.Z{Score: float64(at.Unix()), Member: b}).Err(); err != nil {
		return fmt.Errorf("remind: store at %s: %w", score, err)
	}
	return nil
}

// claim atomically takes the due reminders of a channel, so two replicas
// never deliver the same one.
var claim = redis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
return due`)

// Due delivers the reminders of channel that are due now.
func (s *Scheduler) Due(ctx context.Context, channel string, d Deliverer) error {
	res, err := claim.Run(ctx, s.rdb, []string{s.key(channel)}, s.now().Unix()).StringSlice()
	if err != nil {
		return fmt.Errorf("remind: claim: %w", err)
	}
	for _, raw := range res {
		var e entry
		if err := json.Unmarshal([]byte(raw), &e); err != nil {
			s.log.Error("bad reminder dropped", "err", err)
			continue
		}
		if err := d.Deliver(ctx, e.Chat, []dialog.Reply{{Msg: e.Msg, Expect: dialog.ExpectMenu}}); err != nil {
			s.log.Warn("reminder not delivered", "channel", channel, "err", err)
		}
	}
	return nil
}

// Run delivers due reminders of the given channels every period until ctx
// ends.
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
				s.log.Warn("reminders", "err", err)
			}
		}
	}
}
