package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestOpenChatShowsItsLatestMessage: an agent who opened a long chat saw
// it scrolled to its end, and then the page wrote under each of the
// agent's messages what became of it ("enviado", "entregado"), which
// pushed the end out of view: the person's last message, the one to
// answer, was hidden under the reply box (a desk probe with 300
// messages). What the page adds under the messages keeps the end in view.
func TestOpenChatShowsItsLatestMessage(t *testing.T) {
	e := newCloudEnv(t)
	ctx := browser(t)
	e.g.Text(person, "hola")
	e.g.Text(person, "hablar con una persona")
	chat := "whatsapp:" + person
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, _, err := e.q.Get(context.Background(), chat); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the person never reached the desk")
		}
	}
	if _, err := e.desk.Take(context.Background(), "ana", chat); err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		e.g.Text(person, fmt.Sprint("pregunta ", i))
		if err := e.desk.Reply(context.Background(), "ana", chat, fmt.Sprint("respuesta ", i, ", larga como las que escribe un agente que explica un trámite paso a paso")); err != nil {
			t.Fatal(err)
		}
	}
	e.lastSent(t, "respuesta 11")
	const last = "último mensaje de la persona"
	e.g.Text(person, last)
	item := `#active li[data-chat^="whatsapp:"]`
	err := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(item),
		clickLive(item),
		textIn(`#messages`, last),
		// Each of the agent's messages says what became of it.
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("#messages li.agent[data-id]").length >= 12 &&
			document.querySelectorAll("#messages li.agent[data-id] .delivery").length === document.querySelectorAll("#messages li.agent[data-id]").length`,
			chromedp.WithPollingInterval(50*time.Millisecond)),
	)
	if err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("messages").innerText`))
		t.Fatalf("%v; page %q", err, msg)
	}
	// The wait only gives the page time to redraw; with the end kept in
	// view, it is in view whatever the wait.
	time.Sleep(300 * time.Millisecond)
	inView := `(() => { const ol = document.getElementById("messages"), li = ol.lastElementChild;
		return ol.scrollHeight > ol.clientHeight + 200 && li.innerText.includes(` + quote(last) + `) &&
			li.getBoundingClientRect().bottom <= ol.getBoundingClientRect().bottom + 1 })()`
	seen, err := chromedp.Run(ctx, chromedp.Evaluate[bool](inView))
	if err != nil || !seen {
		pos, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const ol = document.getElementById("messages");
			return "scrollTop " + ol.scrollTop + " clientHeight " + ol.clientHeight + " scrollHeight " + ol.scrollHeight })()`))
		t.Fatalf("the person's last message is out of view (%v): %s", err, pos)
	}
}
