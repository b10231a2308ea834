package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestRefusalStaysWithItsChat: a refusal the page showed under one chat
// (a reply too long, a take refused) stayed under the next chat the agent
// opened, where it read as that chat's («Otra persona del equipo ya tomó
// esta conversación.» under a chat nobody had); found by a desk probe.
// Moving to another chat clears it.
func TestRefusalStaysWithItsChat(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	e.takenBy(t, "ana", "uno", "dos")
	uno, dos := `#active li[data-chat="rest:uno"]`, `#active li[data-chat="rest:dos"]`
	var hidden bool
	err := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(uno),
		clickLive(uno),
		textIn(`#chat-id`, "rest:uno"),
		chromedp.WaitVisible(`#reply-text`),
		chromedp.Poll[chromedp.Void](`(document.getElementById("reply-text").value = "a".repeat(2001), true)`),
		chromedp.Click(`#send`),
		textIn(`#chat-error`, es(t, "deskpage.refused.reply_length", "max", 2000)),
		clickLive(dos),
		textIn(`#chat-id`, "rest:dos"),
		into(&hidden, chromedp.Evaluate[bool](`document.getElementById("chat-error").hidden`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !hidden {
		t.Error("the refusal of a reply to rest:uno still shows under rest:dos")
	}
}
