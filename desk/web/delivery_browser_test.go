package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/desk/sqldesk"
	"github.com/clavebot/clavebot/desk/web"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

// cloudEnv is clavebot serving WhatsApp Cloud (against the fake Graph
// API) and the desk, with the outbox in the test Redis.
type cloudEnv struct {
	srv      *httptest.Server
	g        *graphtest.Server
	desk     *desk.Desk
	handoffs *desk.Handoffs
	relay    *relay.Relay
	clk      *clock
	store    *sqldesk.DB
	q        *redisdesk.Queue
	acc      *desk.Accounts
}

// newCloudEnv builds the env; opts change the WhatsApp Cloud channel's
// configuration (the template "aviso_mesa" unless they say otherwise).
func newCloudEnv(t *testing.T, opts ...func(*cloud.Config)) *cloudEnv {
	t.Helper()
	ctx := context.Background()
	rdb, prefix := testRedis(t)
	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "r.db"), discard,
		sqlstore.WithMigrations(sqldesk.SetName, sqldesk.Migrations()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	hasher := registry.NewHasher(cheap, 2)
	reg := registry.NewService(db, hasher, registry.DefaultPolicy(), 42, registry.WithLogger(discard))
	store := sqldesk.New(db.DB())
	q := redisdesk.New(rdb, prefix)
	e := &cloudEnv{clk: &clock{t: time.Now()}, store: store, q: q}

	e.g = graphtest.New()
	t.Cleanup(e.g.Close)
	e.g.Now = e.clk.now
	e.g.Approve("aviso_mesa", "es_AR")

	local := bot.NewLocal(discard, bot.WithQuestions(relay.NewQuestions(rdb, prefix)))
	stops := desk.NewStops()
	e.relay = relay.New(rdb, prefix, local, discard, relay.WithClock(e.clk.now), relay.WithSweep(50*time.Millisecond),
		relay.WithRetries(3, 10*time.Millisecond, 50*time.Millisecond),
		relay.WithOnChange(func(ctx context.Context, chat string) { q.Publish(ctx, desk.Event{Kind: "delivery", Chat: chat}) }),
		relay.WithOnStop(stops.Report))
	out := bot.NewOutbox(cat.Printer(i18n.ES), local, bot.WithQueue(e.relay))
	handoffs := desk.NewHandoffs(desk.Config{Printer: cat.Printer(i18n.ES)}, q, store, out)
	eng := dialog.New(redisstore.New(rdb, redisstore.WithPrefix(prefix)), reg, cat, dialog.WithDesk(handoffs))
	b := bot.New(eng, cat.Printer(i18n.ES), discard, bot.WithOutbox(out))
	cfg := cloud.Config{PhoneNumberID: e.g.PhoneNumberID, AccessToken: e.g.Token, AppSecret: e.g.AppSecret,
		VerifyToken: "v", APIURL: e.g.URL, Template: "aviso_mesa", Receipts: e.relay}
	for _, o := range opts {
		o(&cfg)
	}
	wa, err := cloud.New(cfg, b, discard)
	if err != nil {
		t.Fatal(err)
	}
	local.Register(wa)
	e.desk, e.handoffs = desk.New(handoffs, eng), handoffs

	acc, err := desk.NewAccounts(ctx, store, hasher)
	if err != nil {
		t.Fatal(err)
	}
	if err := acc.Add(ctx, "ana", agentPassword, desk.RoleAgent); err != nil {
		t.Fatal(err)
	}
	e.acc = acc
	h, err := web.New(e.desk, acc, redisdesk.NewSessions(rdb, prefix), redisdesk.NewLimiter(rdb, prefix), store, q,
		web.WithCanned(cat, i18n.ES), web.WithDelivery(e.relay))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/whatsapp/webhook", wa)
	h.Register(mux)
	rctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); h.Run(rctx) }()
	go func() { defer wg.Done(); e.relay.Run(rctx) }()
	go func() { defer wg.Done(); stops.Run(rctx, handoffs) }()
	e.srv = httptest.NewServer(mux)
	e.g.SetWebhook(e.srv.URL + "/whatsapp/webhook")
	t.Cleanup(func() { e.srv.Close(); cancel(); wg.Wait(); wa.Close() })
	return e
}

const person = "5491155550000"

// lastSent is the bot's last message to the person as Meta took it.
func (e *cloudEnv) lastSent(t *testing.T, text string) graphtest.Message {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range e.g.Sent(person) {
			if strings.Contains(m.Text, text) {
				return m
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("Meta never took %q; took %q", text, e.g.Texts(person))
	return graphtest.Message{}
}

func TestDeskShowsWhatBecameOfEachMessage(t *testing.T) {
	e := newCloudEnv(t)
	ctx := browser(t)
	e.g.Text(person, "hola")
	e.g.Text(person, "hablar con una persona")
	chat := "whatsapp:" + person
	item := `#queue li[data-chat^="whatsapp:"]`
	reply := func(text string) chromedp.Action[chromedp.Void] {
		return steps(
			chromedp.SendKeys(`#reply-text`, text),
			chromedp.Click(`#send`),
			textIn(`#messages`, text),
		)
	}
	// The agent's first message: sent, then delivered, then read.
	err := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(item),
		clickLive(item),
		textIn(`#chat-id`, "whatsapp:+54 9 11 ****-0000"), // the number masked
		chromedp.Click(`#take`),
		chromedp.WaitVisible(`#reply-text`),
		reply("Hola, soy Ana"),
		textIn(`#messages li.agent .delivery.delivered`, es(t, "deskpage.state.delivered")),
	)
	if err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...['chat-status', 'chat-error', 'empty', 'messages']].map((id) => id + "=" + document.getElementById(id).innerText).join(" | ") +
			" take.hidden=" + document.getElementById('take').hidden + " form.hidden=" + document.getElementById('reply-form').hidden + " typed=" + document.getElementById('reply-text').value`))
		t.Fatalf("%v; page %q", err, msg)
	}
	if err := e.g.Read(e.lastSent(t, "Hola, soy Ana").ID); err != nil {
		t.Fatal(err)
	}
	// The second one Meta cannot deliver: the agent sees why. The failure
	// goes to the next message sent, so the notice that Ana took the chat
	// (which the reply form, shown by any event, may have overtaken) must
	// be out first.
	e.lastSent(t, "tomó tu consulta")
	e.g.FailNext(graphtest.Undeliverable)
	// The chat's API carries it too, for whatever else reads the desk.
	// Named as the page names it, by its reference (by its number it is
	// not found: TestWhatsAppChatNotFoundByItsNumber).
	api := `(window.__chat ??= fetch("/desk/api/chats/" + encodeURIComponent(document.querySelector('li[data-chat^="whatsapp:"]').dataset.chat)).then(r => r.json()).then(j => window.__json = j),
		!!window.__json && window.__json.messages.some(m => m.from === "agent" && m.delivery && m.delivery.state === "read"))`
	err = chromedp.Do(ctx,
		textIn(`#messages li.agent .delivery.read`, es(t, "deskpage.state.read")),
		chromedp.Poll[chromedp.Void](api, chromedp.WithPollingInterval(50*time.Millisecond)),
		reply("¿Seguís ahí?"),
		textIn(`#messages li.agent .delivery.failed`, es(t, "deskpage.state.failed")+" · "+es(t, "deskpage.why.no_whatsapp")),
		textIn(`#undelivered-list`, "¿Seguís ahí?"),
	)
	if err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('messages').innerHTML + "|" + document.getElementById('undelivered-list').innerText + "|" + JSON.stringify(window.__json)`))
		d, _ := e.relay.Delivery(context.Background(), chat)
		var calls []string
		for _, c := range e.g.Calls() {
			calls = append(calls, fmt.Sprint(c.Status, " ", c.Body["type"], " ", c.Body["text"]))
		}
		t.Fatalf("%v; page %q; delivery %+v; calls %q", err, msg, d, calls)
	}
	// A day later the window has closed: the text waits, the template goes.
	e.clk.add(25 * time.Hour)
	var shot []byte
	err = chromedp.Do(ctx,
		reply("Buen día, ya revisé tu caso"),
		textIn(`#messages li.agent .delivery.held`, es(t, "deskpage.state.held")),
		textIn(`#delivery-banner`, es(t, "deskpage.banner_window")),
		textIn(`#delivery-banner`, "«aviso_mesa»"),
		into(&shot, chromedp.CaptureScreenshot()),
	)
	if err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('messages').innerText + "|" + document.getElementById('delivery-banner').innerText`))
		t.Fatalf("%v; page says %q", err, msg)
	}
	saveShot(t, "desk-delivery.png", shot)
	if texts := e.g.Texts(person); texts[len(texts)-1] != "template:aviso_mesa" {
		t.Fatalf("Meta took %q, want the template last", texts)
	}
	// The person answers the template: the held message arrives, and the
	// page says so (the person's answer may be listed after it by then).
	e.g.QuickReply(person, e.g.Sent(person)[len(e.g.Sent(person))-1].ID, "ver", "Ver mensaje")
	err = chromedp.Do(ctx,
		deliveryOf("Buen día, ya revisé tu caso", es(t, "deskpage.state.delivered")),
		chromedp.Poll[chromedp.Void](`document.getElementById('delivery-banner').hidden`),
	)
	if err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('messages').innerHTML + "|" + document.getElementById('delivery-banner').outerHTML`))
		d, _ := e.relay.Delivery(context.Background(), chat)
		t.Fatalf("%v; page %q; delivery %+v; window %+v; meta took %q", err, msg, d, d.Window, e.g.Texts(person))
	}
	// The person blocks the bot: the conversation leaves the desk, with why.
	if err := e.handoffs.Stopped(context.Background(), chat, "the person blocked the bot"); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, textIn(`#empty`, es(t, "deskpage.closed_stopped"))); err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`"empty=" + document.getElementById('empty').outerHTML + " chat.hidden=" + document.getElementById('chat').hidden + " events=" + document.body.dataset.events + " live=" + document.body.dataset.live + " queue=" + document.getElementById('queue').innerText`))
		t.Fatalf("%v; page %q", err, msg)
	}
	var outcome string
	if err := e.store.DBX().Get(&outcome, `SELECT outcome FROM desk_conversations WHERE chat = ?`, chat); err != nil || outcome != desk.OutcomeStopped {
		t.Fatalf("recorded outcome %q (%v), want stopped", outcome, err)
	}
}

// TestClosedWhyShownWhenThePageFoundTheChatGoneFirst: a chat taken off the
// desk because the person blocked the bot is gone before the event saying
// why is published, so other events for the chat can make the page find it
// gone first, several times at once; the reason still shows when its
// event comes.
func TestClosedWhyShownWhenThePageFoundTheChatGoneFirst(t *testing.T) {
	e := newCloudEnv(t)
	ctx := browser(t)
	e.g.Text(person, "hola")
	e.g.Text(person, "hablar con una persona")
	chat := "whatsapp:" + person
	err := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(`#queue li[data-chat^="whatsapp:"]`),
		clickLive(`#queue li[data-chat^="whatsapp:"]`),
		chromedp.WaitVisible(`#take`),
	)
	if err != nil {
		t.Fatal(err)
	}
	bg := context.Background()
	// The events name the conversation, as the desk's do (and a
	// delivery's, looked up before the chat was gone).
	c, err := e.q.Remove(bg, chat)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := e.q.Publish(bg, desk.Event{Kind: "delivery", Chat: chat, Conv: c.ID}); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`document.getElementById('empty').innerText === 'Conversación cerrada.'`)); err != nil {
		t.Fatal(err)
	}
	if err := e.q.Publish(bg, desk.Event{Kind: "closed", Chat: chat, Reason: "the person blocked the bot", Conv: c.ID}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, textIn(`#empty`, es(t, "deskpage.closed_stopped"))); err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('empty').innerText`))
		t.Fatalf("%v; page says %q", err, msg)
	}
}

// deliveryOf waits until the agent's message with text shows want as
// what became of it.
func deliveryOf(text, want string) chromedp.Action[chromedp.Void] {
	js := `[...document.querySelectorAll('#messages li.agent')].some((li) => li.innerText.includes(` + quote(text) + `) &&
		(li.querySelector('.delivery')?.innerText || '').includes(` + quote(want) + `))`
	return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(50*time.Millisecond))
}

// steps runs actions in order, as one.
func steps(as ...chromedp.Action[chromedp.Void]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		for _, a := range as {
			if _, err := a(ctx, t); err != nil {
				return chromedp.Void{}, err
			}
		}
		return chromedp.Void{}, nil
	}
}

func saveShot(t *testing.T, name string, png []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if dir := os.Getenv("CLAVEBOT_SCREENSHOT_DIR"); dir != "" {
		path = filepath.Join(dir, name)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}
