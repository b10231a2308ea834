// Package inbox keeps the people's messages a webhook has taken until
// their turns end, so that a process killed before or during a turn (the
// OOM killer, a node lost) does not lose them. A platform that got its
// webhook answered 200 never posts the message again, and the process kept
// it only in memory, in a chat's lane: the person waited for an answer
// that never came, and nothing said so.
//
// Each process keeps the messages it took under a lease it renews; one
// whose lease ran out (its process died) is taken by any process, which
// runs it again. A message handled already is not answered twice: the
// engine knows its id. The messages are sealed: they may hold a key.
package inbox

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Sealer seals and opens a message's text, bound to its id (bot.Sealer).
type Sealer interface {
	Seal(key, text string) string
	Open(key, sealed string) (string, error)
}

// maxTries bounds how often a message is taken again: one whose turn kills
// every process that runs it (a crash it causes) must not go round the
// replicas for ever.
const maxTries = 3

// Inbox is one channel's messages taken and not yet handled, in Redis.
type Inbox struct {
	rdb                   redis.UniversalClient
	due, msgs, tries      string // one hash slot: a zset of lease ends, the sealed messages, the times taken again
	sealer                Sealer
	lease                 time.Duration
	log                   *slog.Logger
	now                   func() time.Time
	mu                    sync.Mutex
	mine                  map[string]bool // taken by this process, not yet done
	finished              []string        // done since the last flush
	tickScript, putScript *redis.Script
}

// New returns the inbox of channel under prefix. A process that dies
// leaves its messages to the others lease after its last renewal.
func New(rdb redis.UniversalClient, prefix, channel string, sealer Sealer, lease time.Duration, log *slog.Logger) *Inbox {
	tag := prefix + "inbox:{" + channel + "}:"
	return &Inbox{rdb: rdb, due: tag + "due", msgs: tag + "msg", tries: tag + "tries", sealer: sealer,
		lease: lease, log: log.With("component", "inbox", "channel", channel), now: time.Now,
		mine: map[string]bool{}, tickScript: redis.NewScript(tickLua), putScript: redis.NewScript(putLua)}
}

const putLua = `
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1`

// Put keeps msg, the message id as the platform posted it, before the
// webhook is answered. An error leaves the message to memory alone, as
// before: the caller still runs it.
func (b *Inbox) Put(ctx context.Context, id string, msg []byte) error {
	b.mu.Lock()
	b.mine[id] = true
	b.mu.Unlock()
	sealed := b.sealer.Seal(id, string(msg))
	until := b.now().Add(b.lease).UnixMilli()
	if err := b.putScript.Run(ctx, b.rdb, []string{b.due, b.msgs}, id, sealed, until).Err(); err != nil {
		b.forget(id)
		return fmt.Errorf("inbox: put: %w", err)
	}
	return nil
}

// Done forgets the message id, its turn over. Redis forgets it at the
// next renewal, with the others done since, in one round trip: a process
// that dies before leaves it to another, whose turn the engine answers
// with nothing, the id known.
func (b *Inbox) Done(_ context.Context, id string) error {
	b.mu.Lock()
	delete(b.mine, id)
	b.finished = append(b.finished, id)
	b.mu.Unlock()
	return nil
}

// Flush makes Redis forget the messages done since the last flush: Run
// does every third of the lease; a process stopping does once its last
// turns ended, else another would run them again after the lease, for
// nothing.
func (b *Inbox) Flush(ctx context.Context) error {
	b.mu.Lock()
	ids := b.finished
	b.finished = nil
	b.mu.Unlock()
	if len(ids) == 0 {
		return nil
	}
	members := make([]any, len(ids))
	for i, id := range ids {
		members[i] = id
	}
	_, err := b.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.ZRem(ctx, b.due, members...)
		p.HDel(ctx, b.msgs, ids...)
		p.HDel(ctx, b.tries, ids...)
		return nil
	})
	if err != nil {
		b.mu.Lock()
		b.finished = append(b.finished, ids...)
		b.mu.Unlock()
		return fmt.Errorf("inbox: done: %w", err)
	}
	return nil
}

func (b *Inbox) forget(id string) {
	b.mu.Lock()
	delete(b.mine, id)
	b.mu.Unlock()
}

// tickLua is one tick of Run in one round trip, atomic: it renews the
// leases of ARGV[6 .. 5+ARGV[5]] (this process's messages) to ARGV[2],
// forgets the rest of ARGV (the messages done since the last tick), then
// takes up to ARGV[3] messages whose lease ended by ARGV[1], for a lease to
// ARGV[2]; a message taken more than ARGV[4] times is dropped (returned with
// an empty body).
const tickLua = `
local mine = 5 + tonumber(ARGV[5])
for i = 6, mine do
	redis.call('ZADD', KEYS[1], 'XX', ARGV[2], ARGV[i])
end
for i = mine + 1, #ARGV do
	redis.call('ZREM', KEYS[1], ARGV[i])
	redis.call('HDEL', KEYS[2], ARGV[i])
	redis.call('HDEL', KEYS[3], ARGV[i])
end
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
	local n = redis.call('HINCRBY', KEYS[3], id, 1)
	local msg = redis.call('HGET', KEYS[2], id)
	if n > tonumber(ARGV[4]) or not msg then
		redis.call('ZREM', KEYS[1], id)
		redis.call('HDEL', KEYS[2], id)
		redis.call('HDEL', KEYS[3], id)
		msg = ''
	else
		redis.call('ZADD', KEYS[1], ARGV[2], id)
	end
	table.insert(out, id)
	table.insert(out, msg)
end
return out`

// Run renews the leases of this process's messages and runs again, with
// redo, those whose process let its lease end, until ctx ends.
func (b *Inbox) Run(ctx context.Context, redo func(id string, msg []byte)) {
	t := time.NewTicker(b.lease / 3)
	defer t.Stop()
	defer func() {
		// What is done by the end (a SIGTERM's last turns) is forgotten.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		b.Flush(fctx)
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := b.tick(ctx, redo); err != nil && ctx.Err() == nil {
			b.log.Warn("messages taken not renewed, done not forgotten, of a stopped process not taken", "err", err)
		}
	}
}

// tick renews this process's leases, forgets the messages done and takes
// those of a stopped process in one round trip: a tick runs every third of
// the lease in every process of every channel.
func (b *Inbox) tick(ctx context.Context, redo func(id string, msg []byte)) error {
	now := b.now()
	b.mu.Lock()
	done := b.finished
	b.finished = nil
	args := make([]any, 0, 5+len(b.mine)+len(done))
	args = append(args, now.UnixMilli(), now.Add(b.lease).UnixMilli(), 100, maxTries, len(b.mine))
	for id := range b.mine {
		args = append(args, id)
	}
	b.mu.Unlock()
	for _, id := range done {
		args = append(args, id)
	}
	res, err := b.tickScript.Run(ctx, b.rdb, []string{b.due, b.msgs, b.tries}, args...).StringSlice()
	if err != nil {
		b.mu.Lock()
		b.finished = append(b.finished, done...)
		b.mu.Unlock()
		return fmt.Errorf("inbox: tick: %w", err)
	}
	for i := 0; i+1 < len(res); i += 2 {
		b.redo(ctx, res[i], res[i+1], redo)
	}
	return nil
}

// redo runs again the message id, sealed, of a stopped process.
func (b *Inbox) redo(ctx context.Context, id, sealed string, redo func(id string, msg []byte)) {
	if sealed == "" {
		b.log.Error("a message taken again "+strconv.Itoa(maxTries)+" times is dropped", "id", id)
		return
	}
	msg, err := b.sealer.Open(id, sealed)
	if err != nil {
		b.log.Error("a message of a stopped process does not open here (another secret?): dropped", "id", id)
		b.Done(ctx, id)
		return
	}
	b.mu.Lock()
	b.mine[id] = true
	b.mu.Unlock()
	b.log.Warn("a message taken by a process that stopped before its turn ended is handled here", "id", id)
	redo(id, []byte(msg))
}
