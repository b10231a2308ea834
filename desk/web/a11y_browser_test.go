package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestDeskByKeyboardAndScreenReader: the queue's chats were list items
// with click handlers, which neither Tab nor Enter reached; the canned
// answers and the reply box had no label; nothing told a screen reader
// that a message arrived (found by a probe). A chat is a button reached
// by Tab and opened by Enter, and stays focused when the list is drawn
// again; the controls have labels; the transcript is a polite log, to
// which what arrives is added.
func TestDeskByKeyboardAndScreenReader(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	e.say(t, "teclado", "hablar con una persona")
	item := `#queue li[data-chat="rest:teclado"]`
	if err := chromedp.Do(ctx, signInPage(e.srv.URL, "ana"), chromedp.WaitVisible(item)); err != nil {
		t.Fatal(err)
	}
	// Tab from the top of the page to the chat.
	var at string
	for range 40 {
		if err := chromedp.Do(ctx,
			chromedp.KeyEvent(kb.Tab),
			into(&at, chromedp.Evaluate[string](`document.activeElement?.closest("li[data-chat]")?.dataset.chat ?? ""`)),
		); err != nil {
			t.Fatal(err)
		}
		if at == "rest:teclado" {
			break
		}
	}
	if at != "rest:teclado" {
		t.Fatal("Tab never reaches the chat in the queue")
	}
	// Another chat arrives: the queue is drawn again, the focus stays.
	e.say(t, "otro", "hablar con una persona")
	var labels, live string
	err := chromedp.Do(ctx,
		chromedp.WaitVisible(`#queue li[data-chat="rest:otro"]`),
		chromedp.Poll[chromedp.Void](`document.activeElement?.closest("li[data-chat]")?.dataset.chat === "rest:teclado"`, chromedp.WithPollingInterval(50*time.Millisecond)),
		chromedp.KeyEvent(kb.Enter),
		textIn(`#chat-id`, "rest:teclado"),
		chromedp.WaitVisible(`#take`),
		chromedp.Click(`#take`),
		chromedp.WaitVisible(`#reply-text`),
		into(&labels, chromedp.Evaluate[string](`["canned", "reply-text"].map((id) => [...document.getElementById(id).labels].map((l) => l.textContent.trim()).join("")).join("|")`)),
		into(&live, chromedp.Evaluate[string](`(() => { const m = document.getElementById("messages"); window.__first = m.firstElementChild; return m.getAttribute("role") + " " + m.getAttribute("aria-live"); })()`)),
	)
	if err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.activeElement?.outerHTML ?? "") + " | " + document.getElementById("chat-id").innerText`))
		t.Fatalf("%v; page %q", err, msg)
	}
	for _, l := range strings.Split(labels, "|") {
		if l == "" {
			t.Errorf("a reply control has no label: %q", labels)
		}
	}
	if live != "log polite" {
		t.Errorf("the transcript is %q, want a polite log", live)
	}
	// What arrives is added to the log, not the log drawn again.
	e.say(t, "teclado", "¿me escuchan?")
	err = chromedp.Do(ctx,
		textIn(`#messages`, "¿me escuchan?"),
		chromedp.Poll[chromedp.Void](`document.getElementById("messages").firstElementChild === window.__first`),
	)
	if err != nil {
		t.Fatalf("the transcript was drawn anew for a new message: %v", err)
	}
}
