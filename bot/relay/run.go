package relay

import (
	"context"
	"strconv"
	"sync/atomic"
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
				r.sweeps.Failed(r.log, "relay sweep", "channel", ch, "err", err)
			}
			return
		}
		r.sweeps.Worked(r.log, "relay sweep")
		for _, chat := range chats {
			r.kick(chat)
		}
	}
}

// kick queues a drain of chat on the relay's workers. A kick while the
// chat's drain is queued or running asks it to drain once more, so a
// message stored just as a drain was ending is not left waiting for the
// sweep.
func (r *Relay) kick(chat string) {
	if r.opt.workers == 0 || !r.local.Has(chat) {
		return
	}
	r.seqMu.RLock()
	defer r.seqMu.RUnlock()
	if r.closed {
		return
	}
	st := &drainState{}
	if v, busy := r.inflight.LoadOrStore(chat, st); busy {
		v.(*drainState).again.Store(true)
		return
	}
	r.seq.Do(chat, func() { r.drainKicked(chat, st) })
}

// drainState is a queued or running drain of one chat.
type drainState struct{ again atomic.Bool }

func (r *Relay) drainKicked(chat string, st *drainState) {
	for {
		st.again.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), r.opt.drainFor)
		if _, err := r.Drain(ctx, chat); err != nil {
			r.log.Warn("relay drain", "channel", channelOf(chat), "err", err)
		}
		cancel()
		if st.again.Load() {
			continue
		}
		r.inflight.Delete(chat)
		if !st.again.Load() {
			return
		}
		// A kick came between the check and the delete: drain again,
		// unless a new drain was queued meanwhile.
		if _, queued := r.inflight.LoadOrStore(chat, st); queued {
			return
		}
	}
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
