package desk_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

// lockingEngine is the engine's lock of a chat, which a person's turn
// holds too (turn).
type lockingEngine struct{ mu sync.Mutex }

func (e *lockingEngine) AgentSaid(ctx context.Context, _, _, text string, send func(context.Context, []convo.Reply) error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return send(ctx, []convo.Reply{{Msg: i18n.M("desk.agent_says", "text", text)}})
}

func (e *lockingEngine) EndHandoff(ctx context.Context, _ string, finish func(context.Context, []convo.Reply) error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return finish(ctx, nil)
}

func (e *lockingEngine) Locked(ctx context.Context, _ string, f func(context.Context) error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return f(ctx)
}

// turn is a person's message handled.
func (e *lockingEngine) turn(f func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f()
}

// TestChatGivenBackUnderTheChatsLock: a chat given back to the line (its
// agent left) changes under the chat's lock, as a person's message is
// handled: a person who wrote «cancelar» at that moment read "otra
// persona del equipo va a seguir tu consulta" after the bot's menu, the
// chat left meanwhile (last session's doubt). The person's message waits
// until the chat is back in the line and they are told so, and leaves it.
func TestChatGivenBackUnderTheChatsLock(t *testing.T) {
	out := &heldOutbox{held: "returned:", entered: make(chan struct{}), release: make(chan struct{})}
	q, h := redisHandoffs(t, "returnlock", &records{outcomes: map[string]string{}}, out)
	eng := &lockingEngine{}
	d := desk.New(h, eng)
	ctx := context.Background()
	const chat = "telegram:9"
	if _, err := h.Enqueue(ctx, convo.Handoff{Chat: chat, Channel: "telegram", Reason: "requested"}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Take(ctx, "ana", chat); err != nil {
		t.Fatal(err)
	}
	returned := make(chan error, 1)
	go func() { _, err := d.Return(ctx, "ana", chat, desk.ReturnedAbsent); returned <- err }()
	<-out.entered // back in the line; the person's notice is being delivered
	left := make(chan error, 1)
	go eng.turn(func() {
		_, err := h.Leave(ctx, chat)
		if err == nil {
			err = out.Deliver(ctx, chat, "menu", nil)
		}
		left <- err
	})
	// The wait only gives a wrong order time to show: with the right
	// one, the person's message waits for the notice whatever the wait.
	select {
	case err := <-left:
		t.Fatalf("the person left (err %v) while their chat was being given back", err)
	case <-time.After(300 * time.Millisecond):
	}
	close(out.release)
	if err := <-returned; err != nil {
		t.Fatal(err)
	}
	if err := <-left; err != nil {
		t.Fatal(err)
	}
	out.mu.Lock()
	defer out.mu.Unlock()
	if len(out.keys) != 3 || !strings.HasPrefix(out.keys[1], "returned:") || out.keys[2] != "menu" {
		t.Fatalf("delivered %q, want the taken notice, the returned notice, then the menu", out.keys)
	}
	if _, _, err := q.Get(ctx, chat); err == nil {
		t.Fatal("the chat the person left is still at the desk")
	}
}

// TestChatTakenUnderTheChatsLock: a chat is taken under the chat's lock,
// as a person's message is handled: a person who wrote «cancelar» as an
// agent took their chat read "Ana tomó tu consulta" after the bot's menu,
// and the agent had a chat the person had left. The person's message
// waits until they are told who took it, and the agent's page hears the
// person left.
func TestChatTakenUnderTheChatsLock(t *testing.T) {
	out := &heldOutbox{entered: make(chan struct{}), release: make(chan struct{})}
	rec := &records{outcomes: map[string]string{}}
	q, h := redisHandoffs(t, "takelock", rec, out)
	eng := &lockingEngine{}
	d := desk.New(h, eng)
	ctx := context.Background()
	const chat = "telegram:10"
	c, err := h.Enqueue(ctx, convo.Handoff{Chat: chat, Channel: "telegram", Reason: "requested"})
	if err != nil || c.Position != 1 {
		t.Fatal(c, err)
	}
	took := make(chan error, 1)
	go func() { _, err := d.Take(ctx, "ana", chat); took <- err }()
	<-out.entered // ana's; the person's notice is being delivered
	left := make(chan error, 1)
	go eng.turn(func() {
		_, err := h.Leave(ctx, chat)
		if err == nil {
			err = out.Deliver(ctx, chat, "menu", nil)
		}
		left <- err
	})
	select {
	case err := <-left:
		t.Fatalf("the person left (err %v) while the agent's take was being told", err)
	case <-time.After(300 * time.Millisecond):
	}
	close(out.release)
	if err := <-took; err != nil {
		t.Fatal(err)
	}
	if err := <-left; err != nil {
		t.Fatal(err)
	}
	out.mu.Lock()
	defer out.mu.Unlock()
	if len(out.keys) != 2 || !strings.HasPrefix(out.keys[0], "taken:") || out.keys[1] != "menu" {
		t.Fatalf("delivered %q, want the taken notice, then the menu", out.keys)
	}
	if _, _, err := q.Get(ctx, chat); err == nil {
		t.Fatal("the chat the person left is still at the desk")
	}
	if got := rec.all(); len(got) != 1 || got[0] != desk.OutcomeLeft {
		t.Fatalf("recorded %v, want the person left the agent", got)
	}
}
