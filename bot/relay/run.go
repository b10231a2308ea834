package relay

import (
	"context"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Run sends, until ctx ends, the messages of the chats whose channel this
// process runs: at once on a notice, and every sweep period the chats
// whose next try is due (a retry's time, a notice missed by a process
// that started late or lost its connection).
func (r *Relay) Run(ctx context.Context) {
	defer r.close()
	sub := r.rdb.PSubscribe(ctx, r.prefix+"outbox:notify:*")
	defer sub.Close()
	notices := sub.Channel()
	tick := time.NewTicker(r.opt.sweep)
	defer tick.Stop()
	r.Sweep(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case n, ok := <-notices:
			if !ok {
				return
			}
			r.kick(n.Payload)
		case <-tick.C:
			r.Sweep(ctx)
		}
	}
}

// Sweep queues a drain for every due chat of the channels ready here.
func (r *Relay) Sweep(ctx context.Context) {
	now := strconv.FormatInt(r.opt.now().UnixMilli(), 10)
	for _, ch := range r.local.Channels() {
		chats, err := r.rdb.ZRangeByScore(ctx, r.dueKey(ch), &redis.ZRangeBy{Min: "-inf", Max: now, Count: 500}).Result()
		if err != nil {
			if ctx.Err() == nil {
				r.log.Warn("relay sweep", "channel", ch, "err", err)
			}
			return
		}
		for _, chat := range chats {
			r.kick(chat)
		}
	}
}

// kick queues a drain of chat on the relay's workers, unless one is
// already queued or running here.
func (r *Relay) kick(chat string) {
	if r.opt.workers == 0 || !r.local.Has(chat) {
		return
	}
	r.seqMu.RLock()
	defer r.seqMu.RUnlock()
	if r.closed {
		return
	}
	if _, busy := r.inflight.LoadOrStore(chat, true); busy {
		return
	}
	r.seq.Do(chat, func() {
		defer r.inflight.Delete(chat)
		ctx, cancel := context.WithTimeout(context.Background(), r.opt.lockTTL)
		defer cancel()
		if _, err := r.Drain(ctx, chat); err != nil {
			r.log.Warn("relay drain", "channel", channelOf(chat), "err", err)
		}
	})
}

// close stops the workers once their drains are done.
func (r *Relay) close() {
	r.seqMu.Lock()
	defer r.seqMu.Unlock()
	if !r.closed {
		r.closed = true
		r.seq.Close()
	}
}

// changed tells the desk a chat's messages changed.
func (r *Relay) changed(ctx context.Context, chat string) {
	r.opt.onChange(context.WithoutCancel(ctx), chat)
}
