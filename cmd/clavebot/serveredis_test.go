package main

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/internal/testenv"
)

// serveRedis is the test Redis's URL for a serve (or a loadtest) that a
// test runs with clavebot's own key prefix. Beside each chat's keys, which
// expire, serve writes a deployment's keys that have no TTL by design
// (the states' epoch, the desk's hours): each such test left them in the
// test Redis for good. When the test ends, the keys under clavebot's
// prefix without a TTL that were not there before it are deleted. Call it
// before starting serve, so that serve has stopped when they are.
func serveRedis(t *testing.T) string {
	t.Helper()
	rdb := testenv.Redis(t)
	before := lastingKeys(t, rdb)
	t.Cleanup(func() {
		for k := range lastingKeys(t, rdb) {
			if !before[k] {
				if err := rdb.Del(context.Background(), k).Err(); err != nil {
					t.Errorf("delete %s: %v", k, err)
				}
			}
		}
	})
	return testenv.RedisURL()
}

// lastingKeys are the keys under clavebot's prefix that never expire.
func lastingKeys(t *testing.T, rdb *redis.Client) map[string]bool {
	t.Helper()
	ctx := context.Background()
	keys := map[string]bool{}
	iter := rdb.Scan(ctx, 0, "clavebot:*", 1000).Iterator()
	for iter.Next(ctx) {
		if ttl, err := rdb.TTL(ctx, iter.Val()).Result(); err == nil && ttl == -1 {
			keys[iter.Val()] = true
		}
	}
	if err := iter.Err(); err != nil {
		t.Errorf("scan the test Redis: %v", err)
	}
	return keys
}

// TestServeRedisDeletesWhatTheTestLeft: a key without a TTL written
// during the test is gone after it; one there before it, and one that
// expires, are not touched.
func TestServeRedisDeletesWhatTheTestLeft(t *testing.T) {
	rdb := testenv.Redis(t)
	ctx := context.Background()
	tag := strings.ToLower(rand.Text()[:10])
	old, lasting, expiring := "clavebot:test-old-"+tag, "clavebot:test-lasting-"+tag, "clavebot:test-expiring-"+tag
	t.Cleanup(func() { rdb.Del(ctx, old, lasting, expiring) })
	if err := rdb.Set(ctx, old, "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	t.Run("a serve", func(t *testing.T) {
		serveRedis(t)
		rdb.Set(ctx, lasting, "1", 0)
		rdb.Set(ctx, expiring, "1", time.Hour)
	})
	for key, want := range map[string]int64{old: 1, lasting: 0, expiring: 1} {
		if n := rdb.Exists(ctx, key).Val(); n != want {
			t.Errorf("%s: exists %d after the test, want %d", key, n, want)
		}
	}
}
