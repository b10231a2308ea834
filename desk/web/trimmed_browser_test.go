package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
)

// TestPageSaysEarlierMessagesAreNotShown: a conversation keeps its latest
// desk.MaxKept messages on the desk; the agent is told how many earlier
// ones the page does not show, and where they are.
func TestPageSaysEarlierMessagesAreNotShown(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const person, chat = "long1", "rest:long1"
	e.say(t, person, "hablar con una persona")
	q := redisdesk.New(e.rdb, e.prefix)
	// A long conversation, as an agent's answers let it grow.
	for i := 1; i <= desk.MaxKept; i++ {
		m := desk.Message{At: time.Now(), From: desk.FromPerson, Text: fmt.Sprint("línea ", i)}
		if _, err := q.Append(ctx, chat, m); err != nil {
			t.Fatal(err)
		}
	}
	c, msgs, err := q.Get(ctx, chat)
	if err != nil || c.Trimmed == 0 || len(msgs) != desk.MaxKept {
		t.Fatalf("%d messages kept, %d trimmed (%v)", len(msgs), c.Trimmed, err)
	}
	trimmed := c.Trimmed
	item := `#queue li[data-chat="` + chat + `"]`
	err = chromedp.Do(browser(t),
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(item),
		clickLive(item),
		textIn(`#messages`, fmt.Sprint("línea ", desk.MaxKept)),
		textIn(`#chat-trimmed`, es(t, "deskpage.trimmed", "n", trimmed, "kept", desk.MaxKept)),
	)
	if err != nil {
		t.Fatal(err)
	}
}
