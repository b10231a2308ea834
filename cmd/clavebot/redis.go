package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/dialog/redisstore"
)

// defaultChatLockTTL is how long a chat waits when its process dies
// mid-turn. A live turn renews its lock every third of it
// (redisstore.Hold), so it need not outlive the slowest turn (the bot's
// 20 s): it was 30 s for that, and a person whose replica died waited
// those 30 s, their message sent again answered after 20 s with an
// apology. Ten seconds lets the message sent again be answered, within
// its own turn; a turn that cannot renew for two thirds of it (Redis cut
// off from its replica) stops before the lock ends.
const defaultChatLockTTL = 10 * time.Second

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
	return nil
}

// validRedisURL refuses a --redis-url that does not parse, before
// anything starts.
func validRedisURL(u string) error {
	if u == "" {
		return nil
	}
	cl, err := redisstore.NewClient(u)
	if err != nil {
		return fmt.Errorf("bad --redis-url: %w", err)
	}
	return cl.Close()
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
	pctx, cancel := context.WithTimeout(ctx, redisStartTimeout)
	defer cancel()
	client, err := redisstore.Open(pctx, cfg.RedisURL)
	if err != nil {
		return nil, nil, fmt.Errorf("redis: cannot use %s: %w", redacted(cfg.RedisURL), explainRedis(ctx, cfg.RedisURL, err))
	}
	return client, client.Close, nil
}

// redisStartTimeout is how long a command waits at start for Redis to
// answer.
const redisStartTimeout = 5 * time.Second

// explainRedis says what failed where go-redis' words do not: a Sentinel
// set that knows no primary by the URL's name answers "redis: nil" (in
// "all sentinels ... unreachable"), and a server without TLS never
// answers a rediss:// handshake, so the deadline passes. The error is
// one line: go-redis joins the Sentinels' errors with newlines.
func explainRedis(ctx context.Context, rawURL string, err error) error {
	scheme, rest, _ := strings.Cut(redacted(rawURL), "://")
	hosts, path, _ := strings.Cut(rest, "/")
	addr, _, _ := strings.Cut(hosts, ",")
	switch {
	case strings.HasSuffix(scheme, "+sentinel") && errors.Is(err, redis.Nil):
		master, _, _ := strings.Cut(path, "/")
		return fmt.Errorf("the Sentinels know no primary named %q (the name after the addresses)", master)
	case strings.HasPrefix(scheme, "rediss") && speaksPlainRedis(ctx, withPort(addr, scheme)):
		return fmt.Errorf("TLS handshake failed: %s does not speak TLS (a Redis without it: use redis://, or the port where it speaks TLS)", withPort(addr, scheme))
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		return fmt.Errorf("no answer within %s from %s", redisStartTimeout, hosts)
	}
	return errors.New(strings.ReplaceAll(err.Error(), "\n", "; "))
}

// withPort is addr with the port of scheme's servers when it has none.
func withPort(addr, scheme string) string {
	if _, _, err := net.SplitHostPort(addr); err == nil {
		return addr
	}
	if strings.HasSuffix(scheme, "+sentinel") {
		return net.JoinHostPort(strings.Trim(addr, "[]"), "26379")
	}
	return net.JoinHostPort(strings.Trim(addr, "[]"), "6379")
}

// speaksPlainRedis reports whether addr answers a PING in clear, as a
// Redis without TLS does (one with TLS answers a TLS alert, or nothing).
func speaksPlainRedis(ctx context.Context, addr string) bool {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	defer conn.Close()
	dl, _ := ctx.Deadline()
	conn.SetDeadline(dl)
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return false
	}
	b := make([]byte, 1)
	if _, err := io.ReadFull(conn, b); err != nil {
		return false
	}
	return b[0] == '+' || b[0] == '-' // +PONG, or -NOAUTH and the like
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
