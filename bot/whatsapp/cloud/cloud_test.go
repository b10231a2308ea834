package cloud

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
	"github.com/clavebot/clavebot/bot/whatsapp/internal/wtest"
	"github.com/clavebot/clavebot/internal/errs"
)

const (
	verifyToken = "verify-me"
	alice       = "5491111111111"
)

type harness struct {
	c      *Cloud
	g      *graphtest.Server
	engine *wtest.Engine
	hook   *httptest.Server

	mu     sync.Mutex
	sleeps []time.Duration
}

func newHarness(t *testing.T, change ...func(*Config)) *harness {
	return newHarnessWith(t, []graphtest.ServerOption{graphtest.WithoutStatuses()}, change...)
}

// newHarnessWith is newHarness with the fake's options (statuses on when
// none).
func newHarnessWith(t *testing.T, gopts []graphtest.ServerOption, change ...func(*Config)) *harness {
	return newHarnessBot(t, gopts, nil, change...)
}

// newHarnessBot is newHarnessWith with the bot's options (its outbox).
func newHarnessBot(t *testing.T, gopts []graphtest.ServerOption, bopts []bot.Option, change ...func(*Config)) *harness {
	g := graphtest.New(gopts...)
	t.Cleanup(g.Close)
	h := &harness{g: g, engine: &wtest.Engine{}}
	cfg := Config{
		PhoneNumberID: g.PhoneNumberID, AccessToken: g.Token, AppSecret: g.AppSecret,
		VerifyToken: verifyToken, APIURL: g.URL + "/",
	}
	for _, f := range change {
		f(&cfg)
	}
	c, err := New(cfg, wtest.Bot(t, h.engine, bopts...), wtest.Quiet())
	if err != nil {
		t.Fatal(err)
	}
	c.retry.sleep = func(_ context.Context, d time.Duration) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.sleeps = append(h.sleeps, d)
		return nil
	}
	h.c = c
	h.hook = httptest.NewServer(c)
	t.Cleanup(h.hook.Close)
	g.SetWebhook(h.hook.URL)
	return h
}

func (h *harness) post(body []byte, signature string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/whatsapp/webhook", strings.NewReader(string(body)))
	if signature != "" {
		r.Header.Set("X-Hub-Signature-256", signature)
	}
	w := httptest.NewRecorder()
	h.c.ServeHTTP(w, r)
	return w
}

// say has alice write each text (her window opens), then waits for the
// turns.
func (h *harness) say(t *testing.T, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if _, code, err := h.g.Text(alice, s); err != nil || code != 200 {
			t.Fatalf("webhook answered %d, %v", code, err)
		}
	}
	h.c.Close()
}

// delivery is a signed webhook body of msgs to the harness's number.
func (h *harness) delivery(msgs ...map[string]any) []byte {
	return graphtest.Payload(h.g.PhoneNumberID, h.g.DisplayNumber, msgs, nil)
}

func textMsg(from, id, text string) map[string]any {
	return graphtest.TextMessage(from, id, text, time.Unix(1767225600, 0))
}

// sent is the bodies of the messages the bot sent (read receipts left out).
func (h *harness) sent() []map[string]any {
	var out []map[string]any
	for _, c := range h.g.Calls() {
		if c.Status == 200 && c.Body["status"] != "read" {
			out = append(out, c.Body)
		}
	}
	return out
}

func dig(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func TestVerifyHandshake(t *testing.T) {
	tests := []struct {
		name  string
		query url.Values
		code  int
		body  string
	}{
		{"right token", url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {verifyToken}, "hub.challenge": {"1158201444"}}, 200, "1158201444"},
		{"wrong token", url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"nope"}, "hub.challenge": {"1"}}, 403, ""},
		{"wrong mode", url.Values{"hub.mode": {"unsubscribe"}, "hub.verify_token": {verifyToken}, "hub.challenge": {"1"}}, 403, ""},
		{"nothing", url.Values{}, 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			defer h.c.Close()
			w := httptest.NewRecorder()
			h.c.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/whatsapp/webhook?"+tt.query.Encode(), nil))
			if w.Code != tt.code || (tt.body != "" && w.Body.String() != tt.body) {
				t.Fatalf("got %d %q, want %d %q", w.Code, w.Body.String(), tt.code, tt.body)
			}
		})
	}
}

func TestSignature(t *testing.T) {
	h0 := newHarness(t)
	body := h0.delivery(textMsg(alice, "wamid.1", "hola"))
	other := graphtest.Sign(h0.g.AppSecret, []byte("another body"))
	tests := []struct {
		name, sig string
		code      int
	}{
		{"missing", "", 401},
		{"of another body", other, 401},
		{"without prefix", strings.TrimPrefix(graphtest.Sign(h0.g.AppSecret, body), "sha256="), 401},
		{"not hex", "sha256=zz", 401},
		{"with another secret", graphtest.Sign("not-the-secret", body), 401},
		{"good", graphtest.Sign(h0.g.AppSecret, body), 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if w := h.post(body, tt.sig); w.Code != tt.code {
				t.Fatalf("answered %d, want %d", w.Code, tt.code)
			}
			h.c.Close()
			if handled := len(h.engine.Inbounds()) == 1; handled != (tt.code == 200) {
				t.Fatalf("engine handled it: %v", handled)
			}
		})
	}
}

func TestTextMessageIsAnswered(t *testing.T) {
	h := newHarness(t)
	h.say(t, "hola")
	got := h.engine.Inbounds()
	if len(got) != 1 || got[0].Chat != "whatsapp:"+alice || got[0].Text != "hola" || got[0].Channel != "whatsapp" || got[0].ID == "" {
		t.Fatalf("engine got %+v", got)
	}
	calls := h.g.Calls()
	if len(calls) != 2 {
		t.Fatalf("graph calls = %v, want read then reply", calls)
	}
	if calls[0].Body["status"] != "read" || calls[0].Body["message_id"] != got[0].ID || dig(calls[0].Body, "typing_indicator", "type") != "text" {
		t.Fatalf("first call %v, want read receipt with typing", calls[0].Body)
	}
	if b := calls[1].Body; b["type"] != "text" || b["to"] != alice || dig(b, "text", "body") != "echo hola" {
		t.Fatalf("reply %v", b)
	}
	if v := h.g.Versions(); v[DefaultGraphVersion] != 2 {
		t.Fatalf("versions used %v, want %s", v, DefaultGraphVersion)
	}
}

func TestGraphVersion(t *testing.T) {
	tests := []struct {
		name, api, version, want string
	}{
		{"default", "", "", DefaultGraphVersion},
		{"configured", "", "v26.0", "v26.0"},
		{"in the API URL, as before", "/v21.0", "", "v21.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.APIURL = strings.TrimRight(c.APIURL, "/") + tt.api; c.GraphVersion = tt.version })
			h.say(t, "hola")
			if v := h.g.Versions(); v[tt.want] != 2 || len(v) != 1 {
				t.Fatalf("versions used %v, want %s", v, tt.want)
			}
		})
	}
	if !strings.HasPrefix(DefaultGraphVersion, "v2") || DefaultGraphVersion < "v24.0" {
		t.Fatalf("default version %s: Meta retires v21.0 in January 2027", DefaultGraphVersion)
	}
	_, err := New(Config{PhoneNumberID: "1", AccessToken: "t", AppSecret: "s", VerifyToken: "v", GraphVersion: "25"}, wtest.Bot(t, &wtest.Engine{}), wtest.Quiet())
	if !errs.Is(errs.Invalid, err) {
		t.Fatalf("version 25 accepted: %v", err)
	}
}

// TestMedia: what the bot cannot read gets the engine's answer for media.
// A message Meta cannot carry ("unsupported", error 131051: a view-once
// photo, a poll) or of a kind it adds later got silence (found by a
// probe); a reaction or WhatsApp's notice of a changed number is no
// message to answer.
func TestMedia(t *testing.T) {
	unsupported := []any{map[string]any{"code": 131051, "title": "Message type unknown",
		"error_data": map[string]any{"details": "Message type is currently not supported."}}}
	tests := []struct {
		kind  string
		extra map[string]any
		want  string // "" when the engine must not get it
		text  string // what it reads as, when it is text
	}{
		{"image", map[string]any{"image": map[string]any{"id": "MEDIA1", "mime_type": "x"}}, "photo", ""},
		{"audio", map[string]any{"audio": map[string]any{"id": "MEDIA1", "mime_type": "x"}}, "voice", ""},
		{"sticker", map[string]any{"sticker": map[string]any{"id": "MEDIA1", "mime_type": "x"}}, "sticker", ""},
		{"document", map[string]any{"document": map[string]any{"id": "MEDIA1", "mime_type": "x"}}, "file", ""},
		{"unsupported", map[string]any{"errors": unsupported}, "unsupported", ""},
		{"order", map[string]any{"order": map[string]any{"catalog_id": "1"}}, "order", ""},
		{"reaction", map[string]any{"reaction": map[string]any{"message_id": "wamid.bot", "emoji": "👍"}}, "", ""},
		{"system", map[string]any{"system": map[string]any{"body": "changed number", "type": "user_changed_number"}}, "", ""},
		// Interactive answers not to the bot's buttons, and a template's
		// quick reply without text, were dropped (a regression probe): a
		// WhatsApp Flow's answer is what the bot cannot read, a button of
		// another sender on the number reads as its title.
		{"interactive", map[string]any{"interactive": map[string]any{"type": "nfm_reply",
			"nfm_reply": map[string]any{"name": "flow", "body": "Sent", "response_json": "{}"}}}, "interactive", ""},
		{"interactive", map[string]any{"interactive": map[string]any{"type": "button_reply",
			"button_reply": map[string]any{"id": "BUY", "title": "Comprar"}}}, "", "Comprar"},
		{"button", map[string]any{"button": map[string]any{"payload": "X", "text": ""}}, "button", ""},
		{"location", map[string]any{"location": map[string]any{"latitude": -31.4, "longitude": -64.2}}, "location", ""},
		{"contacts", map[string]any{"contacts": []any{map[string]any{"name": map[string]any{"formatted_name": "Ana"}}}}, "contact", ""},
		// A person who opens the chat for the first time, with WhatsApp
		// Manager's welcome message on, was told the bot reads only text
		// (a channels probe): it is Telegram's /start, the menu.
		{"request_welcome", nil, "", "menú"},
		// An edit of the person's message (Meta's "edit", with the new
		// text) was told "solo puedo leer texto": it is an edit, which the
		// bot does not read, and says so. A message the person deleted
		// ("revoke": the bot asks them to delete one holding their key)
		// was answered the same, right after they did as asked: no answer.
		{"edit", map[string]any{"edit": map[string]any{"original_message_id": "wamid.orig",
			"message": map[string]any{"type": "text", "text": map[string]any{"body": "20-12604337-7"}}}}, "edited", ""},
		{"revoke", map[string]any{"revoke": map[string]any{"original_message_id": "wamid.orig"}}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			h := newHarness(t)
			msg := map[string]any{"from": alice, "id": "wamid.m", "timestamp": "1767225600", "type": tt.kind}
			maps.Copy(msg, tt.extra)
			body := h.delivery(msg)
			if w := h.post(body, graphtest.Sign(h.g.AppSecret, body)); w.Code != 200 {
				t.Fatalf("answered %d", w.Code)
			}
			h.c.Close()
			got := h.engine.Inbounds()
			if tt.want == "" && tt.text == "" {
				if len(got) != 0 {
					t.Fatalf("engine got %+v, want nothing", got)
				}
				return
			}
			if len(got) != 1 || got[0].Media != tt.want || got[0].Text != tt.text {
				t.Fatalf("engine got %+v, want media %q", got, tt.want)
			}
		})
	}
}

func TestRendering(t *testing.T) {
	h := newHarness(t)
	h.say(t, "menu", "wide menu", "long menu")
	s := h.sent()
	if len(s) != 3 {
		t.Fatalf("sent %d messages, want 3: %v", len(s), h.g.Calls())
	}
	buttons := dig(s[0], "interactive", "action", "buttons").([]any)
	if dig(s[0], "interactive", "type") != "button" || len(buttons) != 3 {
		t.Fatalf("menu sent as %v, want 3 buttons", s[0])
	}
	var question string
	for i, b := range buttons {
		q, n, ok := bot.ParseOptionID(dig(b, "reply", "id").(string))
		if !ok || q == "" || n != i+1 || dig(b, "reply", "title") != wtest.Menu[i] || (question != "" && q != question) {
			t.Fatalf("button %d = %v: want the question's id and the option's number", i, b)
		}
		question = q
	}
	if dig(s[1], "interactive", "type") != "list" || dig(s[1], "interactive", "action", "button") != "Ver opciones" {
		t.Fatalf("wide menu sent as %v, want a list", s[1])
	}
	row := dig(s[1], "interactive", "action", "sections").([]any)[0].(map[string]any)["rows"].([]any)[1]
	if q, n, _ := bot.ParseOptionID(dig(row, "id").(string)); n != 2 || q == question || dig(row, "description") != wtest.WideMenu[1] || !strings.HasSuffix(dig(row, "title").(string), "…") {
		t.Fatalf("long label row = %v", row)
	}
	text, _ := dig(s[2], "text", "body").(string)
	if s[2]["type"] != "text" || !strings.Contains(text, "\n12. opción l") {
		t.Fatalf("twelve options sent as %v, want numbered text", s[2])
	}
}

func TestRenderLimits(t *testing.T) {
	labels := func(n, size int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = strings.Repeat("x", size-len(itoa(i))) + itoa(i)
		}
		return out
	}
	tests := []struct {
		name string
		m    bot.Message
		want string // "button", "list" or "text"
	}{
		{"three short", bot.Message{Text: "t", Options: labels(3, 20)}, "button"},
		{"one", bot.Message{Text: "t", Options: labels(1, 5)}, "button"},
		{"four short", bot.Message{Text: "t", Options: labels(4, 10)}, "list"},
		{"label of 21", bot.Message{Text: "t", Options: labels(2, 21)}, "list"},
		{"ten", bot.Message{Text: "t", Options: labels(10, 24)}, "list"},
		{"eleven", bot.Message{Text: "t", Options: labels(11, 5)}, "text"},
		{"label of 73", bot.Message{Text: "t", Options: labels(2, 73)}, "text"},
		{"long body", bot.Message{Text: strings.Repeat("a", 1025), Options: labels(2, 5)}, "text"},
		{"empty body", bot.Message{Options: labels(2, 5)}, "text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.m.Question = "abcdefgh"
			out := render(alice, tt.m, "Ver opciones")
			got := out.Type
			if out.Interactive != nil {
				got = out.Interactive.Type
			}
			if got != tt.want {
				t.Fatalf("rendered as %s, want %s", got, tt.want)
			}
			var body map[string]any
			b, _ := json.Marshal(out)
			json.Unmarshal(b, &body)
			if p := graphtest.Valid(body); p != "" && tt.want != "text" {
				t.Fatalf("breaks Meta's rule on %s", p)
			}
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestShorten(t *testing.T) {
	tests := []struct{ in, want string }{
		{"corto", "corto"},
		{"Recuperar mi clave (me la olvidé)", "Recuperar mi clave (me…"},
		{"Supercalifragilisticoespialidoso", "Supercalifragilisticoes…"},
	}
	for _, tt := range tests {
		if got := shorten(tt.in, 24); got != tt.want || runes(got) > 24 {
			t.Errorf("shorten(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRetryWithinATurn(t *testing.T) {
	h := newHarness(t)
	// The first reply meets a 429 with Retry-After, then 130429 (the
	// backoff's second step), then Meta's own failures that took nothing,
	// code 2 and 131000 answered with a 400, before Meta takes it. (A 5xx
	// may have taken it: the outbox waits for Meta's word, see
	// TestTurnReplyTakenDespiteA5xxIsNotSentAgain.)
	rl := graphtest.RateLimit
	rl.Status, rl.Code, rl.RetryAfter = 429, 4, "3"
	down, wrong := graphtest.Temporary, graphtest.ServerError
	down.Status, wrong.Status = 400, 400
	h.g.FailNext(rl, graphtest.RateLimit, down, wrong)
	h.say(t, "uno", "dos")
	var replies []string
	for _, s := range h.sent() {
		replies = append(replies, dig(s, "text", "body").(string))
	}
	if want := []string{"echo uno", "echo dos"}; !slices.Equal(replies, want) {
		t.Fatalf("replies %q, want %q in order", replies, want)
	}
	if want := []time.Duration{3 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}; !slices.Equal(h.sleeps, want) {
		t.Fatalf("waited %v, want %v", h.sleeps, want)
	}
}

func TestRetryIsBounded(t *testing.T) {
	h := newHarness(t)
	defer h.c.Close()
	h.g.Text(alice, "hola")
	h.c.Close()
	for range 10 {
		h.g.FailNext(graphtest.PairRateLimit)
	}
	h2 := h.c
	err := h2.SendText(context.Background(), alice, "hola")
	if !errs.Is(errs.Unavailable, err) {
		t.Fatalf("SendText = %v, want unavailable", err)
	}
	var ge *GraphError
	if !errors.As(err, &ge) || ge.Code != 131056 {
		t.Fatalf("error %v does not carry the Graph error", err)
	}
	if len(h.sleeps) != h.c.retry.attempts-1 {
		t.Fatalf("waited %d times, want %d", len(h.sleeps), h.c.retry.attempts-1)
	}
}

func TestOtherErrorsNotRetried(t *testing.T) {
	h := newHarness(t)
	defer h.c.Close()
	h.c.cfg.AccessToken = "expired"
	err := h.c.SendText(context.Background(), alice, "hola")
	var ge *GraphError
	if !errors.As(err, &ge) || ge.Code != 190 || ge.Status != 401 {
		t.Fatalf("SendText = %v, want Graph error 190", err)
	}
	if len(h.sleeps) != 0 {
		t.Fatalf("retried a non-rate error: %v", h.sleeps)
	}
}

func TestDuplicateDeliveriesIgnored(t *testing.T) {
	h := newHarness(t)
	body := h.delivery(textMsg(alice, "wamid.1", "hola"))
	for range 3 {
		if w := h.post(body, graphtest.Sign(h.g.AppSecret, body)); w.Code != 200 {
			t.Fatalf("answered %d", w.Code)
		}
	}
	h.c.Close()
	if n := len(h.engine.Inbounds()); n != 1 {
		t.Fatalf("engine handled %d copies, want 1", n)
	}
}

func TestOtherNumbersIgnored(t *testing.T) {
	h := newHarness(t)
	body := graphtest.Payload("9999", "5491100000000", []map[string]any{textMsg(alice, "wamid.1", "hola")}, nil)
	if w := h.post(body, graphtest.Sign(h.g.AppSecret, body)); w.Code != 200 {
		t.Fatalf("answered %d", w.Code)
	}
	h.c.Close()
	if len(h.engine.Inbounds()) != 0 {
		t.Fatal("handled a message to another business number")
	}
}

func TestKeyMessageAsksToDelete(t *testing.T) {
	h := newHarness(t)
	h.say(t, "key Secreta123")
	if _, ok := any(h.c).(bot.Deleter); ok {
		t.Fatal("the Cloud API cannot delete a person's message")
	}
	if s := h.sent(); len(s) != 2 || dig(s[1], "text", "body") != "clave anotada" {
		t.Fatalf("sent %v, want the ask to delete and then the reply", s)
	}
}

func TestNewChecksConfig(t *testing.T) {
	_, err := New(Config{PhoneNumberID: "1"}, wtest.Bot(t, &wtest.Engine{}), wtest.Quiet())
	if !errs.Is(errs.Invalid, err) || !strings.Contains(err.Error(), "app secret") {
		t.Fatalf("New = %v, want invalid naming what is missing", err)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	h := newHarness(t)
	defer h.c.Close()
	w := httptest.NewRecorder()
	h.c.ServeHTTP(w, httptest.NewRequest(http.MethodPut, "/whatsapp/webhook", nil))
	if w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("answered %d", w.Code)
	}
}

// The number Meta delivers a message from reaches the engine in E.164, as
// the sender's proved phone.
func TestSenderPhoneReachesEngine(t *testing.T) {
	h := newHarness(t)
	body := h.delivery(textMsg("5491123456789", "wamid.9", "hola"))
	if w := h.post(body, graphtest.Sign(h.g.AppSecret, body)); w.Code != 200 {
		t.Fatalf("answered %d", w.Code)
	}
	h.c.Close()
	if got := h.engine.Inbounds(); len(got) != 1 || got[0].From != "+5491123456789" {
		t.Fatalf("engine got %+v, want From +5491123456789", got)
	}
}

// TestSendsKeepTheirConnections: forty people writing at once are
// answered over about as many connections to the Graph API as the
// channel has workers, kept between calls, not one opened (and, against
// Meta, handshaken) for almost every call as with net/http's default of
// two idle connections a host.
func TestSendsKeepTheirConnections(t *testing.T) {
	h := newHarnessWith(t, []graphtest.ServerOption{graphtest.WithoutStatuses(), graphtest.WithParallelWebhooks(40)})
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 5 {
				if _, code, err := h.g.Text("54911000000"+strconv.Itoa(10+i), "hola "+strconv.Itoa(j)); err != nil || code != 200 {
					t.Errorf("webhook answered %d, %v", code, err)
				}
			}
		}()
	}
	wg.Wait()
	h.c.Close()
	calls, workers := len(h.g.Calls()), h.c.cfg.Workers
	if calls < 400 {
		t.Fatalf("%d calls to the Graph API, want a read receipt and a reply for each of 200 messages", calls)
	}
	if n := h.g.Connections(); n > 2*(workers+1) {
		t.Errorf("%d connections for %d calls of %d workers", n, calls, workers)
	}
}

// TestReadReceiptIsNotWaitedFor: the read receipt (and typing) was sent
// as a reply is, retried in place while Meta refused it for rate: with
// the app at Graph's call rate (code 4, every call counts) every turn
// waited 1+2+4+8 s before the engine even read the message, and added
// its retries to the load. It is tried once, as Telegram's typing.
func TestReadReceiptIsNotWaitedFor(t *testing.T) {
	h := newHarness(t)
	rl := graphtest.Failure{Status: 400, Code: 4, Message: "(#4) Application request limit reached"}
	h.g.FailReads(rl, rl, rl, rl, rl)
	h.say(t, "hola")
	var replies []string
	for _, s := range h.sent() {
		replies = append(replies, dig(s, "text", "body").(string))
	}
	if want := []string{"echo hola"}; !slices.Equal(replies, want) {
		t.Fatalf("replies %q, want %q", replies, want)
	}
	if len(h.sleeps) != 0 {
		t.Fatalf("the turn waited %v for its read receipt", h.sleeps)
	}
}
