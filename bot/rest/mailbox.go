package rest

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
)

// RedisMailbox keeps pushed messages in a Redis list per chat, so any
// replica can answer the client's GET whichever replica pushed them.
type RedisMailbox struct {
	rdb    redis.UniversalClient
	prefix string
	ttl    time.Duration
}

var _ Mailbox = (*RedisMailbox)(nil)

// NewRedisMailbox keeps messages for ttl after the last push.
func NewRedisMailbox(rdb redis.UniversalClient, prefix string, ttl time.Duration) *RedisMailbox {
	return &RedisMailbox{rdb: rdb, prefix: prefix, ttl: ttl}
}

func (m *RedisMailbox) key(chat string) string { return m.prefix + "rest:mailbox:{" + chat + "}" }

// Put appends msgs to chat's mailbox.
func (m *RedisMailbox) Put(ctx context.Context, chat string, msgs []bot.Message) error {
	vals := make([]any, len(msgs))
	for i, msg := range msgs {
		b, err := json.Marshal(msg)
		if err != nil {
			return fmt.Errorf("mailbox: encode: %w", err)
		}
		vals[i] = b
	}
	pipe := m.rdb.TxPipeline()
	pipe.RPush(ctx, m.key(chat), vals...)
	pipe.Expire(ctx, m.key(chat), m.ttl)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("mailbox: put: %w", err)
	}
	return nil
}

// Take returns and removes everything in chat's mailbox, in order.
func (m *RedisMailbox) Take(ctx context.Context, chat string) ([]bot.Message, error) {
	pipe := m.rdb.TxPipeline()
	get := pipe.LRange(ctx, m.key(chat), 0, -1)
	pipe.Del(ctx, m.key(chat))
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("mailbox: take: %w", err)
	}
	out := make([]bot.Message, 0, len(get.Val()))
	for _, s := range get.Val() {
		var msg bot.Message
		if err := json.Unmarshal([]byte(s), &msg); err != nil {
			return nil, fmt.Errorf("mailbox: decode: %w", err)
		}
		out = append(out, msg)
	}
	return out, nil
}
