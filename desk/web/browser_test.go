package web_test

import (
	"github.com/clavebot/clavebot/internal/testenv"

	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/web"
)

const chromium = "/usr/bin/chromium"

// browser starts Debian's chromium, headless, with a fresh profile, and
// the extra options.
func browser(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		testenv.Unreachable(t, "chromium", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 900),
	}
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	// The deadline only keeps a broken test from hanging.
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancel(); cancelAlloc() })
	return ctx
}

// textIn waits until the element's text contains want.
func textIn(sel, want string) chromedp.Action[chromedp.Void] {
	js := `(document.querySelector(` + quote(sel) + `)?.innerText || "").includes(` + quote(want) + `)`
	return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(50*time.Millisecond))
}

// clickLive clicks the first element sel matches as the page has it at
// that moment, once it is shown (wait for the page first: a navigation
// ends the poll). The lists the page redraws on every event
// can replace a node between chromedp's query and its mouse click ("Could
// not find node with given id"); a click from within the page cannot miss.
func clickLive(sel string) chromedp.Action[chromedp.Void] {
	js := `(() => { const e = document.querySelector(` + quote(sel) + `); if (!e || !e.offsetParent) return false; e.click(); return true; })()`
	return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(50*time.Millisecond))
}

// signInPage opens the desk at the server's url and signs agent in (with the
// test's password).
func signInPage(url, agent string) chromedp.Action[chromedp.Void] {
	return steps(
		chromedp.Navigate(url+"/desk/"),
		chromedp.WaitVisible(`#name`),
		chromedp.SendKeys(`#name`, agent),
		chromedp.SendKeys(`#password`, agentPassword),
		chromedp.Click(`#signin`),
	)
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// waitPushed polls the person's REST mailbox until a message contains want.
func (e *env) waitPushed(t *testing.T, chat, want string) []restReply {
	t.Helper()
	var all []restReply
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		all = append(all, e.pushed(t, chat)...)
		for _, r := range all {
			if strings.Contains(r.Text, want) {
				return all
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the person never got %q; got %+v", want, all)
	return nil
}

func TestDeskInBrowser(t *testing.T) {
	// The WhatsApp device waits to be linked: its QR code shows on the page.
	e := newEnv(t, web.WithPairing(&pairing{p: desk.Pairing{QR: "2@browser-test-qr"}}))
	e.makeSupervisor(t, "ana") // linking WhatsApp is a supervisor's
	ctx := browser(t)
	const person = "p1"
	e.say(t, person, "hola")
	rs := e.say(t, person, "hablar con una persona")
	if len(rs) == 0 || !strings.Contains(rs[len(rs)-1].Text, "lugar 1") {
		t.Fatalf("hand-over replies: %+v", rs)
	}
	// A day of the create funnel, so the chart is drawn.
	day := time.Now().In(desk.Location(desk.DefaultZone)).Format(time.DateOnly)
	var counts []desk.FunnelCount
	for i, stage := range []string{"start", "cuil", "first_names", "last_names", "birth_date", "dni", "question", "validated", "new_key", "confirm_key", "done"} {
		counts = append(counts, desk.FunnelCount{Day: day, Flow: "create", Stage: stage, N: 40 - 3*i})
	}
	if err := e.store.AddFunnel(context.Background(), counts); err != nil {
		t.Fatal(err)
	}
	item := `#queue li[data-chat="rest:p1"]`
	err := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(`#funnels svg rect`),
		chromedp.WaitVisible(`#wa-qr`),
		chromedp.WaitVisible(item),
		clickLive(item),
		textIn(`#messages`, "hablar con una persona"),
		chromedp.Click(`#take`),
		chromedp.WaitVisible(`#reply-text`),
		chromedp.SendKeys(`#reply-text`, "Hola, soy Ana. ¿En qué te ayudo?"),
		chromedp.Click(`#send`),
		textIn(`#messages`, "soy Ana"),
	)
	if err != nil {
		t.Fatal(err)
	}
	got := e.waitPushed(t, person, "soy Ana")
	if !strings.Contains(got[0].Text, "ana, de la mesa de ayuda, tomó tu consulta") {
		t.Errorf("the person was not told an agent took the chat first: %+v", got)
	}
	if rs := e.say(t, person, "No me llega el mail de validación"); len(rs) != 0 {
		t.Errorf("while talking to an agent the bot answered: %+v", rs)
	}
	if _, msgs, _ := e.desk.Chat(context.Background(), desk.Agent{Name: "ana"}, "rest:p1"); len(msgs) == 0 || !strings.Contains(msgs[len(msgs)-1].Text, "No me llega") {
		t.Fatalf("the desk did not get the person's message: %+v", msgs)
	}
	var shot []byte
	err = chromedp.Do(ctx,
		textIn(`#messages`, "No me llega el mail"), // arrives live, by server-sent events
		into(&shot, chromedp.CaptureScreenshot()),
		chromedp.Click(`#close`),
		textIn(`#empty`, es(t, "deskpage.closed")),
	)
	if err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('chat-error').innerText + "|" + document.getElementById('empty').innerText`))
		t.Fatalf("%v; page says %q", err, msg)
	}
	png := filepath.Join(t.TempDir(), "desk.png")
	if dir := os.Getenv("CLAVEBOT_SCREENSHOT_DIR"); dir != "" {
		png = filepath.Join(dir, "desk.png")
	}
	if err := os.WriteFile(png, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	e.waitPushed(t, person, "¿Te sirvió la ayuda que recibiste?")
	e.say(t, person, "1")
	assertRecorded(t, e)
}

func assertRecorded(t *testing.T, e *env) {
	t.Helper()
	var id string
	if err := e.store.DBX().Get(&id, `SELECT id FROM desk_conversations WHERE chat = 'rest:p1'`); err != nil {
		t.Fatal(err)
	}
	r, err := e.store.Conversation(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Agent == nil || *r.Agent != "ana" || r.Outcome == nil || *r.Outcome != "resolved" || r.Rating == nil || *r.Rating != 1 {
		t.Fatalf("record = %+v", r)
	}
	var texts []string
	for _, m := range r.Messages {
		texts = append(texts, m.From+": "+m.Text)
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"person: hablar con una persona", "agent: Hola, soy Ana", "person: No me llega el mail"} {
		if !strings.Contains(all, want) {
			t.Errorf("record lacks %q:\n%s", want, all)
		}
	}
}

// into runs a and keeps its value in dst, so it can be one of Do's steps.
func into[T any](dst *T, a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		v, err := a(ctx, t)
		*dst = v
		return chromedp.Void{}, err
	}
}

// TestTakenOverChatSaysSo: the agent whose chat a supervisor took over
// read "Conversación cerrada." (found by a probe): the chat goes on, with
// someone else, and the page says so.
func TestTakenOverChatSaysSo(t *testing.T) {
	e := newEnv(t)
	ctx := browser(t)
	const person = "p2"
	e.say(t, person, "hola")
	e.say(t, person, "hablar con una persona")
	item := `#queue li[data-chat="rest:p2"]`
	err := chromedp.Do(ctx,
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(item),
		clickLive(item),
		chromedp.Click(`#take`),
		textIn(`#chat-status`, es(t, "deskpage.status.active", "agent", "ana")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.desk.TakeOver(context.Background(), desk.Agent{Name: "sara", Role: desk.RoleSupervisor}, "rest:p2"); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, textIn(`#empty`, es(t, "deskpage.taken_over"))); err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('empty').innerText`))
		t.Fatalf("%v; page says %q", err, msg)
	}
}
