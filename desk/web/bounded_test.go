package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/desk"
)

// TestPersonCannotFloodTheDesk: a person could post any number of
// messages into a hand-off (a desk probe: 500 "mensaje numero N" in 9 s,
// the conversation's list in Redis 501 entries and 49 KB, growing
// without bound for a week, every one rendered on the agent's page, each
// answered "Recibido, se lo paso a la mesa de ayuda"). The desk now takes
// desk.MaxUnanswered of a person's messages in a row without an agent's
// answer: the next ones reach neither Redis nor the record, the person is
// told the desk has their messages and to wait for the answer (shorter
// when they keep writing), the agent reads once that the person kept
// writing. An agent's answer lets the person write again.
func TestPersonCannotFloodTheDesk(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const person, chat = "flood", "rest:flood"
	e.say(t, person, "hablar con una persona")
	for i := 1; i <= desk.MaxUnanswered; i++ {
		rs := e.say(t, person, fmt.Sprintf("mensaje numero %d", i))
		if len(rs) == 0 || !strings.Contains(rs[0].Text, "lugar 1") {
			t.Fatalf("message %d got %+v", i, rs)
		}
	}
	rs := e.say(t, person, "mensaje de mas")
	if len(rs) == 0 || !strings.Contains(rs[0].Text, "Esperá a que te respondan") || !strings.Contains(rs[0].Text, "no le llega") {
		t.Fatalf("the message over the limit got %+v", rs)
	}
	again := e.say(t, person, "otro mensaje de mas")
	if len(again) == 0 || !strings.Contains(again[0].Text, "no le llega") || len(again[0].Text) >= len(rs[0].Text) {
		t.Fatalf("the next message over the limit got %+v, want it said shorter than %q", again, rs[0].Text)
	}
	count := func() (person, notes int) {
		_, msgs, err := e.desk.Chat(ctx, desk.Agent{Name: "ana"}, chat)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if strings.Contains(m.Text, "de mas") {
				t.Fatalf("a message over the limit reached the desk: %q", m.Text)
			}
			if m.From == desk.FromPerson && strings.HasPrefix(m.Text, "mensaje numero") {
				person++
			}
			if strings.Contains(m.Text, "siguió escribiendo") {
				notes++
			}
		}
		return person, notes
	}
	if p, notes := count(); p != desk.MaxUnanswered || notes != 1 {
		t.Fatalf("the agent reads %d of the person's messages and %d notes, want %d and 1", p, notes, desk.MaxUnanswered)
	}
	if n, err := e.rdb.LLen(ctx, e.prefix+"desk:{queue}:msgs:"+chat).Result(); err != nil || n > int64(desk.MaxUnanswered+10) {
		t.Fatalf("the conversation holds %d entries in Redis (%v)", n, err)
	}
	// Answered, the person may write again.
	if _, err := e.desk.Take(ctx, "ana", chat); err != nil {
		t.Fatal(err)
	}
	if err := e.desk.Reply(ctx, "ana", chat, "perdón la demora, te leo"); err != nil {
		t.Fatal(err)
	}
	if rs := e.say(t, person, "mensaje numero 21"); len(rs) != 0 {
		t.Fatalf("the message after the agent's answer got %+v, want it relayed silently", rs)
	}
	if p, _ := count(); p != desk.MaxUnanswered+1 {
		t.Fatalf("after the agent's answer the agent reads %d of the person's messages, want %d", p, desk.MaxUnanswered+1)
	}
}
