package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestChatCatchesUpAfterMissedEvents: an agent reading a chat whose
// events the page missed (the stream cut and reconnected, the laptop
// asleep, the tab in the background while the network failed) kept
// showing it as it was until the chat's next event, which may never come:
// the person's last words unseen. The board was read again when the
// stream reconnected, the chat was not (found by a desk probe). The open
// chat is read again when the stream reconnects and when the tab is shown.
func TestChatCatchesUpAfterMissedEvents(t *testing.T) {
	// The chat's reads fail, as the network failing would, until told.
	const cut = `window.__fetch = window.__fetch || window.fetch;
window.__refused = 0;
window.fetch = (u, o) => String(u).includes("/desk/api/chats/")
  ? (window.__refused++, Promise.reject(new TypeError("Failed to fetch")))
  : window.__fetch(u, o);
true`
	for _, tc := range []struct {
		name string
		// catchUp is what may make the page read the chat again.
		catchUp func(e *env) chromedp.Action[chromedp.Void]
	}{
		{"reconnect", func(e *env) chromedp.Action[chromedp.Void] {
			return steps(
				into(new(bool), chromedp.Evaluate[bool](`document.body.dataset.live = ""; true`)),
				func(context.Context, *chromedp.Target) (chromedp.Void, error) {
					e.srv.CloseClientConnections() // the stream is cut; the browser reconnects
					return chromedp.Void{}, nil
				},
				chromedp.Poll[chromedp.Void](`document.body.dataset.live === "1"`),
			)
		}},
		{"shown", func(*env) chromedp.Action[chromedp.Void] {
			return into(new(bool), chromedp.Evaluate[bool](`document.dispatchEvent(new Event("visibilitychange")); true`))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := browser(t)
			person := "catchup" + tc.name
			e.say(t, person, "hablar con una persona")
			item := `#queue li[data-chat="rest:` + person + `"]`
			err := chromedp.Do(ctx,
				openLive(e.srv.URL, item),
				textIn(`#messages`, "hablar con una persona"),
				into(new(bool), chromedp.Evaluate[bool](cut)),
			)
			if err != nil {
				t.Fatal(err)
			}
			e.say(t, person, "sigo acá, ¿me atienden?")
			err = chromedp.Do(ctx,
				chromedp.Poll[chromedp.Void](`window.__refused > 0`), // the event came, its read failed
				into(new(bool), chromedp.Evaluate[bool](`window.fetch = window.__fetch; true`)),
				tc.catchUp(e),
			)
			if err != nil {
				t.Fatal(err)
			}
			wait, cancel := context.WithTimeout(ctx, 15*time.Second)
			defer cancel()
			if err := chromedp.Do(wait, textIn(`#messages`, "sigo acá")); err != nil {
				t.Errorf("the open chat still lacks the person's last message: %v", err)
			}
		})
	}
}

// openLive signs ana in, waits for the page to hear the desk's events,
// and opens the chat of item, a line of the page's lists.
func openLive(url, item string) chromedp.Action[chromedp.Void] {
	return steps(
		signInPage(url, "ana"),
		chromedp.WaitVisible(item),
		chromedp.Poll[chromedp.Void](`document.body.dataset.live === "1"`),
		clickLive(item),
	)
}
