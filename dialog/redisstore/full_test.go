package redisstore

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/internal/errs"
)

// TestPingSaysAFullRedisIsNotReady: Redis at its maxmemory under
// noeviction (the policy deploy/README asks for, so that no lock or
// handled id is evicted) refuses every write, and every turn was answered
// with the apology while /readyz said {"redis":"ok"}: the replicas stayed
// in the Service and no readiness alert fired (a resilience probe, serve
// on a Redis of its own filled to its maxmemory). Ping says the server
// is full; it is ready again once Redis takes writes.
func TestPingSaysAFullRedisIsNotReady(t *testing.T) {
	srv := startServer(t, "--maxmemory-policy", "noeviction")
	ctx := context.Background()
	c := mustOpen(t, "redis://"+srv.addr)
	store := New(c)
	if err := store.Ping(ctx); err != nil {
		t.Fatalf("a Redis with room: %v", err)
	}
	value := strings.Repeat("x", 4<<10)
	for i := range 128 {
		if err := srv.c.Set(ctx, "fill:"+strconv.Itoa(i), value, 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	info, err := srv.c.InfoMap(ctx, "memory").Result()
	if err != nil {
		t.Fatal(err)
	}
	used, _ := strconv.Atoi(info["Memory"]["used_memory"])
	if err := srv.c.ConfigSet(ctx, "maxmemory", strconv.Itoa(used-256<<10)).Err(); err != nil {
		t.Fatal(err)
	}
	if err := srv.c.Set(ctx, "one:more", value, 0).Err(); err == nil || !strings.HasPrefix(err.Error(), "OOM") {
		t.Fatalf("a write to a full Redis: %v, want it refused", err)
	}
	err = store.Ping(ctx)
	if !errs.Is(errs.Unavailable, err) || !strings.Contains(err.Error(), "maxmemory") {
		t.Fatalf("a Redis that refuses writes: Ping = %v, want unavailable, saying it is full", err)
	}
	if err := srv.c.ConfigSet(ctx, "maxmemory", "0").Err(); err != nil {
		t.Fatal(err)
	}
	if err := store.Ping(ctx); err != nil {
		t.Fatalf("Redis taking writes again: %v", err)
	}
}
