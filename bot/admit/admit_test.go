package admit_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot/admit"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/dialog/dialogtest"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

// engine is the real engine over an in-memory state store.
func engine(t *testing.T) (*dialog.Engine, *dialogtest.MemStore) {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "r.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := registry.NewService(db, registry.NewHasher(registry.HashParams{Memory: 64, Time: 1, Threads: 1}, 1), registry.DefaultPolicy(), 1)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	store := dialogtest.NewMemStore()
	return dialog.New(store, svc, cat), store
}

// gate holds the turns of chat "held" until release is closed.
type gate struct {
	next    *dialog.Engine
	entered chan struct{}
	release chan struct{}
}

func (g *gate) Handle(ctx context.Context, in convo.Inbound) (convo.Result, error) {
	if in.Chat == "held" {
		g.entered <- struct{}{}
		<-g.release
	}
	return g.next.Handle(ctx, in)
}

func send(t *testing.T, e *admit.Engine, chat, id, text string) convo.Result {
	t.Helper()
	res, err := e.Handle(context.Background(), convo.Inbound{Chat: chat, ID: id, Text: text, Channel: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func last(res convo.Result) convo.Reply { return res.Replies[len(res.Replies)-1] }

// TestRefusedTurnLeavesNothing: with the only slot taken, a turn is
// answered at once with the busy message, the chat's state is as before
// and its message is not marked handled: sent again, it is taken.
func TestRefusedTurnLeavesNothing(t *testing.T) {
	eng, store := engine(t)
	g := &gate{next: eng, entered: make(chan struct{}), release: make(chan struct{})}
	a := admit.New(g, 1)
	if got := last(send(t, a, "b", "b1", "hola")).Expect; got != convo.ExpectMenu {
		t.Fatalf("hola: expect %q", got)
	}
	before := store.Raw("b")
	done := make(chan struct{})
	go func() { send(t, a, "held", "h1", "hola"); close(done) }()
	<-g.entered

	res := send(t, a, "b", "b2", "1")
	if len(res.Replies) != 1 || res.Replies[0].Msg.Key != admit.BusyKey {
		t.Fatalf("a turn over the limit got %+v, want the busy message alone", res.Replies)
	}
	if res.Replies[0].Expect != convo.ExpectMenu || res.Secret {
		t.Errorf("refused at the menu: expect %q, secret %v; want menu, not secret", res.Replies[0].Expect, res.Secret)
	}
	if !bytes.Equal(store.Raw("b"), before) {
		t.Error("a refused turn changed the chat's state")
	}
	for _, tt := range []struct {
		text   string
		secret bool
	}{{"Mate2025amargo", true}, {"20-31456789-8", false}, {"María Belén", false}} {
		res := send(t, a, "new", "n1", tt.text)
		if got := last(res); got.Msg.Key != admit.BusyKey || got.Expect != convo.ExpectText || res.Secret != tt.secret {
			t.Errorf("refused %q in an unknown chat: %+v secret %v, want busy, text, secret %v", tt.text, got, res.Secret, tt.secret)
		}
	}

	close(g.release)
	<-done
	if got := last(send(t, a, "b", "b2", "1")).Expect; got != convo.ExpectCUIL {
		t.Errorf("the refused message sent again: expect %q, want cuil (taken as new)", got)
	}
	if res := send(t, a, "b", "b2", "1"); len(res.Replies) != 0 {
		t.Errorf("the same message a third time was answered %+v: it was handled twice", res.Replies)
	}
}

// slow counts the turns inside it at once.
type slow struct {
	in, most atomic.Int32
	wait     chan struct{}
}

func (s *slow) Handle(ctx context.Context, in convo.Inbound) (convo.Result, error) {
	n := s.in.Add(1)
	defer s.in.Add(-1)
	for {
		m := s.most.Load()
		if n <= m || s.most.CompareAndSwap(m, n) {
			break
		}
	}
	<-s.wait
	return convo.Result{Replies: []convo.Reply{{Msg: i18n.M("welcome"), Expect: convo.ExpectMenu}}}, nil
}

// TestLimitHoldsUnderConcurrency: however many turns arrive at once, no
// more than the limit are inside the engine, and every turn is answered.
func TestLimitHoldsUnderConcurrency(t *testing.T) {
	s := &slow{wait: make(chan struct{})}
	var refused atomic.Int32
	a := admit.New(s, 4, admit.WithOnRefuse(func(string) { refused.Add(1) }))
	var wg sync.WaitGroup
	var answered atomic.Int32
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := a.Handle(context.Background(), convo.Inbound{Chat: string(rune('a' + i%26)), Text: "hola", Channel: "rest"})
			if err == nil && len(res.Replies) == 1 {
				answered.Add(1)
			}
		}()
	}
	for refused.Load() < 46 {
		runtime.Gosched() // the four admitted turns wait; the others are refused at once
	}
	close(s.wait)
	wg.Wait()
	if s.most.Load() > 4 || answered.Load() != 50 || refused.Load() != 46 {
		t.Errorf("%d turns inside at once (limit 4), %d of 50 answered, %d refused", s.most.Load(), answered.Load(), refused.Load())
	}
}

// engineFunc adapts a function to bot.Engine.
type engineFunc func(context.Context, convo.Inbound) (convo.Result, error)

func (f engineFunc) Handle(ctx context.Context, in convo.Inbound) (convo.Result, error) {
	return f(ctx, in)
}

// keyEngine counts the turns that reach it in reached and leaves every chat
// waiting for a new key but chat "menu", at the menu; a turn of another
// chat for which hashes reports true waits for hold to close, as if
// hashing.
func keyEngine(reached *atomic.Int32, hold chan struct{}, hashes func(convo.Inbound) bool) engineFunc {
	return func(_ context.Context, in convo.Inbound) (convo.Result, error) {
		reached.Add(1)
		exp := convo.ExpectNewKey
		if in.Chat == "menu" {
			exp = convo.ExpectMenu
		} else if hashes(in) {
			<-hold
		}
		return convo.Result{Replies: []convo.Reply{{Msg: i18n.M("ask.new_key"), Expect: exp}}}, nil
	}
}

// TestKeyStepsAreBounded: at most the heavy limit of chats waiting for a
// key are let in at once; one more is turned away before the engine reads
// anything, its message counting as a key (deleted where possible), while
// other chats go on.
func TestKeyStepsAreBounded(t *testing.T) {
	var reached atomic.Int32
	hold := make(chan struct{})
	next := keyEngine(&reached, hold, func(in convo.Inbound) bool { return in.Text == "clave" })
	a := admit.New(next, 8, admit.WithHeavy(convo.Expect.Secret, 1))
	for _, chat := range []string{"k1", "k2", "menu"} {
		send(t, a, chat, "1", "hola")
	}
	done := make(chan struct{})
	go func() { send(t, a, "k1", "2", "clave"); close(done) }()
	for reached.Load() < 4 {
		runtime.Gosched()
	}
	res := send(t, a, "k2", "2", "Mate2025amargo")
	if got := last(res); got.Msg.Key != admit.BusyKey || got.Expect != convo.ExpectNewKey || !res.Secret || reached.Load() != 4 {
		t.Errorf("a second key at once: %+v secret %v, engine reached %d times; want busy, new_key, secret, 4", got, res.Secret, reached.Load())
	}
	if got := last(send(t, a, "menu", "2", "1")); got.Msg.Key == admit.BusyKey {
		t.Error("a chat at the menu was refused because a key step is hashing")
	}
	close(hold)
	<-done
	if got := last(send(t, a, "k2", "2", "Mate2025amargo")); got.Msg.Key == admit.BusyKey {
		t.Error("the key was refused again once hashing had room")
	}
}

// TestKeyStepsLeaveTheOtherSlots: turns waiting for argon2id do not take
// the slots of the other turns. They did: when many people chose their
// key at once the key steps filled every slot, and people at other steps
// were told the system was busy while the machine idled.
func TestKeyStepsLeaveTheOtherSlots(t *testing.T) {
	var reached atomic.Int32
	hold := make(chan struct{})
	next := keyEngine(&reached, hold, func(in convo.Inbound) bool { return in.Text != "hola" })
	a := admit.New(next, 1, admit.WithHeavy(convo.Expect.Secret, 2))
	for _, chat := range []string{"k1", "k2"} {
		send(t, a, chat, "1", "hola")
	}
	var done sync.WaitGroup
	for _, chat := range []string{"k1", "k2"} {
		done.Go(func() { send(t, a, chat, "2", "Mate2025amargo") })
	}
	for i := 0; reached.Load() < 4; i++ {
		if i == 5000 {
			close(hold)
			t.Fatalf("%d turns reached the engine, want both key steps hashing at once", reached.Load()-2)
		}
		time.Sleep(time.Millisecond)
	}
	if got := last(send(t, a, "menu", "1", "hola")); got.Msg.Key == admit.BusyKey {
		t.Error("a chat at the menu was refused: the key steps hashing took its slot")
	}
	if got := last(send(t, a, "k3", "1", "hola")); got.Msg.Key == admit.BusyKey {
		t.Error("a new chat was refused while two key steps hashed")
	}
	if a.InFlight() != 2 {
		t.Errorf("in flight %d, want the 2 key steps", a.InFlight())
	}
	close(hold)
	done.Wait()
}

// lineEngine records the order in which turns reach it, holds each until
// told, and answers chat "k" as waiting for a new key (a heavy step).
type lineEngine struct {
	mu      sync.Mutex
	order   []string
	entered chan string
	release chan struct{}
}

func (l *lineEngine) Handle(ctx context.Context, in convo.Inbound) (convo.Result, error) {
	l.mu.Lock()
	l.order = append(l.order, in.Chat)
	l.mu.Unlock()
	l.entered <- in.Chat
	<-l.release
	exp := convo.ExpectText
	if in.Chat == "k" {
		exp = convo.ExpectNewKey
	}
	return convo.Result{Replies: []convo.Reply{{Msg: i18n.M("menu.prompt"), Expect: exp}}}, nil
}

// waitInFlight waits until n turns are in a (running or waiting).
func waitInFlight(t *testing.T, a *admit.Engine, n int) {
	t.Helper()
	for range 5000 {
		if a.InFlight() == n {
			return
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("in flight: %d, want %d", a.InFlight(), n)
}

// TestTurnsRunInArrivalOrder: with one turn allowed to run, the admitted
// turns wait and run in the order they arrived; one whose request ends
// while it waits is answered that the system is busy and never reaches
// the engine; a turn at a key step does not wait behind the others (it
// has its own slots).
func TestTurnsRunInArrivalOrder(t *testing.T) {
	l := &lineEngine{entered: make(chan string, 10), release: make(chan struct{})}
	a := admit.New(l, 10, admit.WithRunning(1, 0), admit.WithHeavy(convo.Expect.Secret, 1))
	results := make(chan string, 10)
	start := func(ctx context.Context, chat string) {
		go func() {
			res, err := a.Handle(ctx, convo.Inbound{Chat: chat, ID: chat, Text: "hola", Channel: "test"})
			if err != nil {
				t.Error(err)
			}
			results <- chat + ":" + string(res.Replies[0].Msg.Key)
		}()
	}
	// Chat "k" is at a key step as far as admit knows.
	start(context.Background(), "k")
	<-l.entered
	l.release <- struct{}{}
	<-results
	waitInFlight(t, a, 0)

	start(context.Background(), "first")
	if got := <-l.entered; got != "first" {
		t.Fatalf("entered %q", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	for i, chat := range []string{"a", "gone", "b", "c"} {
		if chat == "gone" {
			start(ctx, chat)
		} else {
			start(context.Background(), chat)
		}
		waitInFlight(t, a, i+2)
	}
	cancel()
	if got := <-results; got != "gone:"+string(admit.BusyKey) {
		t.Fatalf("the turn whose request ended: %q, want the busy message", got)
	}
	// The key step runs beside "first", not after the line.
	start(context.Background(), "k")
	if got := <-l.entered; got != "k" {
		t.Fatalf("entered %q while the line waits, want the key step", got)
	}
	for range 5 {
		l.release <- struct{}{}
		if len(l.entered) > 0 {
			<-l.entered
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	want := []string{"k", "first", "k", "a", "b", "c"}
	if !slices.Equal(l.order, want) {
		t.Fatalf("order the engine saw: %v, want %v", l.order, want)
	}
}

// TestSlowTurnGivesItsPlace: a turn that has run for the slow time (it
// waits for SMTP, say) lets the next in line run while it goes on.
func TestSlowTurnGivesItsPlace(t *testing.T) {
	l := &lineEngine{entered: make(chan string, 10), release: make(chan struct{})}
	a := admit.New(l, 10, admit.WithRunning(1, 20*time.Millisecond))
	done := make(chan struct{}, 2)
	for _, chat := range []string{"slow", "next"} {
		go func() {
			if _, err := a.Handle(context.Background(), convo.Inbound{Chat: chat, ID: chat, Text: "hola", Channel: "test"}); err != nil {
				t.Error(err)
			}
			done <- struct{}{}
		}()
		select {
		case got := <-l.entered:
			if got != chat {
				t.Fatalf("entered %q, want %q", got, chat)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s never ran: it waited for the slow turn", chat)
		}
	}
	// Both are in the engine at once: "next" did not wait for "slow".
	if a.InFlight() != 2 {
		t.Fatalf("in flight %d, want 2", a.InFlight())
	}
	l.release <- struct{}{}
	l.release <- struct{}{}
	<-done
	<-done
}

// TestLineWaitIsBounded: a turn waits in line to run at most the line
// wait, and at most half of what its request has left; then it is told
// that the system is busy, before its request ends, and never reaches the
// engine.
func TestLineWaitIsBounded(t *testing.T) {
	tests := []struct {
		name     string
		lineWait time.Duration
		deadline time.Duration // 0: none
	}{
		{"the line wait", 20 * time.Millisecond, 0},
		{"half the request's time", time.Hour, 400 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &lineEngine{entered: make(chan string, 10), release: make(chan struct{})}
			a := admit.New(l, 10, admit.WithRunning(1, 0), admit.WithLineWait(tt.lineWait))
			first := make(chan struct{})
			go func() {
				defer close(first)
				if _, err := a.Handle(context.Background(), convo.Inbound{Chat: "first", ID: "1", Text: "hola", Channel: "test"}); err != nil {
					t.Error(err)
				}
			}()
			<-l.entered
			ctx := context.Background()
			if tt.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.deadline)
				defer cancel()
			}
			res, err := a.Handle(ctx, convo.Inbound{Chat: "waiter", ID: "2", Text: "hola", Channel: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Replies[0].Msg.Key; got != admit.BusyKey {
				t.Errorf("the turn that waited: %q, want the busy message", got)
			}
			if ctx.Err() != nil {
				t.Error("the turn was answered only when its request ended")
			}
			if len(l.entered) > 0 {
				t.Errorf("%q reached the engine", <-l.entered)
			}
			l.release <- struct{}{}
			<-first
		})
	}
}
