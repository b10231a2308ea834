package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/desk"
)

// TestQueueTellsPositions: people waiting are told when the queue moves,
// and "cancelar" takes a person back to the bot.
func TestQueueTellsPositions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for i, p := range []string{"q1", "q2", "q3"} {
		rs := e.say(t, p, "hablar con una persona")
		if want := "lugar " + string(rune('1'+i)); !strings.Contains(rs[len(rs)-1].Text, want) {
			t.Fatalf("%s: %+v, want %q", p, rs, want)
		}
	}
	if _, err := e.desk.Take(ctx, "ana", "rest:q1"); err != nil {
		t.Fatal(err)
	}
	e.waitPushed(t, "q1", "ana, de la mesa de ayuda")
	e.waitPushed(t, "q2", "ahora estás en el lugar 1")
	e.waitPushed(t, "q3", "ahora estás en el lugar 2")
	// Waiting, a message is acknowledged; with an agent, the agent
	// answers and the bot says nothing.
	if rs := e.say(t, "q3", "¿hola? ¿hay alguien?"); len(rs) != 1 || !strings.Contains(rs[0].Text, "Recibimos tu mensaje") {
		t.Fatalf("a message while waiting: %+v", rs)
	}
	if rs := e.say(t, "q1", "hola Ana"); len(rs) != 0 {
		t.Fatalf("a message to the agent: the bot said %+v", rs)
	}
	rs := e.say(t, "q2", "cancelar")
	if !strings.Contains(rs[0].Text, "Saliste de la fila") || rs[len(rs)-1].Expect != "menu" {
		t.Fatalf("cancelar: %+v", rs)
	}
	e.waitPushed(t, "q3", "ahora estás en el lugar 1")
	// Reminders wait while an agent has a chat (remind.Hold), not in line.
	for chat, want := range map[string]bool{"rest:q1": true, "rest:q3": false, "rest:q2": false, "rest:none": false} {
		if held, err := e.handoffs.Holds(ctx, chat); err != nil || held != want {
			t.Errorf("Holds(%s) = %v, %v; want %v", chat, held, err, want)
		}
	}
	board, err := e.desk.Board(ctx, desk.Agent{Name: "sup", Role: desk.RoleSupervisor})
	if err != nil || len(board) != 2 {
		t.Fatalf("board %+v, %v", board, err)
	}
}

// TestSupervisorTakesOverAStuckChat: a chat whose agent is gone (removed,
// or left without closing it) was stuck with them, and the person heard
// nothing ever after (found by a probe). A supervisor takes it over, the
// person is told who has it now, and the first agent can no longer
// answer; another agent still cannot take it.
func TestSupervisorTakesOverAStuckChat(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.say(t, "stuck", "hablar con una persona")
	if _, err := e.desk.Take(ctx, "ana", "rest:stuck"); err != nil {
		t.Fatal(err)
	}
	e.waitPushed(t, "stuck", "ana, de la mesa de ayuda")
	if _, err := e.desk.TakeOver(ctx, desk.Agent{Name: "beto", Role: desk.RoleAgent}, "rest:stuck"); err == nil {
		t.Fatal("an agent took over another's chat")
	}
	// A supervisor's plain take does not take it (found by a regression
	// probe: it took a chat an agent had just taken).
	if _, err := e.desk.Take(ctx, "sara", "rest:stuck"); err == nil {
		t.Fatal("a supervisor's take took an agent's chat")
	}
	c, err := e.desk.TakeOver(ctx, desk.Agent{Name: "sara", Role: desk.RoleSupervisor}, "rest:stuck")
	if err != nil || c.Agent != "sara" {
		t.Fatalf("the supervisor's take-over: %+v, %v", c, err)
	}
	e.waitPushed(t, "stuck", "sara, de la mesa de ayuda")
	if err := e.desk.Reply(ctx, "ana", "rest:stuck", "sigo yo"); err == nil {
		t.Fatal("the first agent still answers a chat taken over")
	}
	if err := e.desk.Reply(ctx, "sara", "rest:stuck", "te atiendo yo"); err != nil {
		t.Fatal(err)
	}
	e.waitPushed(t, "stuck", "te atiendo yo")
	// Each change of agent is said, the same supervisor's again too.
	if _, err := e.desk.TakeOver(ctx, desk.Agent{Name: "ana", Role: desk.RoleSupervisor}, "rest:stuck"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.desk.TakeOver(ctx, desk.Agent{Name: "sara", Role: desk.RoleSupervisor}, "rest:stuck"); err != nil {
		t.Fatal(err)
	}
	if err := e.desk.Reply(ctx, "sara", "rest:stuck", "sigo yo, sara"); err != nil {
		t.Fatal(err)
	}
	said := map[string]int{}
	for _, r := range e.waitPushed(t, "stuck", "sigo yo, sara") {
		for _, who := range []string{"ana", "sara"} {
			if strings.Contains(r.Text, who+", de la mesa de ayuda") {
				said[who]++
			}
		}
	}
	if said["ana"] != 1 || said["sara"] != 1 {
		t.Fatalf("take-overs said %v, want ana's and sara's second once each", said)
	}
}

// TestStaleQueuePositionsAreWithdrawn: a person's REST mailbox kept every
// place in the line they were told, unread, after they had moved up, been
// taken by an agent or left the line (found by a replay: q3, back at the
// menu, read "ahora estás en el lugar 2" and "lugar 1"). A newer place
// supersedes an unread one, and one that no longer holds is not read.
func TestStaleQueuePositionsAreWithdrawn(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, p := range []string{"q1", "q2", "q3"} {
		e.say(t, p, "hablar con una persona")
	}
	e.say(t, "q1", "cancelar")
	e.waitSettled(t, "rest:q2", "rest:q3")
	if _, err := e.desk.Take(ctx, "ana", "rest:q2"); err != nil {
		t.Fatal(err)
	}
	e.waitSettled(t, "rest:q2", "rest:q3")
	e.say(t, "q3", "cancelar")
	for chat, want := range map[string]int{"q2": 1, "q3": 0} {
		got := e.pushed(t, chat)
		for _, r := range got {
			if strings.Contains(r.Text, "lugar") {
				t.Errorf("%s read a place that no longer holds: %+v", chat, got)
			}
		}
		if len(got) != want {
			t.Errorf("%s read %d messages, want %d: %+v", chat, len(got), want, got)
		}
	}
}

// waitSettled waits until the outbox has sent every message of chats.
func (e *env) waitSettled(t *testing.T, chats ...string) {
	t.Helper()
	r := relay.New(e.rdb, e.prefix, bot.NewLocal(discard), discard)
	deadline := time.Now().Add(10 * time.Second)
	for _, chat := range chats {
		for {
			d, err := r.Delivery(context.Background(), chat)
			if err != nil {
				t.Fatal(err)
			}
			settled := d.Waiting == 0
			for _, st := range d.Statuses {
				settled = settled && st.State == bot.Sent
			}
			if settled {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s not settled: %+v", chat, d)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
