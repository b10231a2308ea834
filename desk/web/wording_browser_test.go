package web_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/clavebot/clavebot/dialog/convo"
)

// TestDeskSpeaksSpanish: the page showed the engine's names for why a
// chat came ("Motivo: handoff", "stuck", "locked") and the server's
// errors in English ("desk reply: a reply has 1 to 2000 characters",
// "desk take: the conversation is beto's"); after a reload the open chat
// was closed (found by a probe). Reasons have labels, refusals are named
// for the page to say in Spanish, the reply box stops at the longest
// reply, and the open chat comes back after a reload.
func TestDeskSpeaksSpanish(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for chat, reason := range map[string]string{"rest:r1": "handoff", "rest:r2": "stuck", "rest:r3": "locked"} {
		if _, err := e.handoffs.Enqueue(ctx, convo.Handoff{Chat: chat, Channel: "rest", Reason: reason}); err != nil {
			t.Fatal(err)
		}
	}
	// Another agent's take, refused by name.
	if _, err := e.desk.Take(ctx, "beto", "rest:r3"); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, e)
	csrf := c.signIn("ana", agentPassword)
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/desk/api/chats/rest:r3/take", nil)
	req.Header.Set("X-CSRF-Token", csrf)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body.String(), `"code":"taken"`) {
		t.Errorf("ana's take of beto's chat: %d %s, want 409 named taken", resp.StatusCode, body.String())
	}

	bctx := browser(t)
	item := `#queue li[data-chat="rest:r1"]`
	var queue, maxLen, shown string
	var cut, kept int
	err = chromedp.Do(bctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(item),
		textIn(`#queue`, es(t, "deskpage.reason.stuck")),
		into(&queue, chromedp.Evaluate[string](`document.getElementById("queue").innerText`)),
		clickLive(item),
		textIn(`#chat-reason`, es(t, "deskpage.reason.not_understood")),
		chromedp.Click(`#take`),
		chromedp.WaitVisible(`#reply-text`),
		into(&maxLen, chromedp.Evaluate[string](`document.getElementById("reply-text").dataset.max`)),
		into(&cut, chromedp.Evaluate[int](`document.getElementById("reply-text").maxLength`)),
		// Pasted past the limit: refused whole, never cut and sent (a
		// regression probe: maxlength cut a pasted reply at 2,000 and
		// sent the rest without a word).
		chromedp.Poll[chromedp.Void](`(document.getElementById("reply-text").value = "a".repeat(2001), true)`),
		chromedp.Click(`#send`),
		chromedp.WaitVisible(`#chat-error`),
		into(&shown, chromedp.Evaluate[string](`document.getElementById("chat-error").innerText`)),
		into(&kept, chromedp.Evaluate[int](`document.getElementById("reply-text").value.length`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{"handoff", "stuck", "locked"} {
		if strings.Contains(queue, raw) {
			t.Errorf("the queue shows the reason %q raw:\n%s", raw, queue)
		}
	}
	if maxLen != "2000" || cut != -1 {
		t.Errorf("the reply box says %s characters and cuts at %d; want 2000, and no cut", maxLen, cut)
	}
	if kept != 2001 {
		t.Errorf("the refused reply left %d characters in the box, want the 2001 typed", kept)
	}
	if shown != es(t, "deskpage.refused.reply_length", "max", 2000) {
		t.Errorf("the page says %q", shown)
	}
	// A reload opens the chat again.
	err = chromedp.Do(bctx,
		chromedp.Reload(),
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(bctx, textIn(`#chat-id`, "rest:r1")); err != nil {
		msg, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.getElementById("empty").innerText`))
		t.Fatalf("after a reload the chat is not open: %v; page %q", err, msg)
	}
}
