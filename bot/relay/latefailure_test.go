package relay_test

import (
	"context"
	"testing"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog/convo"
)

// TestLateFinalFailureIsADeadLetter: WhatsApp takes most messages it
// cannot deliver (the person is not on WhatsApp, an old app, they blocked
// the business) and says so later, in a failed status. The same failure
// in the send's answer made a dead letter: listed on the desk's
// undelivered view, where the agent sends it again or drops it, and
// counted in clavebot_outbox_dead_letters_total. Said later, an agent's
// text was only marked failed in its chat's statuses, and a message sent
// again (a question as text, a failure that may pass) that failed again
// the same: nobody was shown it and no count moved. They are dead letters
// now.
func TestLateFinalFailureIsADeadLetter(t *testing.T) {
	undeliverable := bot.Receipt{State: bot.Failed, Code: "131026", Reason: "Message undeliverable"}
	rate := bot.Receipt{State: bot.Failed, Code: "130429", Reason: "Rate limit hit", Again: true}
	for _, tc := range []struct {
		name     string
		failures []bot.Receipt
		dead     string // the dead letter's key
	}{
		{"a text undeliverable", []bot.Receipt{undeliverable}, "agent:a1"},
		{"sent again, failed again", []bot.Receipt{rate, rate}, "resend:agent:a1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := windowPlatform()
			s := newStepper(t, p)
			ctx := context.Background()
			if _, err := s.relay.Arrived(ctx, convo.Inbound{Chat: chat}); err != nil { // the window opens
				t.Fatal(err)
			}
			s.deliver(t, "agent:a1", "Hola, soy Ana")
			key := "agent:a1"
			for _, f := range tc.failures {
				s.drain(t)
				st := s.want(t, key, bot.Sent)
				f.Chat, f.Key, f.ID = chat, key, st.ID
				if err := s.relay.Receipt(ctx, f); err != nil {
					t.Fatal(err)
				}
				key = bot.ResendKey(key)
			}
			s.drain(t)
			dead, err := s.relay.DeadLetters(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(dead) != 1 || dead[0].Key != tc.dead || dead[0].Chat != chat || dead[0].Code != tc.failures[len(tc.failures)-1].Code || dead[0].Text != "Hola, soy Ana" {
				t.Fatalf("dead letters %+v, want %s", dead, tc.dead)
			}
			if n := s.meter.get("dead"); n != 1 {
				t.Fatalf("%d dead letters counted, want 1", n)
			}
			if err := s.relay.Resend(ctx, chat, tc.dead); err != nil {
				t.Fatal(err)
			}
			s.drain(t)
			if acc, _, _ := p.state(); len(acc) != len(tc.failures)+1 {
				t.Fatalf("the platform took %q: the agent's resend did not go", acc)
			}
		})
	}
}

// TestLateTemplateFailureIsCounted: the template that reopens a closed
// window, taken by Meta and failed later (the person cannot get it, the
// template paused, Meta's limits on what a person gets), leaves the
// agent's messages held for the person, who was never asked to write.
// A template refused at its send counted in
// clavebot_outbox_templates_total{result="failed"}; one failed later only
// in the receipts, where no alert looks. It counts as failed now.
func TestLateTemplateFailureIsCounted(t *testing.T) {
	p := windowPlatform()
	s := newStepper(t, p)
	p.fail(closedWindow)
	s.deliver(t, "agent:a1", "Hola, soy Ana: ya revisé tu caso")
	s.drain(t)
	if n := s.meter.get("template:sent"); n != 1 {
		t.Fatalf("%d templates sent, want 1", n)
	}
	late := bot.Receipt{Chat: chat, ID: "wamid.tpl1", State: bot.Failed, Code: "131026", Reason: "Message undeliverable"}
	if err := s.relay.Receipt(context.Background(), late); err != nil {
		t.Fatal(err)
	}
	if d := s.delivery(t); d.Window == nil || d.Window.TemplateStatus == nil || d.Window.TemplateStatus.State != bot.Failed {
		t.Fatalf("the desk sees the window as %+v", d.Window)
	}
	if n := s.meter.get("template:failed"); n != 1 {
		t.Fatalf("%d templates counted failed, want 1", n)
	}
}
