package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clavebot/clavebot/desk/web"
	"github.com/clavebot/clavebot/i18n"
)

// TestSignInLastsWhileTheAgentWorks: a sign-in ended 12 hours after it
// began, however busy the agent, and the page went back to the sign-in
// form without a word, the reply being typed lost (found by a probe). It
// now lasts while the agent does something, the page warns before it
// ends, and the draft is there again after the next sign-in. (The test's
// sign-in idles out in 5 s, warned 3 s before.)
func TestSignInLastsWhileTheAgentWorks(t *testing.T) {
	const idle = 5 * time.Second
	e := newEnv(t, web.WithSessionIdle(idle), web.WithSessionWarn(3*time.Second), web.WithSessionTTL(time.Hour))
	ctx := browser(t)
	e.takenBy(t, "ana", "turno")
	item := `#active li[data-chat="rest:turno"]`
	err := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(item),
		clickLive(item),
		chromedp.WaitVisible(`#reply-text`),
		chromedp.SendKeys(`#reply-text`, "Tu trámite"),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Typing for twice the idle time keeps the sign-in.
	for end := time.Now().Add(2 * idle); time.Now().Before(end); {
		time.Sleep(time.Second)
		if err := chromedp.Do(ctx, chromedp.SendKeys(`#reply-text`, " sigue")); err != nil {
			t.Fatalf("the page of an agent typing went away: %v", err)
		}
	}
	var draft string
	err = chromedp.Do(ctx,
		into(&draft, chromedp.Evaluate[string](`document.getElementById('reply-text').value`)),
		// Left alone, the page warns, then signs out.
		textIn(`#session-warning`, esBefore(t, "deskpage.session_idle")),
	)
	if err != nil {
		t.Fatalf("no warning: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(`#signin`)); err != nil {
		t.Fatalf("not signed out: %v", err)
	}
	err = chromedp.Do(ctx,
		// Signed in again, the draft is where it was.
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(item),
		clickLive(item),
		valueIs(draft),
	)
	if err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + " | " + (document.getElementById('reply-text')?.value ?? "no reply box")`))
		t.Fatalf("%v; draft %q; page %q", err, draft, msg)
	}
}

// TestSessionEndSaysWhy: when a sign-in ended (an hour idle, or its
// 12-hour cap) the page went back to the sign-in form without a word. The
// form now says why, and the draft is still there after signing in again.
func TestSessionEndSaysWhy(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []web.Option
		want i18n.Key
	}{
		{"idle", []web.Option{web.WithSessionIdle(4 * time.Second), web.WithSessionWarn(2 * time.Second), web.WithSessionTTL(time.Hour)},
			"deskpage.ended_idle"},
		{"cap", []web.Option{web.WithSessionIdle(time.Hour), web.WithSessionWarn(2 * time.Second), web.WithSessionTTL(5 * time.Second)},
			"deskpage.ended_cap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.opts...)
			ctx := browser(t)
			chat := "fin" + tc.name
			e.takenBy(t, "ana", chat)
			item := `#active li[data-chat="rest:` + chat + `"]`
			err := chromedp.Do(ctx,
				signInPage(e.srv.URL, "ana"),
				chromedp.WaitVisible(item),
				clickLive(item),
				chromedp.WaitVisible(`#reply-text`),
				chromedp.SendKeys(`#reply-text`, "Te escribo"),
				chromedp.WaitVisible(`#signin`),
				textIn(`main`, es(t, tc.want)),
			)
			if err != nil {
				msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
				t.Fatalf("%v; page says %q", err, msg)
			}
			err = chromedp.Do(ctx,
				signInPage(e.srv.URL, "ana"),
				chromedp.WaitVisible(item),
				clickLive(item),
				valueIs("Te escribo"),
			)
			if err != nil {
				t.Fatalf("draft lost: %v", err)
			}
		})
	}
}
