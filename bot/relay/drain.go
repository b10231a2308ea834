package relay

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
)

// popIfHolder pops the chat's next message only while the caller holds the
// chat's lock, refreshing it, so two processes never send the same one.
var popIfHolder = redis.NewScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return false end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return redis.call('LPOP', KEYS[1])`)

// forgetIfEmpty takes the chat off its channel's pending set only when its
// list is empty, atomically, so a message pushed meanwhile is not missed.
var forgetIfEmpty = redis.NewScript(`
if redis.call('LLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[1]) return 1 end
return 0`)

var unlock = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// Drain sends the chat's queued messages, in order, if this process
// delivers to the chat and no other process is draining it.
func (r *Relay) Drain(ctx context.Context, chat string) error {
	if !r.local.Has(chat) {
		return nil
	}
	for range 3 { // again when a message arrived while the lock was held
		tok := token()
		ok, err := r.rdb.SetNX(ctx, r.lockKey(chat), tok, r.lockTTL).Result()
		if err != nil || !ok {
			return err
		}
		err = r.drainLocked(ctx, chat, tok)
		if uerr := unlock.Run(context.WithoutCancel(ctx), r.rdb, []string{r.lockKey(chat)}, tok).Err(); uerr != nil && err == nil {
			err = uerr
		}
		if err != nil {
			return err
		}
		if n, err := r.rdb.LLen(ctx, r.listKey(chat)).Result(); err != nil || n == 0 {
			return err
		}
	}
	return nil
}

func (r *Relay) drainLocked(ctx context.Context, chat, tok string) error {
	keys := []string{r.listKey(chat), r.lockKey(chat)}
	for {
		raw, err := popIfHolder.Run(ctx, r.rdb, keys, tok, r.lockTTL.Milliseconds()).Text()
		if errors.Is(err, redis.Nil) {
			return r.forget(ctx, chat)
		}
		if err != nil {
			return err
		}
		var m bot.Message
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			r.log.Error("bad relayed message dropped", "err", err)
			continue
		}
		if err := r.local.SendHere(ctx, chat, []bot.Message{m}); err != nil {
			r.log.Warn("relayed message not sent", "err", err)
		}
	}
}

func (r *Relay) forget(ctx context.Context, chat string) error {
	channel := channelOf(chat)
	return forgetIfEmpty.Run(ctx, r.rdb, []string{r.listKey(chat), r.pendingKey(channel)}, chat).Err()
}
