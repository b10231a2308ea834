package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/clavebot/clavebot/desk"
)

// TestChatAnotherAgentTookIsNotClosed: ana reads a chat in the line;
// beto takes it, and ana's page said «Conversación cerrada.» (as it did
// loaded again, a reload or the sign-in after her session ended opening
// the chat it had open): the person still talks with the desk, with
// beto (found by a desk probe). The page says another person of the desk
// took it.
func TestChatAnotherAgentTookIsNotClosed(t *testing.T) {
	e := newEnv(t)
	if err := e.acc.Add(context.Background(), "beto", agentPassword, desk.RoleAgent); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	e.say(t, "took1", "hablar con una persona")
	item := `#queue li[data-chat="rest:took1"]`
	err := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(item),
		clickLive(item),
		textIn(`#chat-status`, "en la fila"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.desk.Take(context.Background(), "beto", "rest:took1"); err != nil {
		t.Fatal(err)
	}
	// The take is told to every page that could read the chat: ana's
	// asks for it again.
	if err := chromedp.Do(ctx, textIn(`#empty`, es(t, "deskpage.taken_by_other"))); err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('empty').innerText + " | kept=" + JSON.stringify(sessionStorage) + " | url=" + location.href + " | chat.hidden=" + document.getElementById('chat').hidden + " | status=" + document.getElementById('chat-status').innerText`))
		t.Fatalf("%v; the page says %q", err, msg)
	}
}
