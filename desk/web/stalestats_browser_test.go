package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clavebot/clavebot/desk"
)

// failingStats fails every read of the figures while fail is set, as the
// database failing or too slow for the statistics' queries.
type failingStats struct {
	desk.StatsSource
	fail atomic.Bool
}

var errStatsAway = errors.New("stats: the database is away")

func (s *failingStats) Handovers(ctx context.Context, since time.Time) (int, error) {
	if s.fail.Load() {
		return 0, errStatsAway
	}
	return s.StatsSource.Handovers(ctx, since)
}

// TestStatsSayWhenStale: when the day's and week's figures could not be
// read (the database away, a query timing out), the board came without
// them and the page kept showing the last ones read, as if current, for
// as long as the failure lasted (found by a desk probe). The board says
// the figures could not be read, and the page says those shown are not
// up to date, until they are read again.
func TestStatsSayWhenStale(t *testing.T) {
	src := &failingStats{}
	e := newHookedEnv(t, hooks{stats: func(s desk.StatsSource) desk.StatsSource { src.StatsSource = s; return src }})
	e.say(t, "figs1", "hablar con una persona")

	c := newClient(t, e)
	c.signIn("ana", agentPassword)
	src.fail.Store(true)
	code, body := c.get("/desk/api/board")
	var b struct {
		Stats            *desk.Stats `json:"stats"`
		StatsUnavailable bool        `json:"stats_unavailable"`
	}
	if err := json.Unmarshal([]byte(body), &b); err != nil || code != http.StatusOK {
		t.Fatalf("board: %d %s (%v)", code, body, err)
	}
	if b.Stats != nil || !b.StatsUnavailable {
		t.Errorf("a board whose figures failed: stats %+v, stats_unavailable %v; want none, and said", b.Stats, b.StatsUnavailable)
	}
	src.fail.Store(false)

	ctx := browser(t)
	err := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(`#queue li[data-chat="rest:figs1"]`),
		textIn(`#st-today`, "1"),
		chromedp.Poll[chromedp.Void](`document.body.dataset.live === "1"`),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Half a minute later by the page's clock, the next board asks for the
	// figures again; they fail.
	src.fail.Store(true)
	const later = `window.__now = window.__now || Date.now; Date.now = () => window.__now() + 60000; true`
	if err := chromedp.Do(ctx, into(new(bool), chromedp.Evaluate[bool](later))); err != nil {
		t.Fatal(err)
	}
	e.say(t, "figs2", "hablar con una persona") // an event: the page reads the board
	wait, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(wait, textIn(`#stats-stale:not([hidden])`, esBefore(t, "deskpage.stats_stale_since"))); err != nil {
		t.Fatalf("the page shows the old figures as current: %v", err)
	}
	src.fail.Store(false)
	const muchLater = `Date.now = () => window.__now() + 120000; true`
	if err := chromedp.Do(ctx, into(new(bool), chromedp.Evaluate[bool](muchLater))); err != nil {
		t.Fatal(err)
	}
	e.say(t, "figs3", "hablar con una persona")
	err = chromedp.Do(ctx,
		textIn(`#st-today`, "3"),
		chromedp.Poll[chromedp.Void](`document.getElementById("stats-stale").hidden`),
	)
	if err != nil {
		t.Fatalf("the warning stays once the figures are read: %v", err)
	}
}
