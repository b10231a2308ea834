package lease

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/internal/testenv"
)

// TestHandoverOnShutdown: a replica told to stop (SIGTERM ends serve's
// context) stops its job and gives the lease up, so a waiting replica
// takes the WhatsApp device at its next try, long before the key would
// have expired. On Redis, Redis Cluster and Sentinel.
func TestHandoverOnShutdown(t *testing.T) {
	servers := []struct {
		name   string
		client func(testing.TB) redis.UniversalClient
	}{
		{"redis", func(tb testing.TB) redis.UniversalClient { return testenv.Redis(tb) }},
		{"cluster", testenv.RedisCluster},
		{"sentinel", testenv.RedisSentinel},
	}
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) { testHandover(t, s.client(t), s.client(t)) })
	}
}

func testHandover(t *testing.T, ca, cb redis.UniversalClient) {
	// A takeover by expiry would take a minute; the test allows far less.
	const ttl = time.Minute
	key := fmt.Sprintf("clavebot-test:lease:handover:%d", time.Now().UnixNano())
	t.Cleanup(func() { ca.Del(context.Background(), key) })
	h := &holders{}
	a := New(ca, key, ttl, quiet())
	b := New(cb, key, ttl, quiet())
	b.interval = 20 * time.Millisecond // its tries

	actx, stopA := context.WithCancel(context.Background())
	defer stopA()
	aDone := make(chan error, 1)
	go func() { aDone <- a.Run(actx, h.job("a")) }()
	waitFor(t, "a to hold the lease", 5*time.Second, func() bool { return len(h.starts()) == 1 })
	bctx, stopB := context.WithCancel(context.Background())
	defer stopB()
	go b.Run(bctx, h.job("b"))

	stopA() // SIGTERM
	select {
	case <-aDone:
	case <-time.After(5 * time.Second):
		t.Fatal("a did not stop")
	}
	waitFor(t, "b to take over", 5*time.Second, func() bool { return len(h.starts()) == 2 })
	if got := h.starts(); got[0] != "a" || got[1] != "b" {
		t.Fatalf("starts = %v", got)
	}
	if m := h.max.Load(); m != 1 {
		t.Fatalf("%d jobs ran at once, want 1", m)
	}
}
