package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPageSaysThePersonLeft: a person who wrote «cancelar» while the agent
// had their chat open left the page saying only "Conversación cerrada.",
// the agent left to guess whether someone else closed it (found by a desk
// probe). The page says the person went back to the bot, and still that
// the reply being typed was not sent.
func TestPageSaysThePersonLeft(t *testing.T) {
	e := newEnv(t)
	const person, chat = "left1", "rest:left1"
	e.say(t, person, "hablar con una persona")
	if _, err := e.desk.Take(context.Background(), "ana", chat); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	item := `#active li[data-chat="` + chat + `"]`
	err := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(item),
		clickLive(item),
		chromedp.WaitVisible(`#reply-text`),
		chromedp.SendKeys(`#reply-text`, "Ya te ayudo"),
	)
	if err != nil {
		t.Fatal(err)
	}
	e.say(t, person, "cancelar")
	for _, want := range []string{es(t, "deskpage.closed_left"), es(t, "deskpage.unsent")} {
		if err := chromedp.Do(ctx, textIn(`#empty`, want)); err != nil {
			msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('empty').innerText`))
			t.Fatalf("%v; the page says %q, want it to say %q", err, msg, want)
		}
	}
}
