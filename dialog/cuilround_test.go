package dialog_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// TestChatFromAnAddressCostsTwoRoundTrips: every turn of a chat from an
// address (a REST client passing X-Clavebot-Source) costs the two Redis
// round trips of any turn, the one that takes a CUIL included: the
// source's limit of CUILs is reserved in the script that takes a chat
// left at the CUIL step, and a reservation the turn does not spend (a
// question asked there) is given back in the commit's. It cost a round
// trip of its own (issue 14.2: with the new chat's, 0.24 a turn of its
// flow). The source's 50 CUILs an hour still hold: a question at the CUIL
// step takes none of them.
func TestChatFromAnAddressCostsTwoRoundTrips(t *testing.T) {
	h := newHarness(t)
	eng, calls := countedEngine(t, h)
	const source = "203.0.113.20"
	ids := 0
	send := func(chat, text string) (int64, []dialog.Reply) {
		t.Helper()
		ids++
		before := calls.Load()
		res, err := eng.Handle(context.Background(), dialog.Inbound{Chat: chat, ID: strconv.Itoa(ids), Text: text, Channel: "rest", Source: source})
		if err != nil {
			t.Fatalf("Handle(%q): %v", text, err)
		}
		return calls.Load() - before, res.Replies
	}
	cuils := strangerCUILs(52)
	for _, text := range []string{"hola", "1", cuils[0], "cancelar", "1", cuils[1]} {
		send("warm", text) // loads the scripts: once per process
	}
	for i, text := range []string{"hola", "1", "¿qué es el CUIL?", cuils[2], "cancelar", "1", cuils[3]} {
		if n, rs := send("rt", text); n != 2 {
			t.Errorf("turn %d %q: %d round trips, want 2\n%s", i, text, n, h.dump(rs))
		}
	}
	// 4 CUILs taken; 46 more in other chats (at most 10 a chat).
	for i := 4; i < 50; i++ {
		chat := "fill" + strconv.Itoa(i/10)
		send(chat, "hola")
		send(chat, "1")
		if _, rs := send(chat, cuils[i]); lastExpect(rs) != dialog.ExpectFirstNames {
			t.Fatalf("CUIL %d of the source's 50:\n%s", i+1, h.dump(rs))
		}
		send(chat, "cancelar")
	}
	send("last", "hola")
	send("last", "1")
	if _, rs := send("last", "¿qué es el CUIL?"); has(rs, i18n.M("cuil.limited")) {
		t.Fatalf("a question at the CUIL step past the source's 50:\n%s", h.dump(rs))
	}
	if _, rs := send("last", cuils[50]); !has(rs, i18n.M("cuil.limited")) {
		t.Errorf("the source's 51st CUIL of the hour:\n%s", h.dump(rs))
	}
}

// TestCUILsOfOneSourceAtOnce: 64 chats of one source, each at the CUIL
// step, type a CUIL at once over two replicas sharing one Redis: exactly
// 50 are taken, the source's limit, and 14 told to try later; a CUIL's
// place is reserved and counted with the chat's lock in one step.
func TestCUILsOfOneSourceAtOnce(t *testing.T) {
	limits := testenv.Prefix(t, testenv.Redis(t), "limits")
	r := newReplicas(t, func(i int, r *replicas) dialog.Option {
		return dialog.WithLimiter(redisstore.NewLimiter(testenv.Redis(t), limits))
	})
	const source = "203.0.113.21"
	for i := range 64 {
		r.sendFrom(i, "c"+strconv.Itoa(i), source, "hola")
		if rs := r.sendFrom(i+1, "c"+strconv.Itoa(i), source, "1"); lastExpect(rs) != dialog.ExpectCUIL {
			t.Fatalf("chat %d not at the CUIL step:\n%s", i, r.h.dump(rs))
		}
	}
	cuils := strangerCUILs(64)
	var taken, limited atomic.Int32
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rs := r.sendFrom(i, "c"+strconv.Itoa(i), source, cuils[i])
			switch {
			case lastExpect(rs) == dialog.ExpectFirstNames:
				taken.Add(1)
			case has(rs, i18n.M("cuil.limited")):
				limited.Add(1)
			}
		}()
	}
	wg.Wait()
	if taken.Load() != 50 || limited.Load() != 14 {
		t.Errorf("64 CUILs of one source at once: %d taken, %d limited; want 50 and 14", taken.Load(), limited.Load())
	}
}
