package web_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/dialog"
)

// closedHook runs its function each time the desk records a
// conversation's end, before recording it.
type closedHook struct {
	desk.Records
	closed func()
}

func (r *closedHook) Closed(ctx context.Context, conv string, at time.Time, outcome string) error {
	r.closed()
	return r.Records.Closed(ctx, conv, at, outcome)
}

// said is what a person's message got back, from a goroutine.
type said struct {
	replies []restReply
	err     error
}

// TestMessageWhileTheAgentClosesIsNotLost: the person's message typed as
// the agent closed the chat was lost, and a "resumed" conversation nobody
// asked for stayed in the queue (found by a probe, across two replicas):
// the desk finished its conversation before the chat's lock was taken to
// hand the chat back to the bot, and the person's turn in between found
// no conversation. The message is now either the agent's (in the
// record) or the bot's, and nothing is left in the queue.
func TestMessageWhileTheAgentClosesIsNotLost(t *testing.T) {
	const person, text = "closing", "¿y a qué hora atienden?"
	var (
		once    sync.Once
		replied = make(chan said, 1)
		e       *env
	)
	e = newHookedEnv(t, hooks{records: func(r desk.Records) desk.Records {
		return &closedHook{Records: r, closed: func() {
			// The agent's close is under way: the person writes now.
			// Waiting gives a wrong order time to show; with the right
			// one the message waits for the close whatever the wait.
			once.Do(func() {
				go func() {
					rs, err := e.trySay(person, text)
					replied <- said{rs, err}
				}()
				time.Sleep(500 * time.Millisecond)
			})
		}}
	}})
	ctx := context.Background()
	chat := "rest:" + person
	e.say(t, person, "hablar con una persona")
	if _, err := e.desk.Take(ctx, "ana", chat); err != nil {
		t.Fatal(err)
	}
	if err := e.desk.Reply(ctx, "ana", chat, "¿algo más?"); err != nil {
		t.Fatal(err)
	}
	e.waitPushed(t, person, "¿algo más?")
	if err := e.desk.Close(ctx, "ana", chat); err != nil {
		t.Fatal(err)
	}
	got := <-replied
	if got.err != nil {
		t.Fatal(got.err)
	}
	board, err := e.desk.Board(ctx, desk.Agent{Name: "sara", Role: desk.RoleSupervisor})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range board {
		if c.Chat == chat {
			t.Fatalf("the chat is back on the desk (%s, %s) after the agent closed it; the person got %+v", c.Status, c.Reason, got.replies)
		}
	}
	var id string
	if err := e.store.DBX().Get(&id, `SELECT id FROM desk_conversations WHERE chat = ? AND reason = 'requested'`, chat); err != nil {
		t.Fatal(err)
	}
	r, err := e.store.Conversation(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	atAgent := false
	for _, m := range r.Messages {
		atAgent = atAgent || m.From == desk.FromPerson && m.Text == text
	}
	var texts []string
	for _, rp := range got.replies {
		texts = append(texts, rp.Text)
	}
	all := strings.Join(texts, "\n")
	byBot := len(got.replies) > 0 && !strings.Contains(all, "Recibimos tu mensaje")
	if atAgent == byBot {
		t.Fatalf("the person's message reached the agent's record: %v; the bot answered it: %v (%q)", atAgent, byBot, all)
	}
}

// leaveHook runs its function each time a person leaves the desk, before
// they leave it.
type leaveHook struct {
	dialog.Desk
	leaving func()
}

func (d *leaveHook) Leave(ctx context.Context, chat string) (bool, error) {
	d.leaving()
	return d.Desk.Leave(ctx, chat)
}

// TestReplyWhileThePersonCancelsHasOneOutcome: an agent's reply sent as
// the person said "cancelar" was refused ("no such conversation") yet
// delivered after "Terminaste la conversación…", and it put the person
// back at the queue's step, so their next message was queued again
// (found by a probe): the reply read the queue, then waited for the
// chat's lock the cancel held. Refused and not sent, or sent and said so;
// the cancel sticks.
func TestReplyWhileThePersonCancelsHasOneOutcome(t *testing.T) {
	const person, text = "cancelling", "hola, te ayudo"
	var (
		once    sync.Once
		replied = make(chan error, 1)
		e       *env
	)
	e = newHookedEnv(t, hooks{desk: func(d dialog.Desk) dialog.Desk {
		return &leaveHook{Desk: d, leaving: func() {
			// The person's "cancelar" holds the chat: the agent replies
			// now. The wait gives a wrong order time to show.
			once.Do(func() {
				go func() { replied <- e.desk.Reply(context.Background(), "ana", "rest:"+person, text) }()
				time.Sleep(500 * time.Millisecond)
			})
		}}
	}})
	ctx := context.Background()
	chat := "rest:" + person
	e.say(t, person, "hablar con una persona")
	if _, err := e.desk.Take(ctx, "ana", chat); err != nil {
		t.Fatal(err)
	}
	e.waitPushed(t, person, "tomó tu consulta")
	if rs := e.say(t, person, "cancelar"); len(rs) == 0 || !strings.Contains(rs[0].Text, "Terminaste la conversación") {
		t.Fatalf("cancelar: %+v", rs)
	}
	err := <-replied
	next := e.say(t, person, "gracias")
	time.Sleep(300 * time.Millisecond) // a delivery has had time to arrive
	delivered := false
	for _, r := range e.pushed(t, person) {
		delivered = delivered || strings.Contains(r.Text, text)
	}
	if (err == nil) != delivered {
		t.Errorf("the reply: err %v, delivered %v; want one outcome", err, delivered)
	}
	board, berr := e.desk.Board(ctx, desk.Agent{Name: "sara", Role: desk.RoleSupervisor})
	if berr != nil {
		t.Fatal(berr)
	}
	for _, c := range board {
		if c.Chat == chat {
			t.Errorf("after «cancelar», «gracias» put the chat back on the desk (%s, %s): %+v", c.Status, c.Reason, next)
		}
	}
}
