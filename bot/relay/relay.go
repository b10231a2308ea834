// Package relay keeps every message sent outside a person's turn (an
// agent's reply, the rating question, a reminder, a queue position, a
// reply a turn could not send) in Redis until a process that runs the
// chat's channel has sent it: at least once, and never twice, since every
// message carries an idempotency key.
//
// Per channel, one hash slot ({outbox:<channel>}) holds each chat's queue,
// its delivery state and its messages' statuses, a set of chats due for a
// try, and the dead letters; every multi-key step is one Lua script on
// that slot, so it holds on Redis Cluster. A pub/sub notice per channel
// wakes the processes that run it, and a sweep of the due set finds the
// rest. A short lock per chat lets one process send a chat's messages, in
// order: the first message leaves the queue only once the platform took
// it. Failures are classified (bot.SendError): retried with backoff,
// waited on when the platform may confirm a doubtful send, put in the dead
// letters after the last try, held while WhatsApp's 24-hour window is
// closed (a template reopens it), or, when the person blocked the bot,
// the chat is stopped until they unblock it or write again, and what the
// stop held back and still holds then goes out, once, in order.
package relay

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/outagelog"
)

// Local is what the relay needs of this process's channels; *bot.Local
// implements it.
type Local interface {
	SendOnce(ctx context.Context, chat string, e bot.Envelope) (string, error)
	Has(chat string) bool
	Channels() []string
	Window(chat string) time.Duration
	Reopen(ctx context.Context, chat, key string) (id, template string, err error)
}

// Relay is the outbox's store and its sender.
type Relay struct {
	rdb    redis.UniversalClient
	prefix string
	local  Local
	log    *slog.Logger
	opt    options

	seqMu    sync.RWMutex
	seq      *bot.Sequencer
	closed   bool
	inflight sync.Map // chats with a drain queued or running here
	sweeps   outagelog.Job
}

var (
	_ Local          = (*bot.Local)(nil)
	_ bot.Queue      = (*Relay)(nil)
	_ bot.Arrivals   = (*Relay)(nil)
	_ bot.Backlog    = (*Relay)(nil)
	_ bot.Receipts   = (*Relay)(nil)
	_ bot.Withdrawer = (*Relay)(nil)
	_ bot.Stopper    = (*Relay)(nil)
)

// New returns a Relay keeping its keys under prefix (e.g. "clavebot:").
func New(rdb redis.UniversalClient, prefix string, local Local, log *slog.Logger, opts ...Option) *Relay {
	r := &Relay{rdb: rdb, prefix: prefix, local: local, log: log.With("component", "relay"), opt: defaults()}
	for _, o := range opts {
		o(&r.opt)
	}
	if r.opt.holdFor <= 0 || r.opt.holdFor >= r.opt.ttl {
		r.opt.holdFor = r.opt.ttl * 14 / 15 // buried before the keys expire
	}
	r.seq = bot.NewSequencer(max(r.opt.workers, 1), 256)
	return r
}

// keys are one chat's keys, in the order every script takes them.
func (r *Relay) keys(chat string) []string { return chatKeys(r.prefix, chat) }

func chatKeys(prefix, chat string) []string {
	base := prefix + "outbox:{" + channelOf(chat) + "}:"
	return []string{
		base + "q:" + chat, base + "meta:" + chat, base + "st:" + chat, base + "due",
		base + "lock:" + chat, base + "dead", base + "deadmsg", base + "early:" + chat, base + "qtext:" + chat,
		base + "kept:" + chat, base + "back:" + chat, base + "stuck",
	}
}

func (r *Relay) dueKey(channel string) string {
	return r.prefix + "outbox:{" + channel + "}:due"
}

func (r *Relay) notifyKey(channel string) string { return r.prefix + "outbox:notify:" + channel }

// Put implements bot.Queue: envs wait in chat's queue until sent; a key
// seen before is skipped. The processes that run the channel are told.
func (r *Relay) Put(ctx context.Context, chat string, envs []bot.Envelope) error {
	if channelOf(chat) == "" {
		return errs.E(errs.Invalid, "relay put", errors.New("a chat id has no channel prefix"))
	}
	now := r.opt.now()
	args := []any{chat, ms(now), r.opt.ttl.Milliseconds(), len(envs)}
	for _, e := range envs {
		queued := statusJSON(bot.Queued, "", "", now)
		if e.ConfirmWithin > 0 {
			// A turn's send that got no answer: a failed try, as the
			// desk and the metrics see it.
			e.ConfirmBy = now.Add(e.ConfirmWithin)
			queued = statusJSON(bot.Retrying, unsureReason, "", now)
		}
		it, err := item(e)
		if err != nil {
			return err
		}
		args = append(args, e.Key, it, queued, statusJSON(bot.Held, heldReason, "131047", now))
	}
	void := ""
	if len(envs) > 0 && bot.Superseding(bot.KindOf(envs[0].Key)) {
		void = bot.KindOf(envs[0].Key)
	}
	args = append(args, void, lapsing())
	fates, err := putScript.Run(ctx, r.rdb, r.keys(chat), args...).StringSlice()
	if err != nil {
		return errs.E(errs.Unavailable, "relay put", err)
	}
	r.afterPut(ctx, chat, envs, fates)
	return nil
}

// Withdraw implements bot.Withdrawer: chat's waiting messages of kind
// (a place in the desk's line that no longer holds) are not sent.
func (r *Relay) Withdraw(ctx context.Context, chat, kind string) error {
	n, err := withdrawScript.Run(ctx, r.rdb, r.keys(chat), kind, chat, ms(r.opt.now())).Int()
	if err != nil {
		return errs.E(errs.Unavailable, "relay withdraw", err)
	}
	if n > 0 {
		r.changed(ctx, chat)
	}
	return nil
}

func (r *Relay) afterPut(ctx context.Context, chat string, envs []bot.Envelope, fates []string) {
	channel := channelOf(chat)
	queued := false
	for i, f := range fates {
		switch f {
		case "stopped":
			r.opt.meter.Dead(channel, bot.KindOf(envs[i].Key), "stopped")
		case "queued":
			queued = true
			if envs[i].ConfirmWithin > 0 {
				r.opt.meter.Retried(channel, bot.Unsure.String())
			}
		}
	}
	r.changed(ctx, chat)
	if !queued {
		return
	}
	if err := r.rdb.Publish(ctx, r.notifyKey(channel), chat).Err(); err != nil {
		r.log.Warn("relay notice not published; the sweep will find it", "err", err)
	}
	r.kick(chat)
}

// unsureReason is what the desk reads on a turn's reply whose send got no
// answer, waiting for the platform to say whether it took it.
const unsureReason = "no answer from the platform: waiting for its word before trying again"

// heldReason is what the desk reads on a held message.
const heldReason = "WhatsApp's 24-hour window is closed: it goes out when the person writes again"

// item is an envelope as the queue keeps it: its key, a newline, its JSON.
func item(e bot.Envelope) (string, error) {
	if e.Key == "" || strings.ContainsRune(e.Key, '\n') {
		return "", errs.E(errs.Invalid, "relay put", fmt.Errorf("bad key %q", e.Key))
	}
	b, err := json.Marshal(e)
	if err != nil {
		return "", fmt.Errorf("relay: encode: %w", err)
	}
	return e.Key + "\n" + string(b), nil
}

func parseItem(s string) (bot.Envelope, error) {
	_, js, ok := strings.Cut(s, "\n")
	var e bot.Envelope
	if !ok {
		return e, errors.New("relay: malformed queue item")
	}
	if err := json.Unmarshal([]byte(js), &e); err != nil {
		return e, fmt.Errorf("relay: decode: %w", err)
	}
	return e, nil
}

// rstatus is a status as Redis keeps it.
type rstatus struct {
	State  bot.State `json:"state"`
	Reason string    `json:"reason,omitempty"`
	Code   string    `json:"code,omitempty"`
	Tries  int       `json:"tries,omitempty"`
	ID     string    `json:"id,omitempty"`
	At     string    `json:"at"`
	// Again is a failure's bot.Receipt.Again, kept with a failure parked
	// for its send's record (see receiptScript), which acts on it then.
	Again bool `json:"again,omitempty"`
}

func statusJSON(s bot.State, reason, code string, at time.Time) string {
	return encodeStatus(rstatus{State: s, Reason: reason, Code: code, At: ms(at)})
}

func encodeStatus(s rstatus) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func decodeStatus(key, raw string) (bot.Status, bool) {
	var s rstatus
	if raw == "" || json.Unmarshal([]byte(raw), &s) != nil {
		return bot.Status{}, false
	}
	return bot.Status{Key: key, State: s.State, Reason: s.Reason, Code: s.Code, Tries: s.Tries, ID: s.ID, At: fromMS(s.At)}, true
}

func ms(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

func fromMS(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n == 0 {
		return time.Time{}
	}
	return time.UnixMilli(n)
}

func channelOf(chat string) string {
	name, _, _ := strings.Cut(chat, ":")
	if name == chat {
		return ""
	}
	return name
}

func token() string { return rand.Text() }
