package web_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBusyLineFetchesTheBoardOnceAtATime: every message of a person in
// the line is an event on every agent's page, and the page fetched the
// whole board, with the week's figures, on each: a busy line at the
// country's scale had every page asking for thousands of conversations
// and the statistics' queries many times a second (a desk probe). Events
// coming together make one fetch at a time (one more after it, so the
// page ends up current), and the figures are not fetched with them.
func TestBusyLineFetchesTheBoardOnceAtATime(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	// The page's fetches of the board: how many, how many with the
	// figures, and most at once.
	const count = `(() => { const f = window.fetch; window.__board = { n: 0, stats: 0, now: 0, most: 0 };
		window.fetch = async (u, o) => {
			const b = window.__board, board = String(u).includes("/desk/api/board");
			if (board) { b.n++; if (!String(u).includes("stats=0")) b.stats++; b.now++; b.most = Math.max(b.most, b.now); }
			try { return await f(u, o); } finally { if (board) b.now--; } };
		return true })()`
	err := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(`#queue`),
		chromedp.Poll[chromedp.Void](`document.body.dataset.live === "1"`, chromedp.WithPollingInterval(50*time.Millisecond)),
		chromedp.Poll[chromedp.Void](count, chromedp.WithPollingInterval(50*time.Millisecond)),
	)
	if err != nil {
		t.Fatal(err)
	}
	const people = 8
	var wg sync.WaitGroup
	errc := make(chan error, people)
	for i := range people {
		wg.Go(func() {
			p := fmt.Sprint("busy", i)
			for _, text := range []string{"hablar con una persona", "hola?", "hay alguien?", "sigo esperando"} {
				if _, err := e.trySay(p, text); err != nil {
					errc <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	// Everyone ends up on the page, their last message in: the fetch
	// after the last event came.
	err = chromedp.Do(ctx,
		chromedp.Poll[chromedp.Void](fmt.Sprint(`document.querySelectorAll("#queue li[data-chat]").length === `, people, ` && Number(document.body.dataset.events) >= `, people*4),
			chromedp.WithPollingInterval(50*time.Millisecond)),
	)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // a fetch still under way ends
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(window.__board) + " events " + document.body.dataset.events`))
	if err != nil {
		t.Fatal(err)
	}
	var n, stats, most, now int
	if _, err := fmt.Sscanf(got, `{"n":%d,"stats":%d,"now":%d,"most":%d}`, &n, &stats, &now, &most); err != nil {
		t.Fatalf("%q: %v", got, err)
	}
	if stats != 0 || most > 1 {
		t.Fatalf("during %d people's messages the page fetched the board %d times, %d with the figures, up to %d at once (%s)", people*4, n, stats, most, got)
	}
	t.Logf("%d events, %d fetches of the board", people*4, n)
}
