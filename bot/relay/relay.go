// Package relay carries messages for a chat whose channel another process
// runs (WhatsApp held by one replica, a person's terminal) through Redis:
// a list per chat keeps them in order, a pub/sub notice per channel wakes
// the processes that run it, and a short lock per chat lets exactly one of
// them pop and send each message, in order. A periodic sweep finds chats
// whose notice was missed.
package relay

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
)

// Local is what the relay needs of this process's outbox; *bot.Outbox
// implements it.
type Local interface {
	SendHere(ctx context.Context, chat string, msgs []bot.Message) error
	Has(chat string) bool
	Channels() []string
}

// Relay is both ends: Deliver queues messages for another process, Run
// drains the queues of the chats this process delivers to.
type Relay struct {
	rdb     redis.UniversalClient
	prefix  string
	local   Local
	log     *slog.Logger
	ttl     time.Duration // how long undelivered messages are kept
	lockTTL time.Duration
	sweep   time.Duration
}

var _ bot.Remote = (*Relay)(nil)

// Option configures a Relay.
type Option func(*Relay)

// WithSweep sets how often queues are checked without a notice.
func WithSweep(d time.Duration) Option { return func(r *Relay) { r.sweep = d } }

// WithTTL sets how long messages nobody delivers are kept.
func WithTTL(d time.Duration) Option { return func(r *Relay) { r.ttl = d } }

// New returns a Relay keeping its keys under prefix (e.g. "clavebot:").
func New(rdb redis.UniversalClient, prefix string, local Local, log *slog.Logger, opts ...Option) *Relay {
	r := &Relay{
		rdb: rdb, prefix: prefix, local: local, log: log.With("component", "relay"),
		ttl: 24 * time.Hour, lockTTL: 15 * time.Second, sweep: 2 * time.Second,
	}
	for _, o := range opts {
		o(r)
	}
	return r
}

func (r *Relay) listKey(chat string) string       { return r.prefix + "outbox:{" + chat + "}" }
func (r *Relay) lockKey(chat string) string       { return r.prefix + "outbox:lock:{" + chat + "}" }
func (r *Relay) pendingKey(channel string) string { return r.prefix + "outbox:pending:" + channel }
func (r *Relay) notifyKey(channel string) string  { return r.prefix + "outbox:notify:" + channel }

// Deliver implements bot.Remote: msgs wait in the chat's list until a
// process that runs its channel sends them.
func (r *Relay) Deliver(ctx context.Context, chat string, msgs []bot.Message) error {
	channel, _, ok := strings.Cut(chat, ":")
	if !ok {
		return fmt.Errorf("relay: chat %q has no channel prefix", chat)
	}
	vals := make([]any, len(msgs))
	for i, m := range msgs {
		b, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("relay: encode: %w", err)
		}
		vals[i] = b
	}
	pipe := r.rdb.TxPipeline()
	pipe.RPush(ctx, r.listKey(chat), vals...)
	pipe.Expire(ctx, r.listKey(chat), r.ttl)
	pipe.SAdd(ctx, r.pendingKey(channel), chat)
	pipe.Publish(ctx, r.notifyKey(channel), chat)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("relay: queue for %s: %w", channel, err)
	}
	return nil
}

func token() string { return rand.Text() }
