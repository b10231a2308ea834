package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
)

// TestTranscriptTimesAreTheDesks: each message of the open chat said its
// hour by the agent's computer's clock and zone, and only its hour: a
// message left at 22:00 the night before read as today's, and an agent
// whose computer keeps another zone (a remote desktop on UTC) read every
// hour shifted (a desk probe). The hour is the desk's zone's, alone for
// today's messages and with the date for earlier ones.
func TestTranscriptTimesAreTheDesks(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	q := redisdesk.New(e.rdb, e.prefix)
	art := desk.Location(desk.DefaultZone)
	now := time.Now()
	old := now.Add(-50 * time.Hour)
	const chat = "rest:horas"
	c := desk.Conversation{ID: "HORAS1", Chat: chat, Channel: "rest", Reason: "requested", Status: desk.Waiting, Enqueued: now, Awaiting: now}
	history := []desk.Message{
		{At: old, From: desk.FromPerson, Text: "mensaje viejo"},
		{At: now, From: desk.FromPerson, Text: "mensaje nuevo"},
	}
	if _, err := q.Put(ctx, c, history); err != nil {
		t.Fatal(err)
	}
	item := `#queue li[data-chat="` + chat + `"]`
	var stamps []string
	err := chromedp.Do(browser(t, chromedp.Env("TZ=Asia/Tokyo")),
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(item),
		clickLive(item),
		textIn(`#messages`, "mensaje nuevo"),
		into(&stamps, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#messages li small")].map((s) => s.textContent)`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"persona · " + old.In(art).Format("02/01/2006 15:04"), "persona · " + now.In(art).Format("15:04")}
	if len(stamps) != 2 || stamps[0] != want[0] || stamps[1] != want[1] {
		t.Fatalf("the transcript's times read %q, want %q", stamps, want)
	}
}
