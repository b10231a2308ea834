package relay_test

import (
	"context"
	"testing"

	"github.com/clavebot/clavebot/bot"
)

// TestRedeliveredTemplateFailureCountsOnce: Meta posts a status again
// when it thinks the webhook failed, for days, and the Cloud channel does
// not drop repeated statuses. A template's failed status told twice
// counted two failed templates (clavebot_outbox_templates_total and, by
// code, clavebot_outbox_templates_failed_total, which
// ClavebotTemplatesFailed reads): one person made two, and the alert's
// share of failed windows grew with every redelivery. It counts once.
func TestRedeliveredTemplateFailureCountsOnce(t *testing.T) {
	p := windowPlatform()
	s := newStepper(t, p)
	p.fail(closedWindow)
	s.deliver(t, "agent:a1", "Hola, soy Ana")
	s.drain(t)
	late := bot.Receipt{Chat: chat, ID: "wamid.tpl1", State: bot.Failed, Code: "131026", Reason: "Message undeliverable"}
	for range 3 {
		if err := s.relay.Receipt(context.Background(), late); err != nil {
			t.Fatal(err)
		}
	}
	if n, m := s.meter.get("template:failed"), s.meter.get("template-failed:131026"); n != 1 || m != 1 {
		t.Fatalf("one failed template told three times counted %d (%d by code), want 1", n, m)
	}
}
