package relay_test

import (
	"context"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
)

// TestFailedTemplateCountsItsCode: ClavebotTemplatesFailed paged on any
// failed template, one person's (131026: left WhatsApp) as much as the
// template's own (132001: Meta knows no such template), since the count
// had no code. A template that failed for good now counts its code too
// (clavebot_outbox_templates_failed_total), refused at its send or taken
// and failed later, so the alert fires on what an operator must fix;
// one tried again, or no template configured, counts no code.
func TestFailedTemplateCountsItsCode(t *testing.T) {
	for _, tc := range []struct {
		name     string
		template string
		tplErr   error
		late     string // the code of a failed status after Meta took it
		want     string // the meter's count, "" for none
	}{
		{"refused: no such template", "clave_aviso", &bot.SendError{Failure: bot.Refused, Code: "132001", Reason: "Template name does not exist"}, "", "132001"},
		{"taken, failed later: the person left", "clave_aviso", nil, "131026", "131026"},
		{"tried again", "clave_aviso", retry("130429", time.Minute), "", ""},
		{"no template configured", "", nil, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &platform{name: "whatsapp", window: 24 * time.Hour, template: tc.template}
			s := newStepper(t, p)
			if tc.tplErr != nil {
				p.tplErrs = []error{tc.tplErr}
			}
			p.fail(closedWindow)
			s.deliver(t, "agent:a1", "Hola, soy Ana")
			s.drain(t)
			if tc.late != "" {
				rc := bot.Receipt{Chat: chat, ID: "wamid.tpl1", State: bot.Failed, Code: tc.late, Reason: "Message undeliverable"}
				if err := s.relay.Receipt(context.Background(), rc); err != nil {
					t.Fatal(err)
				}
			}
			total := 0
			for k, n := range s.meter.snapshot() {
				if len(k) > len("template-failed:") && k[:len("template-failed:")] == "template-failed:" {
					total += n
				}
			}
			if tc.want == "" && total != 0 || tc.want != "" && (total != 1 || s.meter.get("template-failed:"+tc.want) != 1) {
				t.Fatalf("counted %v, want one failed template of code %q", s.meter.snapshot(), tc.want)
			}
		})
	}
}
