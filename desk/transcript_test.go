package desk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

// TestBotLinesHideTheCUILUntilValidated: a person who changed their key
// and then asked for a person from the menu was "sin validar" on the
// desk, "CUIL: no lo dio", yet the bot's line "…con tu CUIL
// 27-35218904-4 y tu clave" showed it whole (found by a probe). A CUIL
// in the bot's lines is masked as in the person's until the person
// validates in this conversation.
func TestBotLinesHideTheCUILUntilValidated(t *testing.T) {
	_, h := redisHandoffs(t, "botcuil", &records{outcomes: map[string]string{}}, &heldOutbox{})
	d := desk.New(h, quietEngine{})
	ctx := context.Background()
	at := time.Now()
	lines := []convo.Line{
		{At: at, From: "bot", Msg: i18n.M("done.login", "cuil", "27-35218904-4")},
		{At: at, From: "bot", Msg: i18n.Raw("Tu CUIL es 27352189044.")},
		{At: at, From: "person", Msg: i18n.Raw("hablar con una persona")},
	}
	for _, validated := range []bool{false, true} {
		chat := "telegram:1"
		if validated {
			chat = "telegram:2"
		}
		if _, err := h.Enqueue(ctx, convo.Handoff{Chat: chat, Channel: "telegram", Reason: "requested", Validated: validated, Transcript: lines}); err != nil {
			t.Fatal(err)
		}
		_, msgs, err := d.Chat(ctx, desk.Agent{Name: "ana"}, chat)
		if err != nil {
			t.Fatal(err)
		}
		var shown []string
		for _, m := range msgs {
			shown = append(shown, m.Text)
		}
		all := strings.Join(shown, "\n")
		whole := strings.Contains(all, "35218904")
		if whole != validated {
			t.Errorf("validated %v: the CUIL whole in the transcript is %v:\n%s", validated, whole, all)
		}
		if !validated && strings.Count(all, "27-****8904-4") != 2 {
			t.Errorf("the CUIL is not masked as the desk masks it:\n%s", all)
		}
	}
}
