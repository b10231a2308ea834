package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

// TestEditedMessageIsAnsweredKindly: a person who edits a message they
// sent (to fix a typo in the CUIL) got nothing on Telegram, and "Por
// ahora solo puedo leer texto" on WhatsApp, though they had written text.
// The bot does not read edits (the conversation has moved on from the
// message edited): it says so, asks to write it again, and asks its
// question again.
func TestEditedMessageIsAnsweredKindly(t *testing.T) {
	h := newHarness(t)
	const chat = "edited"
	edit := func(id string) []dialog.Reply {
		t.Helper()
		res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: id, Media: convo.MediaEdited, Channel: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return res.Replies
	}
	if rs := edit("e1"); !has(rs, i18n.M("input.edited")) || last(rs).Expect != dialog.ExpectMenu {
		t.Fatalf("an edit as the first message:\n%s", h.dump(rs))
	}
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "1", dialog.ExpectCUIL)
	if rs := edit("e2"); !has(rs, i18n.M("input.edited")) || has(rs, i18n.M("input.media")) || last(rs).Expect != dialog.ExpectCUIL {
		t.Fatalf("an edit at the CUIL step:\n%s", h.dump(rs))
	}
}
