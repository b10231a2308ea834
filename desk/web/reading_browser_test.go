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

// TestReadingBackStaysWhereTheAgentReads: an agent reading back through a
// long conversation (what the person tried before the hand-over) was
// thrown to its end by each message the person wrote meanwhile, and lost
// the line being read (a desk probe with 120 lines). A message that
// comes keeps the agent's place; an agent at the end sees it come, and
// the agent's own reply is shown at the end.
func TestReadingBackStaysWhereTheAgentReads(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	q := redisdesk.New(e.rdb, e.prefix)
	const person = "largo"
	chat := "rest:" + person
	e.say(t, person, "hablar con una persona")
	if _, err := e.desk.Take(ctx, "ana", chat); err != nil {
		t.Fatal(err)
	}
	for i := range 120 {
		if _, err := q.Append(ctx, chat, desk.Message{At: time.Now(), From: desk.FromBot, Text: fmt.Sprint("línea ", i, " de lo que el bot le explicó antes")}); err != nil {
			t.Fatal(err)
		}
	}
	bctx := browser(t)
	item := `#active li[data-chat="` + chat + `"]`
	top := `document.getElementById("messages").scrollTop`
	err := chromedp.Do(bctx,
		openLive(e.srv.URL, item),
		textIn(`#messages`, "línea 119"),
		chromedp.Poll[chromedp.Void](`(() => { const ol = document.getElementById("messages"); ol.scrollTop = 0; return ol.scrollHeight > ol.clientHeight + 500 })()`),
	)
	if err != nil {
		t.Fatal(err)
	}
	e.say(t, person, "¿hola? sigo esperando")
	var at int
	err = chromedp.Do(bctx,
		textIn(`#messages`, "sigo esperando"),
		into(&at, chromedp.Evaluate[int](top)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if at != 0 {
		t.Errorf("the agent reading the first lines was moved to %d px by the person's message", at)
	}
	// At the end, the next message is seen; the agent's reply is shown.
	err = chromedp.Do(bctx,
		chromedp.Poll[chromedp.Void](`(() => { const ol = document.getElementById("messages"); ol.scrollTop = ol.scrollHeight; return true })()`),
	)
	if err != nil {
		t.Fatal(err)
	}
	e.say(t, person, "perdón, acá estoy")
	atEnd := `(() => { const ol = document.getElementById("messages"); return ol.scrollTop + ol.clientHeight >= ol.scrollHeight - 4 })()`
	err = chromedp.Do(bctx,
		textIn(`#messages`, "acá estoy"),
		chromedp.Poll[chromedp.Void](atEnd),
		chromedp.Poll[chromedp.Void](`(() => { document.getElementById("messages").scrollTop = 0; return true })()`),
		chromedp.SendKeys(`#reply-text`, "Ya te leo"),
		chromedp.Click(`#send`),
		textIn(`#messages li.agent`, "Ya te leo"),
		chromedp.Poll[chromedp.Void](atEnd),
	)
	if err != nil {
		t.Fatal(err)
	}
}
