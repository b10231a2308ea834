package dialog_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// TestOneSourceCannotFillTheDesksLine is an attack probe's: a REST chat's id
// is its client's choice, so one client (one address, or the one person
// the portal names) opened 200 chats, each asking for a person, and all
// 200 joined the agents' line: a citizen asking next was told place 201,
// and the agents read 200 empty chats first. One source now puts at most
// 20 chats an hour in the line; beyond, the person is told until when and
// keeps their place with the bot. Another source, a loopback address (a
// local proxy, everyone alike) and the chat already in the line are not
// held back.
func TestOneSourceCannotFillTheDesksLine(t *testing.T) {
	rdb := testenv.Redis(t)
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk), dialog.WithLimiter(redisstore.NewLimiter(rdb, testenv.Prefix(t, rdb, "limits"))))
	ask := func(chat, source string) []dialog.Reply {
		t.Helper()
		h.ids++
		res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: strconv.Itoa(h.ids), Text: "hablar con una persona", Channel: "rest", Source: source})
		if err != nil {
			t.Fatal(err)
		}
		return res.Replies
	}
	for _, tt := range []struct {
		source string
		chats  int
		queued int
	}{
		{"203.0.113.7", 60, 20},
		{"198.51.100.9", 3, 3}, // another source has its own
		{"127.0.0.1", 30, 30},  // loopback: no source
	} {
		before := len(desk.queue)
		var last []dialog.Reply
		for i := range tt.chats {
			last = ask(fmt.Sprintf("flood-%s-%d", tt.source, i), tt.source)
		}
		if got := len(desk.queue) - before; got != tt.queued {
			t.Errorf("%d chats from %s asked for a person: %d joined the line, want %d", tt.chats, tt.source, got, tt.queued)
		}
		if tt.queued < tt.chats && (lastExpect(last) == dialog.ExpectText || len(last) == 0) {
			t.Errorf("the chat over the limit of %s:\n%s\nwant to be told, and kept with the bot", tt.source, h.dump(last))
		}
	}
}

// TestOneChatCannotFloodTheDeskWithHandOvers: a chat that asked for a person
// and cancelled, over and over (an attack probe: 100 times in 4 s on one
// serve, from a Telegram account or a chat with no source), wrote a desk
// conversation each time, kept 180 days, and counted in the desk's figures
// of the day. One chat now joins the line at most 10 times an hour; beyond,
// it is told until when and stays with the bot.
func TestOneChatCannotFloodTheDeskWithHandOvers(t *testing.T) {
	desk := &fakeDesk{}
	h := newHarness(t, dialog.WithDesk(desk))
	const chat = "toggler"
	var last []dialog.Reply
	for range 30 {
		last = h.send(chat, "hablar con una persona")
		h.send(chat, "cancelar")
	}
	if got := len(desk.queue); got != 10 {
		t.Errorf("one chat asked for a person 30 times: it joined the line %d times, want 10", got)
	}
	if !has(last, i18n.M("handoff.limited", "until", h.now.Add(time.Hour))) {
		t.Errorf("the 30th request:\n%s\nwant to be told until when", h.dump(last))
	}
}
