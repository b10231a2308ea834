// Package roundtrip counts network round trips to a backend: each time a
// client writes a request and then waits to read its answer. It is how
// serve shows, in its metrics, what a turn costs in waits on PostgreSQL and
// Redis, whatever else shares those servers.
package roundtrip

import (
	"context"
	"net"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// Counter counts round trips. The zero value is ready to use.
type Counter struct{ n atomic.Int64 }

// Load returns the round trips counted so far.
func (c *Counter) Load() int64 { return c.n.Load() }

// Dialer wraps dial so that every connection it makes counts its round
// trips: a read that follows a write is one (however many writes and reads
// make up the request and its answer).
func (c *Counter) Dialer(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		nc, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &conn{Conn: nc, c: c}, nil
	}
}

// conn counts a round trip at the first read after a write.
type conn struct {
	net.Conn
	c     *Counter
	wrote atomic.Bool
}

func (k *conn) Write(b []byte) (int, error) {
	k.wrote.Store(true)
	return k.Conn.Write(b)
}

func (k *conn) Read(b []byte) (int, error) {
	if k.wrote.CompareAndSwap(true, false) {
		k.c.n.Add(1)
	}
	return k.Conn.Read(b)
}

// RedisHook counts go-redis round trips: each command, and each pipeline
// as one. A new connection's set-up (HELLO, CLIENT SETINFO) and a script
// sent again after NOSCRIPT count too: they are waits as well.
func (c *Counter) RedisHook() redis.Hook { return redisHook{c} }

type redisHook struct{ c *Counter }

func (redisHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h redisHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.c.n.Add(1)
		return next(ctx, cmd)
	}
}

func (h redisHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.c.n.Add(1)
		return next(ctx, cmds)
	}
}
