package cloud

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
)

// TestAccountBlockedPastTheWindow: Meta blocked the business account (368,
// 131031, 131042) for longer than a day. The agent's reply waited, and
// the person's 24-hour window closed meanwhile: free text would only be
// refused (131047). The template that reopens the conversation goes out
// once Meta takes it again, and the reply after the person answers it.
func TestAccountBlockedPastTheWindow(t *testing.T) {
	for _, f := range []graphtest.Failure{graphtest.PolicyBlock, graphtest.AccountLocked, graphtest.PaymentIssue} {
		t.Run(strconv.Itoa(f.Code), func(t *testing.T) {
			w := newWorld(t)
			if _, code, err := w.g.Text(alice, "hablar con una persona"); err != nil || code != 200 {
				t.Fatal(code, err)
			}
			w.waitSent(t, 1)
			w.g.Refuse(f)
			w.deliver(t, "agent:a1", "Buen día, soy Ana.")
			for range 40 * 2 { // 40 hours
				w.clk.add(30 * time.Minute)
				w.drain(t)
			}
			if got := w.g.Texts(alice); len(got) != 1 {
				t.Fatalf("Meta took %q during the block", got)
			}
			d := w.delivery(t)
			if d.Window == nil || d.Statuses["agent:a1"].State != bot.Held {
				t.Fatalf("after 40 hours of block the desk sees %+v", d)
			}
			w.g.Lift()
			for range 10 {
				w.clk.add(5 * time.Minute)
				w.drain(t)
			}
			want := []string{"echo hablar con una persona", "template:aviso_mesa"}
			if got := w.g.Texts(alice); !slices.Equal(got, want) {
				t.Fatalf("once the block lifted Meta took %q, want %q", got, want)
			}
			tpl := w.g.Sent(alice)[1]
			if _, code, err := w.g.QuickReply(alice, tpl.ID, "ver", "Ver mensaje"); err != nil || code != 200 {
				t.Fatalf("quick reply: %d %v", code, err)
			}
			w.c.Close()
			w.drain(t)
			if got := w.g.Texts(alice); len(got) != 3 || got[2] != "Buen día, soy Ana." {
				t.Fatalf("Meta took %q, want the agent's reply after the template", got)
			}
			if dead, err := w.relay.DeadLetters(context.Background(), 10); err != nil || len(dead) != 0 {
				t.Fatalf("dead letters %+v (%v), want none", dead, err)
			}
		})
	}
}

// TestAccountBlockedPastTheTemplatesBudget: a block that outlasts the day
// the template is tried for leaves the agent's reply a dead letter the
// desk lists, saying why, not held unseen for ever.
func TestAccountBlockedPastTheTemplatesBudget(t *testing.T) {
	w := newWorld(t)
	if _, code, err := w.g.Text(alice, "hablar con una persona"); err != nil || code != 200 {
		t.Fatal(code, err)
	}
	w.waitSent(t, 1)
	w.g.Refuse(graphtest.PolicyBlock)
	w.deliver(t, "agent:a1", "Buen día, soy Ana.")
	for range 60 * 2 { // 60 hours
		w.clk.add(30 * time.Minute)
		w.drain(t)
	}
	dead, err := w.relay.DeadLetters(context.Background(), 10)
	if err != nil || len(dead) != 1 || dead[0].Key != "agent:a1" || dead[0].Code != "368" || !strings.Contains(dead[0].Reason, "template") {
		t.Fatalf("dead letters %+v (%v), want the agent's reply, given up for the template", dead, err)
	}
	if d := w.delivery(t); d.Window != nil || d.Waiting != 0 || d.Statuses["agent:a1"].State != bot.Failed {
		t.Fatalf("the desk sees %+v", d)
	}
	if got := w.g.Texts(alice); len(got) != 1 {
		t.Fatalf("Meta took %q", got)
	}
}
