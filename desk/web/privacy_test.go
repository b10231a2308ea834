package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/dialog/convo"
)

// TestRelayedPersonalDataMaskedUntilValidated: what a person who has not
// proved who they are writes while waiting reaches the desk, and its
// records, without their DNI, birth date, número de trámite or CUIL.
func TestRelayedPersonalDataMaskedUntilValidated(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const said = "mi dni es 35.218.904, nací el 21/07/1990, el trámite 00512345678 y mi cuil 27-35218904-4"
	secrets := []string{"35.218.904", "35218904", "21/07/1990", "00512345678"}
	for _, validated := range []bool{false, true} {
		chat := "rest:unvalidated"
		if validated {
			chat = "rest:validated"
		}
		h := convo.Handoff{Chat: chat, Channel: "rest", Reason: "requested", CUIL: "27352189044", Validated: validated}
		if _, err := e.handoffs.Enqueue(ctx, h); err != nil {
			t.Fatal(err)
		}
		if rel, err := e.handoffs.Relay(ctx, chat, said); err != nil || rel.AtAgent {
			t.Fatalf("Relay before an agent took the chat: %+v, %v", rel, err)
		}
		_, msgs, err := e.desk.Chat(ctx, desk.Agent{Name: "ana"}, chat)
		if err != nil {
			t.Fatal(err)
		}
		shown := msgs[len(msgs)-1].Text
		var stored string
		if err := e.store.DBX().Get(&stored, `SELECT body FROM desk_messages m JOIN desk_conversations c ON c.id = m.conversation_id
			WHERE c.chat = ? ORDER BY m.id DESC LIMIT 1`, chat); err != nil {
			t.Fatal(err)
		}
		for _, got := range []string{shown, stored} {
			if validated {
				if got != said {
					t.Errorf("a validated person's message was changed: %q", got)
				}
				continue
			}
			for _, s := range secrets {
				if strings.Contains(got, s) {
					t.Errorf("%q shows %s of a person who has not validated", got, s)
				}
			}
		}
	}
}
