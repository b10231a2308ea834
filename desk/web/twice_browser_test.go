package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/dialog/redisstore"
)

// TestSendClickedAgainWhileSendingGoesOnce: a replica that died in the
// middle of a person's turn leaves the chat locked for up to 30 s, and
// the agent's reply waits for it (a desk probe with two replicas). An
// agent who clicked «Enviar» again meanwhile sent the reply a second
// time under a new id, and the person got it twice once the lock was
// free. A send still under way is a send that may go out: clicked again,
// the same words keep its id, and go once.
func TestSendClickedAgainWhileSendingGoesOnce(t *testing.T) {
	e := newEnv(t)
	e.takenBy(t, "ana", "lento")
	const chat, text = "rest:lento", "Ya lo reviso"
	// The replica that died mid-turn: the chat's lock, held.
	st := redisstore.New(e.rdb, redisstore.WithPrefix(e.prefix))
	lease, _, err := st.Acquire(context.Background(), chat, "")
	if err != nil {
		t.Fatal(err)
	}
	item := `#active li[data-chat="` + chat + `"]`
	ctx := browser(t)
	err = chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(item),
		clickLive(item),
		textIn(`#chat-id`, chat),
		chromedp.WaitVisible(`#reply-text`),
		chromedp.SendKeys(`#reply-text`, text),
		// Count the replies the page sends, and when their answers came.
		chromedp.Evaluate[chromedp.Void](`(() => {
			window.__sent = 0; window.__answered = 0;
			const f = window.fetch;
			window.fetch = async (u, o) => {
				const reply = String(u).endsWith("/reply");
				if (reply) window.__sent++;
				try { return await f(u, o); } finally { if (reply) window.__answered++; }
			};
		})()`),
		chromedp.Click(`#send`),
		chromedp.Poll[chromedp.Void](`window.__sent === 1`, chromedp.WithPollingInterval(20*time.Millisecond)),
		chromedp.Click(`#send`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Release(context.Background(), lease); err != nil {
		t.Fatal(err)
	}
	var sent int
	err = chromedp.Do(ctx,
		chromedp.Poll[chromedp.Void](`window.__sent > 0 && window.__answered === window.__sent`, chromedp.WithPollingInterval(20*time.Millisecond)),
		into(&sent, chromedp.Evaluate[int](`window.__sent`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	_, msgs, err := e.desk.Chat(context.Background(), desk.Agent{Name: "ana"}, chat)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range msgs {
		if m.From == desk.FromAgent && strings.Contains(m.Text, text) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("the reply went %d times (the page sent it %d times), want once", n, sent)
	}
}
