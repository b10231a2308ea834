package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud"
)

// TestHeldWithNoTemplateIsListed: with no template configured
// (CLAVEBOT_WHATSAPP_TEMPLATE empty), ana's reply a day after the
// person's last message waits, held, and nothing asks the person to
// write. The desk's "No entregados" did not list it (only a template that
// failed did), so ana believed it on its way. It is listed now, held,
// saying that no template is configured, that whoever runs the bot sets
// one, and that it goes out if the person writes; it has no "Reintentar".
// When the person writes, it goes out once and leaves the list.
func TestHeldWithNoTemplateIsListed(t *testing.T) {
	e := newCloudEnv(t, func(c *cloud.Config) { c.Template = "" })
	ctx := context.Background()
	chat := "whatsapp:" + person
	e.g.Text(person, "hola")
	e.g.Text(person, "hablar con una persona")
	e.lastSent(t, "lugar 1")
	if _, err := e.desk.Take(ctx, "ana", chat); err != nil {
		t.Fatal(err)
	}
	e.lastSent(t, "tomó tu consulta")
	e.clk.add(25 * time.Hour)
	const reply = "Buen día, ya revisé tu caso"
	if err := e.desk.Reply(ctx, "ana", chat, reply); err != nil {
		t.Fatal(err)
	}
	ana := clientAt(t, e.srv.URL)
	csrf := ana.signIn("ana", agentPassword)
	list := waitUndelivered(t, ana, func(l []bot.DeadLetter) bool { return len(l) > 0 })
	if len(list) != 1 || !list[0].Held || list[0].Code != "no_template" || !strings.HasSuffix(list[0].Text, reply) {
		t.Fatalf("ana sees %+v, want her reply, held for want of a template", list)
	}
	ref := map[string]string{"chat": list[0].Chat, "key": list[0].Key}
	if status := ana.postJSON("/desk/api/undelivered/resend", csrf, ref); status != http.StatusConflict {
		t.Errorf("a held reply sent again: %d, want 409", status)
	}
	b := browser(t)
	var buttons string
	err := chromedp.Do(b,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(`#undelivered-list li.held`),
		textIn(`#undelivered-list`, reply),
		textIn(`#undelivered-list`, es(t, "deskpage.held_no_template")),
		into(&buttons, chromedp.Evaluate[string](`document.querySelector('#undelivered-list li.held .actions').innerText`)),
	)
	if err != nil {
		msg, _ := chromedp.Run(b, chromedp.Evaluate[string](`document.getElementById('undelivered-list').innerText`))
		t.Fatalf("%v; the list says %q", err, msg)
	}
	if strings.Contains(buttons, es(t, "deskpage.retry")) {
		t.Errorf("a held reply offers %q", buttons)
	}
	e.g.Text(person, "hola de nuevo")
	e.lastSent(t, reply)
	if l := waitUndelivered(t, ana, func(l []bot.DeadLetter) bool { return len(l) == 0 }); len(l) != 0 {
		t.Fatalf("after the person wrote, ana sees %+v", l)
	}
	n := 0
	for _, text := range e.g.Texts(person) {
		if strings.HasSuffix(text, reply) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("Meta took the reply %d times: %q", n, e.g.Texts(person))
	}
}
