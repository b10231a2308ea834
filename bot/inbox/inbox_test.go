package inbox_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/inbox"
	"github.com/clavebot/clavebot/internal/testenv"
)

type redone struct {
	mu  sync.Mutex
	got map[string]string
}

func (r *redone) redo(id string, msg []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got[id] = string(msg)
}

func (r *redone) has(id string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m, ok := r.got[id]
	return m, ok
}

// TestInboxOutlivesItsProcess: a message one process took is sealed in
// Redis (it may hold a key); while that process renews its lease no other
// runs it; once it stops, another does, once; a message done is nobody's.
// On one server and on a Cluster (the keys share a hash slot).
func TestInboxOutlivesItsProcess(t *testing.T) {
	for _, tt := range []struct {
		name string
		rdb  func(testing.TB) redis.UniversalClient
	}{
		{"redis", func(tb testing.TB) redis.UniversalClient { return testenv.Redis(tb) }},
		{"cluster", testenv.RedisCluster},
	} {
		t.Run(tt.name, func(t *testing.T) { testOutlives(t, tt.rdb(t)) })
	}
}

func testOutlives(t *testing.T, rdb redis.UniversalClient) {
	prefix := testenv.Prefix(t, rdb, "inbox")
	sealer, err := bot.NewSealer([]byte("deployment secret"))
	if err != nil {
		t.Fatal(err)
	}
	const lease = 600 * time.Millisecond
	log := slog.New(slog.DiscardHandler)
	ctx := context.Background()
	a := inbox.New(rdb, prefix, "whatsapp", sealer, lease, log)
	b := inbox.New(rdb, prefix, "whatsapp", sealer, lease, log)

	const msg = `{"id":"m1","text":{"body":"Mate2025amargo"}}`
	if err := a.Put(ctx, "m1", []byte(msg)); err != nil {
		t.Fatal(err)
	}
	if err := a.Put(ctx, "m2", []byte(`{"id":"m2"}`)); err != nil {
		t.Fatal(err)
	}
	kept, err := rdb.HGetAll(ctx, prefix+"inbox:{whatsapp}:msg").Result()
	if err != nil {
		t.Fatal(err)
	}
	for id, v := range kept {
		if strings.Contains(v, "Mate2025amargo") || strings.Contains(v, `"id"`) {
			t.Errorf("message %s kept in clear in Redis: %q", id, v)
		}
	}
	if err := a.Done(ctx, "m2"); err != nil {
		t.Fatal(err)
	}

	actx, stopA := context.WithCancel(ctx)
	aDone := make(chan struct{})
	ra := &redone{got: map[string]string{}}
	go func() { defer close(aDone); a.Run(actx, ra.redo) }()
	bctx, stopB := context.WithCancel(ctx)
	defer stopB()
	rb := &redone{got: map[string]string{}}
	go b.Run(bctx, rb.redo)

	time.Sleep(3 * lease) // a renews: b takes nothing
	if _, ok := rb.has("m1"); ok {
		t.Fatal("another process ran a message whose process is alive")
	}
	stopA()
	<-aDone
	deadline := time.Now().Add(5 * lease)
	for {
		if m, ok := rb.has("m1"); ok {
			if m != msg {
				t.Fatalf("b got %q, want %q", m, msg)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the message of a stopped process was not run by another")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, ok := rb.has("m2"); ok {
		t.Error("a message done was run again")
	}
	if _, ok := ra.has("m1"); ok {
		t.Error("the process that took the message ran it again")
	}
	if err := b.Done(ctx, "m1"); err != nil {
		t.Fatal(err)
	}
	// Redis forgets it at b's next renewal.
	deadline = time.Now().Add(5 * lease)
	for {
		n, err := rdb.Exists(ctx, prefix+"inbox:{whatsapp}:msg", prefix+"inbox:{whatsapp}:due", prefix+"inbox:{whatsapp}:tries").Result()
		if err == nil && n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("keys left once every message is done: %d, %v", n, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestInboxDropsAMessageThatKillsEveryProcess: a message whose turn ends
// every process that runs it (never done) is run a bounded number of
// times, not passed round the replicas for ever.
func TestInboxDropsAMessageThatKillsEveryProcess(t *testing.T) {
	rdb := testenv.Redis(t)
	prefix := testenv.Prefix(t, rdb, "inbox")
	sealer, err := bot.NewSealer([]byte("deployment secret"))
	if err != nil {
		t.Fatal(err)
	}
	const lease = 300 * time.Millisecond
	log := slog.New(slog.DiscardHandler)
	ctx := context.Background()
	if err := inbox.New(rdb, prefix, "whatsapp", sealer, lease, log).Put(ctx, "poison", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	runs := 0
	for range 6 {
		// Each process runs it and dies before it is done.
		p := inbox.New(rdb, prefix, "whatsapp", sealer, lease, log)
		pctx, stop := context.WithCancel(ctx)
		got := make(chan struct{}, 1)
		done := make(chan struct{})
		go func() {
			defer close(done)
			p.Run(pctx, func(string, []byte) { got <- struct{}{}; stop() })
		}()
		select {
		case <-got:
			runs++
		case <-time.After(4 * lease):
			stop()
		}
		<-done
	}
	if runs != 3 {
		t.Errorf("the message was run %d times, want 3", runs)
	}
	if n, err := rdb.Exists(ctx, prefix+"inbox:{whatsapp}:msg", prefix+"inbox:{whatsapp}:due", prefix+"inbox:{whatsapp}:tries").Result(); err != nil || n != 0 {
		t.Errorf("keys left once the message was dropped: %d, %v", n, err)
	}
}

// roundTrips counts the commands and pipelines a client sends, each one
// round trip to Redis.
type roundTrips struct {
	mu sync.Mutex
	n  int
}

func (r *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (r *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		r.add(cmd)
		return next(ctx, cmd)
	}
}

func (r *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		r.add(cmds...)
		return next(ctx, cmds)
	}
}

// add counts one round trip for cmds, but not for the handshake of a
// connection the pool opens (hello, client setinfo, select).
func (r *roundTrips) add(cmds ...redis.Cmder) {
	for _, c := range cmds {
		switch c.Name() {
		case "hello", "client", "select", "auth", "readonly", "ping":
			continue
		}
		r.mu.Lock()
		r.n++
		r.mu.Unlock()
		return
	}
}

func (r *roundTrips) take() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.n
	r.n = 0
	return n
}

// TestInboxTickIsOneRoundTrip: each tick of Run renews this process's
// leases, forgets the messages done and takes those of a stopped process
// in one round trip to Redis, not three; on one server and on a Cluster.
func TestInboxTickIsOneRoundTrip(t *testing.T) {
	for _, tt := range []struct {
		name string
		rdb  func(testing.TB) redis.UniversalClient
	}{
		{"redis", func(tb testing.TB) redis.UniversalClient { return testenv.Redis(tb) }},
		{"cluster", testenv.RedisCluster},
	} {
		t.Run(tt.name, func(t *testing.T) { testTick(t, tt.rdb(t)) })
	}
}

func testTick(t *testing.T, rdb redis.UniversalClient) {
	prefix := testenv.Prefix(t, rdb, "inbox")
	sealer, err := bot.NewSealer([]byte("deployment secret"))
	if err != nil {
		t.Fatal(err)
	}
	const lease = time.Minute
	log := slog.New(slog.DiscardHandler)
	ctx := context.Background()
	a := inbox.New(rdb, prefix, "whatsapp", sealer, lease, log)
	ra := &redone{got: map[string]string{}}
	// The first tick loads the script: a cold start costs a round trip more, once.
	if err := a.Tick(ctx, ra.redo); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"m1", "m2"} {
		if err := a.Put(ctx, id, []byte(id)); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Done(ctx, "m2"); err != nil {
		t.Fatal(err)
	}
	// A process that died holding "orphan": its lease is over.
	if err := inbox.New(rdb, prefix, "whatsapp", sealer, time.Millisecond, log).Put(ctx, "orphan", []byte("huérfano")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	due := prefix + "inbox:{whatsapp}:due"
	before, err := rdb.ZScore(ctx, due, "m1").Result()
	if err != nil {
		t.Fatal(err)
	}

	rt := &roundTrips{}
	rdb.AddHook(rt)
	time.Sleep(2 * time.Millisecond) // the renewed lease ends later than Put's
	if err := a.Tick(ctx, ra.redo); err != nil {
		t.Fatal(err)
	}
	if n := rt.take(); n != 1 {
		t.Errorf("a tick took %d round trips to Redis, want 1", n)
	}

	if after, err := rdb.ZScore(ctx, due, "m1").Result(); err != nil || after <= before {
		t.Errorf("m1's lease not renewed: %v then %v (%v)", before, after, err)
	}
	for _, key := range []string{due, prefix + "inbox:{whatsapp}:msg"} {
		if n, err := rdb.Exists(ctx, key).Result(); err != nil || n != 1 {
			t.Fatalf("%s: %d, %v", key, n, err)
		}
		var err error
		if key == due {
			err = rdb.ZScore(ctx, key, "m2").Err()
		} else {
			err = rdb.HGet(ctx, key, "m2").Err()
		}
		if err != redis.Nil {
			t.Errorf("the message done is still in %s (%v)", key, err)
		}
	}
	if m, ok := ra.has("orphan"); !ok || m != "huérfano" {
		t.Errorf("the stopped process's message was not taken: %q, %v", m, ok)
	}
	if _, ok := ra.has("m1"); ok {
		t.Error("this process's own message was run again")
	}
}
