package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestNoLineWithAnAgent: a person an agent was attending who sent a
// blank message, or tapped an option of an earlier message, was told
// "Seguís en la fila de la mesa de ayuda" (found by a desk probe). With an
// agent they are told the agent is attending them; in the line, still
// that they are in it.
func TestNoLineWithAnAgent(t *testing.T) {
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	const chat = "withagent"
	h.step(chat, "hablar con una persona", dialog.ExpectText, i18n.M("handoff.queued", "position", 1))
	if rs := h.send(chat, "   "); !has(rs, i18n.M("handoff.waiting")) {
		t.Errorf("a blank message in the line:\n%s\nwant the line said", h.dump(rs))
	}
	desk.taken = true
	tap := func(id string) []dialog.Reply {
		t.Helper()
		res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: id, Text: "Sí", Channel: "test", StaleTap: true})
		if err != nil {
			t.Fatal(err)
		}
		return res.Replies
	}
	for what, rs := range map[string][]dialog.Reply{"a blank message": h.send(chat, "   "), "a stale tap": tap("tap1")} {
		if has(rs, i18n.M("handoff.waiting")) || !has(rs, i18n.M("handoff.with_agent")) || last(rs).Expect != dialog.ExpectText {
			t.Errorf("%s with an agent:\n%s\nwant that the agent attends them", what, h.dump(rs))
		}
	}
}
