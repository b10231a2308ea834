package relay_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog/convo"
)

// TestHeldWithNoTemplateIsListed: with no template configured
// (CLAVEBOT_WHATSAPP_TEMPLATE empty) nothing asks the person whose window
// closed to write, as after a template that failed for good; but only
// the failed template made the held messages listed, so the agent who
// wrote them believed them on their way for up to 28 days. They are
// listed now, held, with a reason that says no template is configured
// (what an operator sets) and that they go out if the person writes; the
// person's message still sends them once, and then none is listed.
func TestHeldWithNoTemplateIsListed(t *testing.T) {
	p := &platform{name: "whatsapp", window: 24 * time.Hour}
	s := newStepper(t, p)
	ctx := context.Background()
	p.fail(closedWindow)
	s.deliver(t, "agent:a1", "Hola, soy Ana: ya revisé tu caso")
	s.drain(t)
	s.deliver(t, "agent:a2", "Escribime cuando puedas")
	s.drain(t)
	listed, err := s.relay.DeadLetters(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) != 2 {
		t.Fatalf("listed %+v, want the two held messages", listed)
	}
	for _, d := range listed {
		if !d.Held || d.Code != "no_template" || !strings.Contains(d.Reason, "no template is configured") ||
			!strings.Contains(d.Reason, "--whatsapp-template") || !strings.Contains(d.Reason, "if the person writes") {
			t.Fatalf("listed %+v, want held for want of a template", d)
		}
	}
	if n := s.meter.get("dead"); n != 0 {
		t.Fatalf("%d dead letters counted: the held messages are not given up", n)
	}
	if err := s.relay.Resend(ctx, chat, "agent:a1"); err == nil {
		t.Fatal("a held message sent again: it goes out when the person writes")
	}
	if n, err := s.relay.Arrived(ctx, convo.Inbound{Chat: chat}); err != nil || n != 2 {
		t.Fatalf("on the person's message %d sent (%v), want 2", n, err)
	}
	if acc, _, _ := p.state(); len(acc) != 2 {
		t.Fatalf("the platform took %q", acc)
	}
	if listed, err := s.relay.DeadLetters(ctx, 10); err != nil || len(listed) != 0 {
		t.Fatalf("after the person wrote: listed %+v (%v), want none", listed, err)
	}
}
