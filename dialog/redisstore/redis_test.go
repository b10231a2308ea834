package redisstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/internal/testenv"
)

// realRedis returns the options of the test Redis server; each simulated
// process makes its own client from them.
func realRedis(tb testing.TB) *redis.Options {
	tb.Helper()
	testenv.Redis(tb)
	opts, err := redis.ParseURL(testenv.RedisURL())
	if err != nil {
		tb.Fatal(err)
	}
	return opts
}

func TestRedisStore(t *testing.T) {
	opts := realRedis(t)
	testStateStore(t, harness{
		client: func(t *testing.T) redis.UniversalClient {
			c := redis.NewClient(opts)
			t.Cleanup(func() { c.Close() })
			return c
		},
		elapse: sleepOrSkip,
	})
}

// TestClusterStore runs the suite on a three-primary Redis Cluster: every
// script's keys must share a slot, or the cluster refuses it.
func TestClusterStore(t *testing.T) {
	testenv.RedisCluster(t)
	testStateStore(t, harness{
		client: func(t *testing.T) redis.UniversalClient { return testenv.RedisCluster(t) },
		elapse: sleepOrSkip,
	})
}

func TestSentinelStore(t *testing.T) {
	testenv.RedisSentinel(t)
	testStateStore(t, harness{
		client: func(t *testing.T) redis.UniversalClient { return testenv.RedisSentinel(t) },
		elapse: sleepOrSkip,
	})
}

// TestSentinelFailoverMidTurn fails the primary over while a turn holds
// its chat's lock: the lock, the state and the handled message ids are on
// the new primary, and both processes' clients follow it.
func TestSentinelFailoverMidTurn(t *testing.T) {
	const chat = "whatsapp:5491100000000@s.whatsapp.net"
	set := testenv.RedisSentinelSet(t)
	prefix := uniquePrefix(t)
	t.Cleanup(func() { deletePrefix(t, set.Client(t), prefix) })
	a, b := New(set.Client(t), WithPrefix(prefix)), New(set.Client(t), WithPrefix(prefix))
	l, _ := mustAcquire(t, a, chat, "m1")
	mustCommit(t, a, l, "cuil", time.Hour)
	l, _ = mustAcquire(t, b, chat, "m2")
	mustCommit(t, b, l, "cuil,names", time.Hour)
	held, state := mustAcquire(t, a, chat, "m3")
	if string(state) != "cuil,names" {
		t.Fatalf("state before the failover: %q", state)
	}

	from := set.Primary(t)
	to := set.Failover(t)
	t.Logf("failed over from %s to %s", from, to)

	ctx, cancel := context.WithTimeout(testContext(t), 300*time.Millisecond)
	defer cancel()
	if _, _, err := b.Acquire(ctx, chat, "m4"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Acquire while a holds the chat across the failover: %v, want DeadlineExceeded", err)
	}
	mustCommit(t, a, held, "cuil,names,questions", time.Hour)
	for _, id := range []string{"m1", "m2", "m3"} {
		if _, _, err := b.Acquire(testContext(t), chat, id); !errors.Is(err, statestore.ErrDuplicate) {
			t.Errorf("message %s after the failover: %v, want ErrDuplicate", id, err)
		}
	}
	l, state = mustAcquire(t, b, chat, "m4")
	if string(state) != "cuil,names,questions" {
		t.Fatalf("state after the failover: %q", state)
	}
	mustCommit(t, b, l, "done", time.Hour)
	for name, s := range map[string]*Store{"a": a, "b": b} {
		if err := s.Ping(testContext(t)); err != nil {
			t.Errorf("process %s not ready after the failover: %v", name, err)
		}
	}
}

func TestLimiterCluster(t *testing.T) {
	testenv.RedisCluster(t)
	testLimiter(t, func(t *testing.T) redis.UniversalClient { return testenv.RedisCluster(t) }, time.Sleep)
}

func TestLimiterSentinel(t *testing.T) {
	testenv.RedisSentinel(t)
	testLimiter(t, func(t *testing.T) redis.UniversalClient { return testenv.RedisSentinel(t) }, time.Sleep)
}
