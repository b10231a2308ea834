package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// valueIs waits until the reply box holds want.
func valueIs(want string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`document.getElementById('reply-text').value === `+quote(want), chromedp.WithPollingInterval(50*time.Millisecond))
}

// takenBy hands each person's chat to the desk and gives it to agent.
func (e *env) takenBy(t *testing.T, agent string, people ...string) {
	t.Helper()
	for _, p := range people {
		e.say(t, p, "hablar con una persona")
		if _, err := e.desk.Take(context.Background(), agent, "rest:"+p); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDraftStaysWithItsChat: the reply box kept its text when the agent
// moved to another chat, and a reply with one person's data went to
// another (found by a probe). Each chat keeps its own draft, shown again
// when the agent comes back; a chat that closes under a half-typed reply
// takes its draft with it, and says it was not sent.
func TestDraftStaysWithItsChat(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	e.takenBy(t, "ana", "lucia", "ramon", "nestor")
	const forLucia = "Lucía, tu DNI 35.218.904 figura con otra dirección"
	lucia, ramon, nestor := `#active li[data-chat="rest:lucia"]`, `#active li[data-chat="rest:ramon"]`, `#active li[data-chat="rest:nestor"]`
	err := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(lucia),
		clickLive(lucia),
		textIn(`#chat-id`, "rest:lucia"),
		chromedp.WaitVisible(`#reply-text`),
		chromedp.SendKeys(`#reply-text`, forLucia),
		clickLive(ramon),
		textIn(`#chat-id`, "rest:ramon"),
		valueIs(""),
		chromedp.SendKeys(`#reply-text`, "Hola Ramón"),
		chromedp.Click(`#send`),
		textIn(`#messages`, "Hola Ramón"),
		valueIs(""),
		clickLive(lucia),
		textIn(`#chat-id`, "rest:lucia"),
		valueIs(forLucia),
		clickLive(nestor),
		textIn(`#chat-id`, "rest:nestor"),
		chromedp.SendKeys(`#reply-text`, "Néstor, tu trámite"),
	)
	if err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('chat-id').innerText + " | " + document.getElementById('reply-text').value`))
		t.Fatalf("%v; page %q", err, msg)
	}
	for _, r := range e.waitPushed(t, "ramon", "Hola Ramón") {
		if strings.Contains(r.Text, "DNI") {
			t.Fatalf("Ramón got Lucía's draft: %q", r.Text)
		}
	}
	// Néstor leaves while the agent types to him: the draft goes with
	// the chat, and is not waiting in the box for the next one.
	e.say(t, "nestor", "cancelar")
	err = chromedp.Do(ctx,
		textIn(`#empty`, es(t, "deskpage.unsent")),
		clickLive(ramon),
		textIn(`#chat-id`, "rest:ramon"),
		valueIs(""),
	)
	if err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('empty').innerText + " | " + document.getElementById('reply-text').value`))
		t.Fatalf("%v; page %q", err, msg)
	}
}

// agentLines counts the agent's messages on the page that say text.
func agentLines(text string, n int) chromedp.Action[chromedp.Void] {
	js := `[...document.querySelectorAll('#messages li.agent')].filter((li) => li.innerText.includes(` + quote(text) + `)).length === ` + strconv.Itoa(n)
	return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(50*time.Millisecond))
}

// TestSameReplyTwiceIsSentTwice: "Perfecto" sent again later in the chat
// was dropped without a word, its id reused because the text was the
// last one's (found by a probe). Each send is a new reply; only a send
// retried after it failed or got no answer keeps its id, and is not
// doubled.
func TestSameReplyTwiceIsSentTwice(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	e.takenBy(t, "ana", "twice")
	item := `#active li[data-chat="rest:twice"]`
	send := func(text string) chromedp.Action[chromedp.Void] {
		return steps(chromedp.SendKeys(`#reply-text`, text), chromedp.Click(`#send`))
	}
	// The page's first send of "¿Algo más?" reaches the server, but the
	// page hears nothing back.
	const lose = `(() => { const f = window.fetch; let lost = false; window.fetch = async (u, o) => {
		const r = await f(u, o);
		if (!lost && String(u).endsWith("/reply") && o.body.includes("Algo más")) { lost = true; throw new TypeError("network"); }
		return r; }; return true; })()`
	err := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(item),
		clickLive(item),
		chromedp.WaitVisible(`#reply-text`),
		send("Perfecto"),
		agentLines("Perfecto", 1),
		valueIs(""),
		send("Perfecto"),
		agentLines("Perfecto", 2),
		chromedp.Poll[chromedp.Void](lose),
		send("¿Algo más?"),
		chromedp.WaitVisible(`#chat-error`),
		valueIs("¿Algo más?"),
		// The lost send went out: its line comes with its event. Clicked
		// before it is drawn, the line pushed the form down under the
		// click, which landed beside the button (a CI run, once).
		agentLines("¿Algo más?", 1),
		chromedp.Click(`#send`),
		valueIs(""),
		agentLines("¿Algo más?", 1),
	)
	if err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('messages').innerText + " | " + document.getElementById('chat-error').innerText`))
		t.Fatalf("%v; page %q", err, msg)
	}
	n := map[string]int{}
	for _, r := range e.waitPushed(t, "twice", "¿Algo más?") {
		for _, w := range []string{"Perfecto", "¿Algo más?"} {
			if strings.Contains(r.Text, w) {
				n[w]++
			}
		}
	}
	if n["Perfecto"] != 2 || n["¿Algo más?"] != 1 {
		t.Fatalf("the person got %v; want Perfecto twice, the retried reply once", n)
	}
}
