package redisstore

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// Embedded is an in-process Redis (miniredis) for running without a Redis
// server. It keeps nothing on disk: state is lost when the process ends.
type Embedded struct {
	m      *miniredis.Miniredis
	client *redis.Client
	stop   chan struct{}
	done   sync.WaitGroup
	once   sync.Once
}

// StartEmbedded starts an in-process Redis and a client connected to it
// through in-memory pipes (no port is opened). Close it when done.
func StartEmbedded() (*Embedded, error) {
	e := &Embedded{m: miniredis.NewMiniRedis(), stop: make(chan struct{})}
	e.client = e.newClient()
	if err := e.client.Ping(context.Background()).Err(); err != nil {
		e.client.Close()
		e.m.Close()
		return nil, fmt.Errorf("redisstore: start embedded redis: %w", err)
	}
	e.done.Add(1)
	go e.tick(time.Second)
	return e, nil
}

// newClient returns a go-redis client whose connections are pipes into the
// miniredis server; the first dial starts the server.
func (e *Embedded) newClient() *redis.Client {
	return redis.NewClient(&redis.Options{
		Addr: "embedded",
		Dialer: func(context.Context, string, string) (net.Conn, error) {
			return e.m.Dial()
		},
		// Otherwise go-redis resolves Addr as a host name at creation to
		// classify the endpoint, which stalls (2s here) for "embedded".
		MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
	})
}

// tick moves miniredis' clock forward every period, because miniredis does
// not expire keys by itself; ClockTTL would, but costs about 20 times the
// throughput. TTLs are thus honoured to within one period.
func (e *Embedded) tick(period time.Duration) {
	defer e.done.Done()
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-t.C:
			e.m.FastForward(period)
		}
	}
}

// Client returns the client connected to the embedded server. Close closes
// it.
func (e *Embedded) Client() *redis.Client { return e.client }

// FastForward moves the embedded server's clock forward by d, expiring the
// keys whose TTL runs out; tests use it instead of sleeping.
func (e *Embedded) FastForward(d time.Duration) { e.m.FastForward(d) }

// Close stops the clock, the client and the server. It is safe to call
// more than once.
func (e *Embedded) Close() error {
	var err error
	e.once.Do(func() {
		close(e.stop)
		e.done.Wait()
		err = e.client.Close()
		e.m.Close()
	})
	return err
}
