package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDeskShowsMarkupAsText is issue 8's attack on the agents: a person
// chooses their chat id (the REST chat's, shown as who they are), types
// HTML as their name and as messages, before and after the hand-over. The
// agent's page, in Chromium, shows each as text: no element is made of
// it, no script runs.
func TestDeskShowsMarkupAsText(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	const (
		person = `<img src=x onerror="window.__xss='chat'">`
		name   = `<img src=x onerror="window.__xss='name'">`
		script = `<script>window.__xss='script'</script>`
		live   = `<b onmouseover="window.__xss='live'">mirá</b><svg onload="window.__xss='svg'">`
	)
	for _, text := range []string{"hola", "1", "20-40111222-8", name, "cancelar", script, "hablar con una persona"} {
		e.say(t, person, text)
	}
	err := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(`#queue li`),
		textIn(`#queue`, person),
		clickLive(`#queue li`),
		textIn(`#messages`, script),
		textIn(`#messages`, name),
		textIn(`#chat-id`, person),
		chromedp.Click(`#take`),
		chromedp.WaitVisible(`#reply-text`),
	)
	if err != nil {
		t.Fatal(err)
	}
	e.say(t, person, live) // arrives live, by server-sent events
	var ran string
	var made int
	err = chromedp.Do(ctx,
		textIn(`#messages`, "mirá</b>"),
		into(&ran, chromedp.Evaluate[string](`String(window.__xss ?? "")`)),
		into(&made, chromedp.Evaluate[int](`document.querySelectorAll("#queue img, #active img, #messages img, #messages script, #messages b, #messages svg, #chat img").length`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if ran != "" || made != 0 {
		t.Fatalf("the person's markup ran (%q) or made %d elements on the agent's page", ran, made)
	}
	var shown string
	if err := chromedp.Do(ctx, into(&shown, chromedp.Evaluate[string](`document.getElementById("messages").innerText`))); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{name, script, live} {
		if !strings.Contains(shown, want) {
			t.Errorf("the agent does not read %q as written:\n%s", want, shown)
		}
	}
}
