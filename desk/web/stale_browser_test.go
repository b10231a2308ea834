package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBoardSaysWhenItCannotUpdate: with Redis away the desk answers the
// board with 503, and the page kept the line it showed last, «Abierta»,
// without a word: an agent watching an empty line believed nobody
// waited while people were told of a technical problem (found by a desk
// probe with Redis stopped). The page says the line may be out of date
// while the board cannot be read, and stops saying it once it can.
func TestBoardSaysWhenItCannotUpdate(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	e.say(t, "stale1", "hablar con una persona")
	// The board answered as the desk answers it while Redis is away.
	const fail = `window.__fetch = window.__fetch || window.fetch;
window.fetch = (u, o) => String(u).includes("/desk/api/board")
  ? Promise.resolve(new Response('{"error":"desk queue unavailable","code":"unavailable"}', {status: 503, headers: {"Content-Type": "application/json"}}))
  : window.__fetch(u, o);
true`
	err := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(`#queue li[data-chat="rest:stale1"]`),
		chromedp.Poll[chromedp.Void](`document.body.dataset.live === "1"`),
		into(new(bool), chromedp.Evaluate[bool](fail)),
	)
	if err != nil {
		t.Fatal(err)
	}
	e.say(t, "stale2", "hablar con una persona") // an event: the page reads the board
	if err := chromedp.Do(ctx, textIn(`#offline:not([hidden])`, es(t, "deskpage.offline"))); err != nil {
		t.Fatalf("the page says nothing of a board it cannot read: %v", err)
	}
	err = chromedp.Do(ctx, into(new(bool), chromedp.Evaluate[bool](`window.fetch = window.__fetch; true`)))
	if err != nil {
		t.Fatal(err)
	}
	e.say(t, "stale3", "hablar con una persona")
	err = chromedp.Do(ctx,
		chromedp.WaitVisible(`#queue li[data-chat="rest:stale3"]`),
		chromedp.Poll[chromedp.Void](`document.getElementById("offline").hidden`),
	)
	if err != nil {
		t.Fatalf("the warning stays once the board is read: %v", err)
	}
}
