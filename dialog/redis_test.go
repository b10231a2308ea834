package dialog_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/internal/testenv"
)

// TestTwoProcessesShareOneChat runs two engines, each with its own Redis
// client (two replicas), on one chat: every message is handled once, one
// after the other, and the conversation ends where it should.
func TestTwoProcessesShareOneChat(t *testing.T) {
	h := newHarness(t)
	// A prefix of its own, deleted when the test ends: the store's epoch
	// has no TTL and stayed in the test Redis for good.
	prefix := testenv.Prefix(t, testenv.Redis(t), "dialog")
	engines := make([]*dialog.Engine, 2)
	for i := range engines {
		engines[i] = dialog.New(redisstore.New(testenv.Redis(t), redisstore.WithPrefix(prefix)), h.reg, h.cat, h.opts...)
	}
	const chat = "shared"
	send := func(e *dialog.Engine, id, text string) dialog.Result {
		res, err := e.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: id, Text: text, Channel: "test"})
		if err != nil {
			t.Error(err)
		}
		return res
	}
	send(engines[0], "0", "hola")
	send(engines[1], "1", "1")
	// 20 bad CUILs at once, alternating replicas, some delivered twice.
	var wg sync.WaitGroup
	var answered atomic.Int32
	for i := range 20 {
		for _, e := range []*dialog.Engine{engines[i%2], engines[(i+1)%2]} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if len(send(e, "b"+strconv.Itoa(i), "123").Replies) > 0 {
					answered.Add(1)
				}
			}()
		}
	}
	wg.Wait()
	if n := answered.Load(); n != 20 {
		t.Fatalf("%d of 20 messages answered (each was delivered twice): want exactly 20", n)
	}
	res := send(engines[1], "last", maria)
	if got := res.Replies[len(res.Replies)-1].Expect; got != dialog.ExpectFirstNames {
		t.Fatalf("after the burst the chat expects %q, want first_names", got)
	}
}

// BenchmarkEngineTurn measures the engine alone: whole turns (lock, state,
// dedup, a menu choice and its reply) called in process with many chats at
// once, over real Redis and, as the baseline of the same run, over the
// in-memory store. No HTTP, no channel, no registry call: it is not the
// service's throughput, which `clavebot loadtest` measures through serve.
func BenchmarkEngineTurn(b *testing.B) {
	h := newHarness(b)
	b.Run("memstore", func(b *testing.B) {
		benchTurns(b, dialog.New(dialogtestStore(h), h.reg, h.cat, h.opts...), nil)
	})
	b.Run("redis", func(b *testing.B) {
		rdb := testenv.Redis(b)
		var calls atomic.Int64
		rdb.AddHook(countHook{&calls})
		prefix := fmt.Sprintf("bench:dialog:%d:", time.Now().UnixNano())
		defer deleteKeys(rdb, prefix)
		benchTurns(b, dialog.New(redisstore.New(rdb, redisstore.WithPrefix(prefix)), h.reg, h.cat, h.opts...), &calls)
	})
}

func benchTurns(b *testing.B, eng *dialog.Engine, calls *atomic.Int64) {
	var next atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		chat := "bench-" + strconv.FormatInt(next.Add(1), 10)
		i := 0
		for pb.Next() {
			i++
			text := "hola"
			if i%2 == 0 {
				text = "ayuda"
			}
			if _, err := eng.Handle(context.Background(), dialog.Inbound{Chat: chat, ID: strconv.Itoa(i), Text: text}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	if calls != nil {
		b.ReportMetric(float64(calls.Load())/float64(b.N), "roundtrips/turn")
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "engine-turns/s")
}

func deleteKeys(rdb *redis.Client, prefix string) {
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		rdb.Del(ctx, iter.Val())
	}
}

// countHook counts commands sent to Redis (a script call is one).
type countHook struct{ n *atomic.Int64 }

func (countHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.n.Add(1); return next(ctx, cmd) }
}
func (h countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { h.n.Add(1); return next(ctx, cmds) }
}

// countedEngine is an engine on real Redis, with the Redis limiter as
// serve gives it, whose Redis commands are counted in calls (a pipeline
// as one: one round trip).
func countedEngine(t *testing.T, h *harness) (*dialog.Engine, *atomic.Int64) {
	t.Helper()
	rdb := redis.NewClient(testenv.Redis(t).Options())
	t.Cleanup(func() { rdb.Close() })
	calls := &atomic.Int64{}
	rdb.AddHook(countHook{calls})
	prefix := testenv.Prefix(t, rdb, "dialog")
	eng := dialog.New(redisstore.New(rdb, redisstore.WithPrefix(prefix)), h.reg, h.cat,
		append(h.opts, dialog.WithLimiter(redisstore.NewLimiter(rdb, prefix)))...)
	return eng, calls
}

// TestCUILStepCostsTwoRoundTrips: every turn of a chat costs two Redis
// round trips (take the chat, commit it), the turn that takes a CUIL
// included: the chat's limit of CUILs is counted in those two, not in a
// round trip of its own (issue 14.2). A REST chat from an address: the
// source's limit, which spans chats, is counted in them too (see
// TestChatFromAnAddressCostsTwoRoundTrips).
func TestCUILStepCostsTwoRoundTrips(t *testing.T) {
	h := newHarness(t)
	eng, calls := countedEngine(t, h)
	send := func(chat, id, text, source string) int64 {
		t.Helper()
		before := calls.Load()
		if _, err := eng.Handle(context.Background(), dialog.Inbound{Chat: chat, ID: id, Text: text, Channel: "rest", Source: source}); err != nil {
			t.Fatalf("Handle(%q): %v", text, err)
		}
		return calls.Load() - before
	}
	cuils := strangerCUILs(3)
	// The first use of each script loads it into Redis (EVALSHA refused,
	// then EVAL): once per process, not counted.
	for i, text := range []string{"hola", "1", cuils[2]} {
		send("warm", strconv.Itoa(i), text, "198.51.100.1")
	}
	for i, text := range []string{"hola", "1", cuils[0], "cancelar", "1"} {
		if n := send("rt", strconv.Itoa(i), text, "127.0.0.1"); n != 2 {
			t.Errorf("turn %q: %d round trips, want 2", text, n)
		}
	}
	if n := send("rt", "5", cuils[1], "203.0.113.9"); n != 3 {
		t.Errorf("a CUIL from an address: %d round trips, want 3 (the source's limit its own)", n)
	}
}
