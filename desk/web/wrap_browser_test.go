package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestLongWordWraps: a message with a long unbroken word (a pasted link,
// a row of letters) ran out of its bubble and made the transcript scroll
// sideways, the agent scrolling to read each line (found by a desk
// probe). It wraps within the bubble.
func TestLongWordWraps(t *testing.T) {
	e := newEnv(t)
	const person, chat = "wrap1", "rest:wrap1"
	e.say(t, person, "hablar con una persona")
	e.say(t, person, "https://www.anses.gob.ar/"+strings.Repeat("x", 900))
	ctx := browser(t)
	item := `#queue li[data-chat="` + chat + `"]`
	var wide bool
	err := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(item),
		clickLive(item),
		textIn(`#messages`, "anses.gob.ar"),
		into(&wide, chromedp.Evaluate[bool](`(() => { const ol = document.getElementById("messages");
			return ol.scrollWidth > ol.clientWidth + 1 || [...ol.children].some((li) => li.scrollWidth > li.clientWidth + 1); })()`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if wide {
		t.Error("a long word runs out of its message: the transcript scrolls sideways")
	}
}
