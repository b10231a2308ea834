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
