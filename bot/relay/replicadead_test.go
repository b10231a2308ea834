package relay_test

import (
	"context"
	"testing"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
)

// An agent's page may be served by a replica that does not run the
// chat's channel: it lists that channel's dead letters when told the
// channels' names, and a resend from it reaches the replica that runs
// the channel (the notice and the due set are the channel's, not the
// process's).
func TestDeadLetterResentFromAnotherReplica(t *testing.T) {
	rdb, prefix := realRedis(t)
	ctx := context.Background()
	wa := &platform{name: "whatsapp", ready: true}
	wa.fail(&bot.SendError{Failure: bot.Refused, Code: "131026", Reason: "message undeliverable"})
	runs := newProcess(t, rdb, prefix, nil, wa)
	desk := newProcess(t, rdb, prefix, []relay.Option{relay.WithChannels("rest", "telegram", "whatsapp")})
	const chat = "whatsapp:5491155550000"
	if err := runs.outbox.Deliver(ctx, chat, "agent:a1", text("hola, soy Ana")); err != nil {
		t.Fatal(err)
	}
	runs.run(t)
	var dead []bot.DeadLetter
	waitFor(t, "the dead letter, listed by the other replica", func() bool {
		var err error
		dead, err = desk.relay.DeadLetters(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(dead) == 1
	})
	if dead[0].Chat != chat || dead[0].Key != "agent:a1" {
		t.Fatalf("dead letter %+v", dead[0])
	}
	if err := desk.relay.Resend(ctx, chat, "agent:a1"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the resend, sent by the replica running WhatsApp", func() bool {
		acc, _, _ := wa.state()
		return len(acc) == 1
	})
}
