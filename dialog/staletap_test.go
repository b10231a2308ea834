package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestStaleTapAsksAgain: a tap on an earlier message's option while no
// question with options is on screen (the bot asked for a DNI since; or
// Redis was emptied) is not an answer: the question is asked again, or,
// with no conversation, the chat starts over at the menu. It was told to
// answer "my last question", which was not on screen (a resilience
// probe).
func TestStaleTapAsksAgain(t *testing.T) {
	h := newHarness(t)
	const chat = "stale"
	h.toDNIStep(chat)
	tap := func(chat, id string) []dialog.Reply {
		t.Helper()
		res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: id, Text: "Crear mi clave", Channel: "test", StaleTap: true})
		if err != nil {
			t.Fatal(err)
		}
		return res.Replies
	}
	rs := tap(chat, "tap1")
	if !has(rs, i18n.M("input.stale_tap")) || !has(rs, i18n.M("ask.dni")) || last(rs).Expect != dialog.ExpectDNI {
		t.Errorf("a stale tap at the DNI:\n%s\nwant the DNI asked again", h.dump(rs))
	}
	rs = tap("ended", "tap2")
	if !has(rs, i18n.M("input.stale_tap_over")) || last(rs).Expect != dialog.ExpectMenu || len(last(rs).Options) == 0 {
		t.Errorf("a stale tap in a chat without a conversation:\n%s\nwant it started over at the menu", h.dump(rs))
	}
}
