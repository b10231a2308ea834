package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clavebot/clavebot/desk"
)

// nextDay moves the page's clock a day on, as a night left open would.
const nextDay = `(() => {
  const Real = Date, shift = 24 * 3600 * 1000;
  class Later extends Real {
    constructor(...a) { if (a.length) super(...a); else super(Real.now() + shift); }
    static now() { return Real.now() + shift; }
  }
  window.Date = Later;
  return true;
})()`

// TestTranscriptLeftOpenOvernightSaysItsDates: an agent who left a chat
// open at night read it the next morning with last night's messages
// showing their hour alone, as today's: the page draws a message's time
// once, and the person's morning message was added under lines whose
// "today" was the day before (a desk probe). The transcript is drawn
// again once the day changed.
func TestTranscriptLeftOpenOvernightSaysItsDates(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	const person = "noche"
	e.takenBy(t, "ana", person)
	item := `#active li[data-chat="rest:` + person + `"]`
	err := chromedp.Do(ctx,
		openLive(e.srv.URL, item),
		textIn(`#messages`, "hablar con una persona"),
		into(new(bool), chromedp.Evaluate[bool](nextDay)),
	)
	if err != nil {
		t.Fatal(err)
	}
	e.say(t, person, "buen día, ¿seguís ahí?")
	var stamps []string
	err = chromedp.Do(ctx,
		textIn(`#messages`, "buen día"),
		into(&stamps, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#messages li small")].map((s) => s.textContent)`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Every line was written today, which the page now holds for
	// yesterday: each says its date.
	day := time.Now().In(desk.Location(desk.DefaultZone)).Format("02/01/2006")
	for _, s := range stamps {
		if !strings.Contains(s, day) {
			t.Errorf("a line of yesterday reads %q, without its date %s (all: %q)", s, day, stamps)
			break
		}
	}
}
