package web_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/chromedp/chromedp"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud"
)

// TestUndeliveredCutsWholeCharacters: the list of messages not delivered
// shows each one's first 140 characters, cut by UTF-16 units: an emoji
// at the cut was split in half and shown as «�», and nothing said the
// message went on (found by a desk probe). The cut keeps whole
// characters and ends in «…».
func TestUndeliveredCutsWholeCharacters(t *testing.T) {
	e := newCloudEnv(t, func(c *cloud.Config) { c.Template = "" })
	ctx := context.Background()
	chat := "whatsapp:" + person
	e.g.Text(person, "hablar con una persona")
	e.lastSent(t, "lugar 1")
	if _, err := e.desk.Take(ctx, "ana", chat); err != nil {
		t.Fatal(err)
	}
	e.lastSent(t, "tomó tu consulta")
	e.clk.add(25 * time.Hour) // held behind the closed window, listed
	// The list shows the message as the person gets it, "ana (mesa de
	// ayuda): " first: the emoji starts at its 140th UTF-16 unit.
	reply := strings.Repeat("Revisé tu caso. ", 7) + "Ya ok!" + "🙂 Cualquier cosa me escribís."
	if err := e.desk.Reply(ctx, "ana", chat, reply); err != nil {
		t.Fatal(err)
	}
	ana := clientAt(t, e.srv.URL)
	ana.signIn("ana", agentPassword)
	list := waitUndelivered(t, ana, func(l []bot.DeadLetter) bool { return len(l) > 0 })
	full := list[0].Text
	before, _, _ := strings.Cut(full, "🙂")
	if n := len(utf16.Encode([]rune(before))); n != 139 {
		t.Fatalf("the emoji is at UTF-16 unit %d of %q, want 139: the test no longer cuts it", n, full)
	}
	b := browser(t)
	var shown string
	err := chromedp.Do(b,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(`#undelivered-list li .text`),
		into(&shown, chromedp.Evaluate[string](`document.querySelector('#undelivered-list li .text').textContent`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if want := before + "🙂…"; shown != want {
		t.Errorf("the list shows %+q, want %+q", shown, want)
	}
}
