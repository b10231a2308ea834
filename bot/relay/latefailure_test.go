package relay_test

import (
	"context"
	"strings"
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

// TestHeldBehindAFailedTemplateIsListed: the template that reopens a
// closed window failed for good (Meta refused it at its send, or took it
// and said later it could not deliver it): the agents' messages held for
// it waited up to 28 days for a person never asked to write, listed
// nowhere on the desk. They are listed with the undelivered messages now,
// marked held (they still go out if the person writes), those put after
// the failure too; the person's next message sends each once, and then
// none is listed. One the agent discards is not sent.
func TestHeldBehindAFailedTemplateIsListed(t *testing.T) {
	for _, tc := range []struct {
		name string
		fail func(s *stepper)
		code string
	}{
		{"refused at its send", func(s *stepper) {
			s.p.tplErrs = []error{&bot.SendError{Failure: bot.Refused, Code: "131026", Reason: "Message undeliverable"}}
		}, "131026"},
		{"taken, failed later", func(*stepper) {}, "131026"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := windowPlatform()
			s := newStepper(t, p)
			ctx := context.Background()
			tc.fail(s)
			p.fail(closedWindow)
			s.deliver(t, "agent:a1", "Hola, soy Ana: ya revisé tu caso")
			s.drain(t)
			if _, _, n := p.state(); n == 1 { // Meta took it: its word comes later
				late := bot.Receipt{Chat: chat, ID: "wamid.tpl1", State: bot.Failed, Code: "131026", Reason: "Message undeliverable"}
				if err := s.relay.Receipt(ctx, late); err != nil {
					t.Fatal(err)
				}
			}
			s.deliver(t, "agent:a2", "Escribime cuando puedas")
			s.deliver(t, "agent:a3", "Esto ya no va")
			s.drain(t)
			listed, err := s.relay.DeadLetters(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(listed) != 3 {
				t.Fatalf("listed %+v, want the three held messages", listed)
			}
			for _, d := range listed {
				if !d.Held || d.Chat != chat || d.Code != tc.code || !strings.Contains(d.Reason, "if the person writes") || d.Kind != "agent" || d.Text == "" {
					t.Fatalf("listed %+v, want held for the failed template", d)
				}
			}
			if n := s.meter.get("dead"); n != 0 {
				t.Fatalf("%d dead letters counted: the held messages are not given up", n)
			}
			if err := s.relay.Resend(ctx, chat, "agent:a1"); err == nil {
				t.Fatal("a held message sent again: it goes out when the person writes")
			}
			if err := s.relay.Discard(ctx, chat, "agent:a3"); err != nil {
				t.Fatal(err)
			}
			s.want(t, "agent:a3", bot.Failed)
			if n, err := s.relay.Arrived(ctx, convo.Inbound{Chat: chat}); err != nil || n != 2 {
				t.Fatalf("on the person's message %d sent (%v), want 2", n, err)
			}
			if acc, _, _ := p.state(); len(acc) != 2 || acc[0] != "Hola, soy Ana: ya revisé tu caso" || acc[1] != "Escribime cuando puedas" {
				t.Fatalf("the platform took %q", acc)
			}
			if listed, err := s.relay.DeadLetters(ctx, 10); err != nil || len(listed) != 0 {
				t.Fatalf("after the person wrote: listed %+v (%v), want none", listed, err)
			}
		})
	}
}

// TestLateFailureOvertakingTheSendIsActedOn: Meta may post a message's
// failure before the send's answer is back and recorded (a CI run showed
// it: an agent's reply, 131026, never reached the desk's undelivered
// view). The failure was written to the message's status, but nothing was
// kept yet for a late failure to act on, so it made no dead letter and
// nothing went again: the message sat "failed" where no agent looks.
// Such a failure is kept for the record now, and acted on as one that
// came after it.
func TestLateFailureOvertakingTheSendIsActedOn(t *testing.T) {
	undeliverable := bot.Receipt{State: bot.Failed, Code: "131026", Reason: "Message undeliverable"}
	rate := bot.Receipt{State: bot.Failed, Code: "130429", Reason: "Rate limit hit", Again: true}
	for _, tc := range []struct {
		name    string
		receipt bot.Receipt
		byID    bool // the receipt names only the platform's id (whatsmeow)
		dead    int
		taken   int // sends the platform took
	}{
		{"undeliverable: a dead letter", undeliverable, false, 1, 1},
		{"undeliverable, by id: a dead letter", undeliverable, true, 1, 1},
		{"a failure that may pass: sent again", rate, false, 0, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := windowPlatform()
			s := newStepper(t, p)
			ctx := context.Background()
			if _, err := s.relay.Arrived(ctx, convo.Inbound{Chat: chat}); err != nil { // the window opens
				t.Fatal(err)
			}
			fired := false // the first send only: what goes again is taken
			p.during = func(key, id string) {
				if fired {
					return
				}
				fired = true
				rc := tc.receipt
				rc.Chat, rc.ID = chat, id
				if !tc.byID {
					rc.Key = key
				}
				if err := s.relay.Receipt(ctx, rc); err != nil {
					t.Error(err)
				}
			}
			s.deliver(t, "agent:a1", "Hola, soy Ana")
			s.drain(t)
			p.during = nil
			s.drain(t)
			dead, err := s.relay.DeadLetters(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(dead) != tc.dead || s.meter.get("dead") != tc.dead {
				t.Fatalf("dead letters %+v (%d counted), want %d", dead, s.meter.get("dead"), tc.dead)
			}
			if tc.dead == 1 && (dead[0].Key != "agent:a1" || dead[0].Code != "131026" || dead[0].Text != "Hola, soy Ana") {
				t.Fatalf("dead letter %+v", dead[0])
			}
			if acc, _, _ := p.state(); len(acc) != tc.taken {
				t.Fatalf("the platform took %q, want %d sends", acc, tc.taken)
			}
		})
	}
}
