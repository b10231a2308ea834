package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/dialog/redisstore"
)

// defaultChatLockTTL outlives the longest turn (bot's 20 s turn timeout):
// a shorter lock could expire under a slow turn, whose answer is then
// lost. It is also how long a chat waits when its process dies mid-turn.
const defaultChatLockTTL = 30 * time.Second

// chatLockTTL is the configured lock TTL; a config built without flags (in
// tests) gets the default.
func (c *config) chatLockTTL() time.Duration {
	if c.ChatLockTTL == 0 {
		return defaultChatLockTTL
	}
	return c.ChatLockTTL
}

// validRedis refuses Redis settings that cannot work, before anything
// starts.
func validRedis(c *config) error {
	if c.ChatLockTTL < time.Second {
		return fmt.Errorf("--chat-lock-ttl must be at least 1s")
	}
	if c.RedisURL != "" {
		cl, err := redisstore.NewClient(c.RedisURL)
		if err != nil {
			return fmt.Errorf("bad --redis-url: %w", err)
		}
		cl.Close()
	}
	return nil
}

// openRedis connects to the configured Redis (one server, a Cluster or a
// Sentinel set, CONTRACT §7), or starts the embedded one.
func openRedis(ctx context.Context, cfg *config) (redis.UniversalClient, func() error, error) {
	if cfg.RedisURL == "" {
		emb, err := redisstore.StartEmbedded()
		if err != nil {
			return nil, nil, fmt.Errorf("embedded redis: %w", err)
		}
		return emb.Client(), emb.Close, nil
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	client, err := redisstore.Open(pctx, cfg.RedisURL)
	if err != nil {
		return nil, nil, fmt.Errorf("redis: cannot use %s: %w", redacted(cfg.RedisURL), err)
	}
	return client, client.Close, nil
}

// redacted is a Redis URL without user info and options, which may hold
// passwords, for messages.
func redacted(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return "the Redis URL"
	}
	rest, _, _ = strings.Cut(rest, "?")
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		rest = rest[i+1:]
	}
	return scheme + "://" + rest
}

// redisPinger adapts a go-redis client to httpapi.Pinger: ready when the
// primaries answer (every one of a cluster; the one Sentinel names now).
type redisPinger struct{ c redis.UniversalClient }

func (p redisPinger) Ping(ctx context.Context) error { return redisstore.Ping(ctx, p.c) }
