package relay

import (
	"context"
	"strings"
	"time"
)

// Run drains, until ctx ends, the queues of the chats this process
// delivers to: at once on a notice, and every sweep period for notices
// missed (a process that started late, a dropped connection).
func (r *Relay) Run(ctx context.Context) {
	sub := r.rdb.PSubscribe(ctx, r.prefix+"outbox:notify:*")
	defer sub.Close()
	notices := sub.Channel()
	tick := time.NewTicker(r.sweep)
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
			r.drainLogged(ctx, n.Payload)
		case <-tick.C:
			r.Sweep(ctx)
		}
	}
}

// Sweep drains every pending chat of the channels this process runs.
func (r *Relay) Sweep(ctx context.Context) {
	for _, ch := range r.local.Channels() {
		chats, err := r.rdb.SMembers(ctx, r.pendingKey(ch)).Result()
		if err != nil {
			r.log.Warn("relay sweep", "channel", ch, "err", err)
			return
		}
		for _, chat := range chats {
			r.drainLogged(ctx, chat)
		}
	}
}

func (r *Relay) drainLogged(ctx context.Context, chat string) {
	if err := r.Drain(ctx, chat); err != nil && ctx.Err() == nil {
		r.log.Warn("relay drain", "channel", channelOf(chat), "err", err)
	}
}

func channelOf(chat string) string {
	name, _, _ := strings.Cut(chat, ":")
	return name
}
