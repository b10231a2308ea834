// Package redisdesk keeps the help desk's live state in Redis, shared by
// every clavebot process: the queue, each conversation and its messages,
// the agents' sessions, sign-in attempt counters and the desk's events.
package redisdesk

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/internal/errs"
)

// Queue implements desk.Queue.
type Queue struct {
	rdb    redis.UniversalClient
	prefix string        // of the queue's keys, hash tag included
	events string        // the pub/sub channel
	ttl    time.Duration // a conversation untouched this long is dropped
}

var _ desk.Queue = (*Queue)(nil)

// New returns a Queue keeping its keys under prefix+"desk:{queue}:".
//
// Every key of the queue, the conversations' included, carries the hash
// tag {queue}: a script moves a conversation and its place in the queue
// at once, which Redis Cluster allows only within one slot. The desk's
// traffic is people's hand-offs, far below what one node serves.
func New(rdb redis.UniversalClient, prefix string) *Queue {
	return &Queue{rdb: rdb, prefix: prefix + "desk:{queue}:", events: prefix + "desk:events", ttl: 7 * 24 * time.Hour}
}

func (q *Queue) conv(chat string) string { return q.prefix + "conv:" + chat }
func (q *Queue) msgs(chat string) string { return q.prefix + "msgs:" + chat }
func (q *Queue) set(s desk.Status) string {
	return q.prefix + string(s)
}

// allKeys are the keys every script gets: the chat's, then the sets.
func (q *Queue) allKeys(chat string) []string {
	return []string{q.conv(chat), q.msgs(chat), q.set(desk.Waiting), q.set(desk.Pending), q.set(desk.Active), q.prefix + "seq"}
}

// Put implements desk.Queue.
func (q *Queue) Put(ctx context.Context, c desk.Conversation, history []desk.Message) (int, error) {
	args := []any{c.Chat, q.ttl.Milliseconds(), string(c.Status)}
	fields := convFields(c)
	args = append(args, len(fields))
	args = append(args, fields...)
	for _, m := range history {
		b, err := json.Marshal(m)
		if err != nil {
			return 0, fmt.Errorf("redisdesk: encode: %w", err)
		}
		args = append(args, b)
	}
	pos, err := putScript.Run(ctx, q.rdb, q.allKeys(c.Chat), args...).Int()
	if err != nil {
		return 0, errs.E(errs.Unavailable, "desk put", err)
	}
	return pos, nil
}

// Append implements desk.Queue.
func (q *Queue) Append(ctx context.Context, chat string, m desk.Message) (desk.Conversation, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return desk.Conversation{}, fmt.Errorf("redisdesk: encode: %w", err)
	}
	res, err := appendScript.Run(ctx, q.rdb, q.allKeys(chat), b, q.ttl.Milliseconds(), desk.MaxKept, m.From, ms(m.At)).StringSlice()
	return q.result("desk append", res, err)
}

// Remove implements desk.Queue.
func (q *Queue) Remove(ctx context.Context, chat string) (desk.Conversation, error) {
	res, err := removeScript.Run(ctx, q.rdb, q.allKeys(chat), chat, "").StringSlice()
	return q.result("desk remove", res, err)
}

// Finish implements desk.Queue.
func (q *Queue) Finish(ctx context.Context, chat, agent string) (desk.Conversation, error) {
	res, err := removeScript.Run(ctx, q.rdb, q.allKeys(chat), chat, agent).StringSlice()
	return q.result("desk finish", res, err)
}

// Return implements desk.Queue.
func (q *Queue) Return(ctx context.Context, chat, agent string, line desk.Message) (desk.Conversation, error) {
	b, err := json.Marshal(line)
	if err != nil {
		return desk.Conversation{}, fmt.Errorf("redisdesk: encode: %w", err)
	}
	res, err := returnScript.Run(ctx, q.rdb, q.allKeys(chat), chat, agent, b, q.ttl.Milliseconds(), ms(line.At)).StringSlice()
	return q.result("desk return", res, err)
}

// Take implements desk.Queue.
func (q *Queue) Take(ctx context.Context, chat, agent string, at time.Time) (desk.Conversation, error) {
	res, err := takeScript.Run(ctx, q.rdb, q.allKeys(chat), chat, agent, at.UnixMilli(), "0").StringSlice()
	return q.result("desk take", res, err)
}

// TakeOver implements desk.Queue.
func (q *Queue) TakeOver(ctx context.Context, chat, agent string, at time.Time) (desk.Conversation, error) {
	res, err := takeScript.Run(ctx, q.rdb, q.allKeys(chat), chat, agent, at.UnixMilli(), "1").StringSlice()
	return q.result("desk take over", res, err)
}

// result reads a script's answer: "ok" then the conversation's fields, or
// "missing", or "conflict" and the agent who has it.
func (q *Queue) result(op string, res []string, err error) (desk.Conversation, error) {
	if err != nil {
		return desk.Conversation{}, errs.E(errs.Unavailable, op, err)
	}
	switch {
	case len(res) == 0 || res[0] == "missing":
		return desk.Conversation{}, errs.E(errs.NotFound, op, fmt.Errorf("no such conversation"))
	case res[0] == "conflict":
		return desk.Conversation{}, errs.E(errs.Conflict, op, fmt.Errorf("the conversation is %s's", res[1]))
	}
	return parseConv(pairs(res[1:])), nil
}

func pairs(flat []string) map[string]string {
	m := make(map[string]string, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		m[flat[i]] = flat[i+1]
	}
	return m
}

func convFields(c desk.Conversation) []any {
	return []any{
		"id", c.ID, "chat", c.Chat, "channel", c.Channel, "reason", c.Reason, "cuil", c.CUIL,
		"validated", strconv.FormatBool(c.Validated), "status", string(c.Status),
		"enqueued", c.Enqueued.UnixMilli(), "awaiting", ms(c.Awaiting),
	}
}

func parseConv(m map[string]string) desk.Conversation {
	v, _ := strconv.ParseBool(m["validated"])
	pos, _ := strconv.Atoi(m["position"]) // only Append and Return say it
	back, _ := strconv.Atoi(m["returned"])
	trimmed, _ := strconv.Atoi(m["trimmed"])
	return desk.Conversation{
		ID: m["id"], Chat: m["chat"], Channel: m["channel"], Reason: m["reason"], CUIL: m["cuil"],
		Validated: v, Status: desk.Status(m["status"]), Agent: m["agent"],
		Enqueued: millis(m["enqueued"]), Taken: millis(m["taken"]), Position: pos,
		Returned: back, Trimmed: trimmed, Awaiting: millis(m["awaiting"]),
	}
}

// ms is t in ms, 0 for no time.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func millis(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n == 0 {
		return time.Time{}
	}
	return time.UnixMilli(n)
}
