package redisdesk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/internal/errs"
)

// Get implements desk.Queue.
func (q *Queue) Get(ctx context.Context, chat string) (desk.Conversation, []desk.Message, error) {
	pipe := q.rdb.Pipeline()
	h := pipe.HGetAll(ctx, q.conv(chat))
	l := pipe.LRange(ctx, q.msgs(chat), 0, -1)
	if _, err := pipe.Exec(ctx); err != nil {
		return desk.Conversation{}, nil, errs.E(errs.Unavailable, "desk get", err)
	}
	if len(h.Val()) == 0 {
		return desk.Conversation{}, nil, errs.E(errs.NotFound, "desk get", fmt.Errorf("no such conversation"))
	}
	msgs := make([]desk.Message, 0, len(l.Val()))
	for _, raw := range l.Val() {
		var m desk.Message
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			return desk.Conversation{}, nil, fmt.Errorf("redisdesk: decode: %w", err)
		}
		msgs = append(msgs, m)
	}
	return parseConv(h.Val()), msgs, nil
}

// List implements desk.Queue.
func (q *Queue) List(ctx context.Context) ([]desk.Conversation, error) {
	h, err := q.head(ctx, -1)
	return h.Conversations, err
}

// Head implements desk.Queue.
func (q *Queue) Head(ctx context.Context, n int) (desk.Head, error) {
	return q.head(ctx, max(n, 0))
}

// head reads the first limit waiting and pending conversations (-1: all
// of them), their counts and every active one. The sets are read at
// once (MULTI), then the conversations: one that moved in between (given
// back, taken) is left for the next read, which its move's event asks
// for, rather than listed half-moved (waiting without a place).
func (q *Queue) head(ctx context.Context, limit int) (desk.Head, error) {
	statuses := []desk.Status{desk.Waiting, desk.Pending, desk.Active}
	sets := make([]*redis.StringSliceCmd, len(statuses))
	counts := make([]*redis.IntCmd, len(statuses))
	_, err := q.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for i, s := range statuses {
			counts[i] = p.ZCard(ctx, q.set(s))
			switch {
			case s == desk.Active || limit < 0:
				sets[i] = p.ZRange(ctx, q.set(s), 0, -1)
			case limit > 0: // ZRANGE's stop is inclusive
				sets[i] = p.ZRange(ctx, q.set(s), 0, int64(limit-1))
			}
		}
		return nil
	})
	if err != nil {
		return desk.Head{}, errs.E(errs.Unavailable, "desk list", err)
	}
	h := desk.Head{Waiting: int(counts[0].Val()), Pending: int(counts[1].Val())}
	for i, s := range statuses {
		if sets[i] == nil {
			continue
		}
		convs, err := q.convs(ctx, sets[i].Val())
		if err != nil {
			return desk.Head{}, err
		}
		for place, c := range convs {
			if c.Status != s {
				continue
			}
			if s == desk.Waiting {
				c.Position = place + 1
			}
			h.Conversations = append(h.Conversations, c)
		}
	}
	return h, nil
}

// Active implements desk.Queue.
func (q *Queue) Active(ctx context.Context) ([]desk.Conversation, error) {
	chats, err := q.rdb.ZRange(ctx, q.set(desk.Active), 0, -1).Result()
	if err != nil {
		return nil, errs.E(errs.Unavailable, "desk active", err)
	}
	return q.convs(ctx, chats)
}

func (q *Queue) convs(ctx context.Context, chats []string) ([]desk.Conversation, error) {
	pipe := q.rdb.Pipeline()
	cmds := make([]*redis.MapStringStringCmd, len(chats))
	for i, chat := range chats {
		cmds[i] = pipe.HGetAll(ctx, q.conv(chat))
	}
	if len(chats) > 0 {
		if _, err := pipe.Exec(ctx); err != nil {
			return nil, errs.E(errs.Unavailable, "desk list", err)
		}
	}
	out := make([]desk.Conversation, 0, len(chats))
	for _, c := range cmds {
		if len(c.Val()) > 0 { // expired meanwhile
			out = append(out, parseConv(c.Val()))
		}
	}
	return out, nil
}

// Moves implements desk.Queue. The script must be given every key it
// touches, so the waiting chats are read first; one that joins meanwhile
// was told its place when it joined.
func (q *Queue) Moves(ctx context.Context) ([]desk.Moved, error) {
	chats, err := q.rdb.ZRange(ctx, q.set(desk.Waiting), 0, -1).Result()
	if err != nil {
		return nil, errs.E(errs.Unavailable, "desk moves", err)
	}
	if len(chats) == 0 {
		return nil, nil
	}
	keys := make([]string, 0, 1+len(chats))
	args := make([]any, 0, 1+len(chats))
	keys = append(keys, q.set(desk.Waiting))
	args = append(args, desk.ToldNear)
	for _, chat := range chats {
		keys = append(keys, q.conv(chat))
		args = append(args, chat)
	}
	res, err := movesScript.Run(ctx, q.rdb, keys, args...).StringSlice()
	if err != nil {
		return nil, errs.E(errs.Unavailable, "desk moves", err)
	}
	var out []desk.Moved
	for i := 0; i+1 < len(res); i += 2 {
		n, _ := strconv.Atoi(res[i+1])
		out = append(out, desk.Moved{Chat: res[i], Position: n})
	}
	return out, nil
}

// SetOpen implements desk.Queue. As Moves, it reads the chats first: the
// script must be given every key it touches.
func (q *Queue) SetOpen(ctx context.Context, now desk.HoursNow) (desk.Turned, error) {
	pipe := q.rdb.Pipeline()
	waiting := pipe.ZRange(ctx, q.set(desk.Waiting), 0, -1)
	pending := pipe.ZRange(ctx, q.set(desk.Pending), 0, -1)
	if _, err := pipe.Exec(ctx); err != nil {
		return desk.Turned{}, errs.E(errs.Unavailable, "desk hours", err)
	}
	chats := append(waiting.Val(), pending.Val()...)
	keys := make([]string, 0, 3+len(chats))
	keys = append(keys, q.prefix+"hours", q.set(desk.Waiting), q.set(desk.Pending))
	args := make([]any, 0, 1+len(chats))
	state := "closed"
	if now.Open {
		state = "open"
	}
	// The hours go hashed: a "|" in a zone's name must not split them.
	sum := sha256.Sum256([]byte(now.Hours))
	args = append(args, state, ms(now.Since), hex.EncodeToString(sum[:8]), ms(now.Started))
	for _, chat := range chats {
		keys = append(keys, q.conv(chat))
		args = append(args, chat)
	}
	res, err := setOpenScript.Run(ctx, q.rdb, keys, args...).StringSlice()
	if err != nil {
		return desk.Turned{}, errs.E(errs.Unavailable, "desk hours", err)
	}
	t := desk.Turned{Changed: len(res) > 0 && res[0] == "1"}
	for i := 1; i+1 < len(res); i += 2 {
		n, _ := strconv.Atoi(res[i+1])
		t.Tell = append(t.Tell, desk.Moved{Chat: res[i], Position: n})
	}
	return t, nil
}

// Publish implements desk.Queue.
func (q *Queue) Publish(ctx context.Context, e desk.Event) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return q.rdb.Publish(ctx, q.events, b).Err()
}

// Subscribe calls f with every desk event, from any process, until ctx
// ends.
func (q *Queue) Subscribe(ctx context.Context, f func(desk.Event)) error {
	sub := q.rdb.Subscribe(ctx, q.events)
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil {
		return fmt.Errorf("redisdesk: subscribe: %w", err)
	}
	// The client subscribes again by itself when the connection breaks,
	// and what was published meanwhile is lost: each subscription after
	// the first says so (desk.EventMissed), or the pages kept what they
	// showed, the chats they had open included (found by a desk probe).
	ch := sub.ChannelWithSubscriptions()
	for {
		select {
		case <-ctx.Done():
			return nil
		case m, ok := <-ch:
			if !ok {
				return nil
			}
			if e, ok := eventOf(m); ok {
				f(e)
			}
		}
	}
}

// eventOf is the event a pub/sub message carries: a desk event, or
// desk.EventMissed for a subscription made again.
func eventOf(m any) (desk.Event, bool) {
	switch m := m.(type) {
	case *redis.Message:
		var e desk.Event
		return e, json.Unmarshal([]byte(m.Payload), &e) == nil
	case *redis.Subscription:
		return desk.Event{Kind: desk.EventMissed}, m.Kind == "subscribe"
	}
	return desk.Event{}, false
}
