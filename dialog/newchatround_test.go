package dialog_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// TestNewChatFromAnAddressCostsTwoRoundTrips: a chat's first turn from an
// address (a REST client passing X-Clavebot-Source) costs the two Redis
// round trips of any turn: the source's limit of new chats is counted in
// the script that takes the chat, not in a round trip of its own (issue
// 14.2: it was 3, 0.24 round trips a turn of issue 14's flow). One
// refused costs one: the script gives the lock back itself.
func TestNewChatFromAnAddressCostsTwoRoundTrips(t *testing.T) {
	h := newHarness(t)
	eng, calls := countedEngine(t, h)
	send := func(chat, text, source string) (int64, []dialog.Reply) {
		t.Helper()
		before := calls.Load()
		res, err := eng.Handle(context.Background(), dialog.Inbound{Chat: chat, ID: "1", Text: text, Channel: "rest", Source: source})
		if err != nil {
			t.Fatalf("Handle(%q): %v", text, err)
		}
		return calls.Load() - before, res.Replies
	}
	send("warm", "hola", "198.51.100.1") // loads the scripts: once per process
	for _, source := range []string{"127.0.0.1", "203.0.113.9", "2001:db8::1"} {
		if n, _ := send("rt-"+source, "hola", source); n != 2 {
			t.Errorf("a new chat from %q: %d round trips, want 2", source, n)
		}
	}
	const source = "203.0.113.10"
	for i := range 200 {
		send(fmt.Sprintf("fill%d", i), "hola", source)
	}
	n, rs := send("over", "hola", source)
	if !has(rs, i18n.M("chat.limited")) {
		t.Fatalf("the 201st new chat of the hour:\n%s", h.dump(rs))
	}
	if n != 1 {
		t.Errorf("a new chat refused: %d round trips, want 1", n)
	}
}

// TestNewChatsOfOneSourceAtOnce: 64 new chats of one source at once, over
// two replicas sharing one Redis, when the source has 170 of its 200 left
// used: exactly 30 are opened, whichever replica takes them, and the
// others told to wait; the chat's lock is checked and the source counted
// in one step, so no two chats take the same place.
func TestNewChatsOfOneSourceAtOnce(t *testing.T) {
	limits := testenv.Prefix(t, testenv.Redis(t), "limits")
	r := newReplicas(t, func(i int, r *replicas) dialog.Option {
		return dialog.WithLimiter(redisstore.NewLimiter(testenv.Redis(t), limits))
	})
	const source = "203.0.113.11"
	for i := range 170 {
		if rs := r.sendFrom(i, fmt.Sprintf("before%d", i), source, "hola"); !has(rs, i18n.M("welcome")) {
			t.Fatalf("new chat %d:\n%s", i+1, r.h.dump(rs))
		}
	}
	var opened, limited atomic.Int32
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rs := r.sendFrom(i, "at-once"+strconv.Itoa(i), source, "hola")
			switch {
			case has(rs, i18n.M("welcome")):
				opened.Add(1)
			case has(rs, i18n.M("chat.limited")):
				limited.Add(1)
			}
		}()
	}
	wg.Wait()
	if opened.Load() != 30 || limited.Load() != 34 {
		t.Errorf("64 new chats at once with 30 left: %d opened, %d limited; want 30 and 34", opened.Load(), limited.Load())
	}
}

// TestNewChatsLimitedOnCluster: on Redis Cluster the source's counter is
// in another slot than the chat's keys, which one script cannot touch:
// the store leaves it to the engine, which counts it with the Limiter in
// a round trip of its own, and the limit holds as on one Redis.
func TestNewChatsLimitedOnCluster(t *testing.T) {
	h := newHarness(t)
	rdb := testenv.RedisCluster(t)
	var calls atomic.Int64
	rdb.AddHook(countHook{&calls})
	prefix := testenv.Prefix(t, rdb, "dialog")
	eng := dialog.New(redisstore.New(rdb, redisstore.WithPrefix(prefix)), h.reg, h.cat,
		append(h.opts, dialog.WithLimiter(redisstore.NewLimiter(rdb, prefix)))...)
	send := func(chat string) (int64, []dialog.Reply) {
		t.Helper()
		before := calls.Load()
		res, err := eng.Handle(context.Background(), dialog.Inbound{Chat: chat, ID: "1", Text: "hola", Channel: "rest", Source: "203.0.113.12"})
		if err != nil {
			t.Fatalf("Handle: %v", err)
		}
		return calls.Load() - before, res.Replies
	}
	// The scripts are loaded on the node a chat's key lives on, at its
	// first use there: one chat left the other masters without them, and
	// "second", landing on one of those (the prefix is new each run),
	// counted NOSCRIPT and EVAL as two more round trips, now and then.
	// Chats from other addresses, not counted against this one's limit,
	// load them everywhere.
	for i := range 40 {
		if _, err := eng.Handle(context.Background(), dialog.Inbound{Chat: fmt.Sprintf("warm%d", i), ID: "1", Text: "hola", Channel: "rest",
			Source: fmt.Sprintf("198.51.100.%d", i)}); err != nil {
			t.Fatalf("Handle: %v", err)
		}
	}
	send("warm")
	if n, _ := send("second"); n != 3 {
		t.Errorf("a new chat from an address on Cluster: %d round trips, want 3 (the limit its own)", n)
	}
	for i := range 198 {
		if _, rs := send(fmt.Sprintf("fill%d", i)); !has(rs, i18n.M("welcome")) {
			t.Fatalf("new chat %d:\n%s", i+3, h.dump(rs))
		}
	}
	if _, rs := send("over"); !has(rs, i18n.M("chat.limited")) {
		t.Errorf("the 201st new chat of the hour on Cluster:\n%s", h.dump(rs))
	}
}
