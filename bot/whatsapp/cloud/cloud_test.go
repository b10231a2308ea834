package cloud

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/whatsapp/internal/wtest"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/internal/errs"
)

const (
	appSecret   = "app-secret"
	verifyToken = "verify-me"
	alice       = "5491111111111"
)

type harness struct {
	c      *Cloud
	g      *fakeGraph
	engine *wtest.Engine

	mu     sync.Mutex
	sleeps []time.Duration
}

func newHarness(t *testing.T) *harness {
	g, srv := newFakeGraph(t)
	h := &harness{g: g, engine: &wtest.Engine{}}
	c, err := New(Config{
		PhoneNumberID: g.phoneID, AccessToken: g.token, AppSecret: appSecret,
		VerifyToken: verifyToken, APIURL: srv.URL + "/",
	}, wtest.Bot(t, h.engine), wtest.Quiet())
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
	return h
}

func sign(body []byte) string {
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
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

// deliver posts a signed delivery of msgs, then waits for the turns.
func (h *harness) deliver(t *testing.T, msgs ...map[string]any) {
	t.Helper()
	body := delivery(h.g.phoneID, msgs, nil)
	if w := h.post(body, sign(body)); w.Code != http.StatusOK {
		t.Fatalf("webhook answered %d", w.Code)
	}
	h.c.Close()
}

// delivery is a webhook body as Meta sends it.
func delivery(phoneID string, msgs []map[string]any, statuses []map[string]any) []byte {
	value := map[string]any{
		"messaging_product": "whatsapp",
		"metadata":          map[string]any{"display_phone_number": "5491100000000", "phone_number_id": phoneID},
	}
	if msgs != nil {
		value["contacts"] = []any{map[string]any{"profile": map[string]any{"name": "Alicia"}, "wa_id": alice}}
		value["messages"] = msgs
	}
	if statuses != nil {
		value["statuses"] = statuses
	}
	b, _ := json.Marshal(map[string]any{
		"object": "whatsapp_business_account",
		"entry":  []any{map[string]any{"id": "WABA1", "changes": []any{map[string]any{"field": "messages", "value": value}}}},
	})
	return b
}

func textMsg(from, id, text string) map[string]any {
	return map[string]any{"from": from, "id": id, "timestamp": "1767225600", "type": "text", "text": map[string]any{"body": text}}
}

// sent is the accepted non-read payloads.
func (h *harness) sent() []map[string]any {
	var out []map[string]any
	for _, b := range h.g.Accepted() {
		if b["status"] != "read" {
			out = append(out, b)
		}
	}
	return out
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
	body := delivery("1065", []map[string]any{textMsg(alice, "wamid.1", "hola")}, nil)
	other := sign([]byte("another body"))
	tests := []struct {
		name, sig string
		code      int
	}{
		{"missing", "", 401},
		{"of another body", other, 401},
		{"without prefix", strings.TrimPrefix(sign(body), "sha256="), 401},
		{"not hex", "sha256=zz", 401},
		{"good", sign(body), 200},
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
	h.deliver(t, textMsg(alice, "wamid.1", "hola"))
	want := dialog.Inbound{Chat: "whatsapp:" + alice, ID: "wamid.1", Text: "hola", Channel: "whatsapp"}
	if got := h.engine.Inbounds(); len(got) != 1 || got[0] != want {
		t.Fatalf("engine got %+v, want %+v", got, want)
	}
	calls := h.g.Accepted()
	if len(calls) != 2 {
		t.Fatalf("graph calls = %v, want read then reply", calls)
	}
	if calls[0]["status"] != "read" || calls[0]["message_id"] != "wamid.1" || dig(calls[0], "typing_indicator", "type") != "text" {
		t.Fatalf("first call %v, want read receipt with typing", calls[0])
	}
	if calls[1]["type"] != "text" || calls[1]["to"] != alice || dig(calls[1], "text", "body") != "echo hola" {
		t.Fatalf("reply %v", calls[1])
	}
}

func TestInteractiveReplyIsTheOption(t *testing.T) {
	tests := []struct {
		name        string
		interactive map[string]any
		want        string
	}{
		{"button", map[string]any{"type": "button_reply", "button_reply": map[string]any{"id": "2", "title": "Recuperar"}}, "2"},
		{"list row", map[string]any{"type": "list_reply", "list_reply": map[string]any{"id": "7", "title": "opción g", "description": ""}}, "7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.deliver(t, map[string]any{"from": alice, "id": "wamid.2", "type": "interactive", "interactive": tt.interactive,
				"context": map[string]any{"from": "5491100000000", "id": "wamid.out1"}})
			if got := h.engine.Inbounds(); len(got) != 1 || got[0].Text != tt.want {
				t.Fatalf("engine got %+v, want text %q", got, tt.want)
			}
		})
	}
}

func TestMedia(t *testing.T) {
	for kind, want := range map[string]string{"image": "photo", "audio": "voice", "sticker": "sticker", "document": "file"} {
		t.Run(kind, func(t *testing.T) {
			h := newHarness(t)
			h.deliver(t, map[string]any{"from": alice, "id": "wamid.m", "type": kind, kind: map[string]any{"id": "MEDIA1", "mime_type": "x"}})
			got := h.engine.Inbounds()
			if len(got) != 1 || got[0].Media != want || got[0].Text != "" {
				t.Fatalf("engine got %+v, want media %q", got, want)
			}
			if s := h.sent(); len(s) != 1 || dig(s[0], "text", "body") != "media "+want {
				t.Fatalf("sent %v", s)
			}
		})
	}
}

func TestRendering(t *testing.T) {
	h := newHarness(t)
	h.deliver(t, textMsg(alice, "w1", "menu"), textMsg(alice, "w2", "wide menu"), textMsg(alice, "w3", "long menu"))
	if len(h.g.invalid) > 0 {
		t.Fatalf("graph refused payloads: %v", h.g.invalid)
	}
	s := h.sent()
	if len(s) != 3 {
		t.Fatalf("sent %d messages, want 3", len(s))
	}

	buttons := dig(s[0], "interactive", "action", "buttons").([]any)
	if dig(s[0], "interactive", "type") != "button" || len(buttons) != 3 {
		t.Fatalf("menu sent as %v, want 3 buttons", s[0])
	}
	for i, b := range buttons {
		if dig(b, "reply", "id") != itoa(i+1) || dig(b, "reply", "title") != wtest.Menu[i] {
			t.Fatalf("button %d = %v", i, b)
		}
	}

	if dig(s[1], "interactive", "type") != "list" || dig(s[1], "interactive", "action", "button") != "Ver opciones" {
		t.Fatalf("wide menu sent as %v, want a list", s[1])
	}
	row := dig(s[1], "interactive", "action", "sections").([]any)[0].(map[string]any)["rows"].([]any)[1]
	if dig(row, "id") != "2" || dig(row, "description") != wtest.WideMenu[1] || !strings.HasSuffix(dig(row, "title").(string), "…") {
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
			if p := checkPayload(body); p != "" && tt.want != "text" {
				t.Fatalf("breaks Meta's rule on %s", p)
			}
		})
	}
}

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

func TestRetryAfterRateLimit(t *testing.T) {
	h := newHarness(t)
	// The first reply meets a 429 with Retry-After, then a Graph 130429 (no
	// Retry-After: the backoff's second step), before Meta accepts it.
	h.g.refuse(refusal{status: 429, code: 4, retryAfter: "3"}, refusal{status: 400, code: 130429})
	h.deliver(t, textMsg(alice, "w1", "uno"), textMsg(alice, "w2", "dos"))
	var replies []string
	for _, s := range h.sent() {
		replies = append(replies, dig(s, "text", "body").(string))
	}
	if want := []string{"echo uno", "echo dos"}; !slices.Equal(replies, want) {
		t.Fatalf("replies %q, want %q in order", replies, want)
	}
	if want := []time.Duration{3 * time.Second, 2 * time.Second}; !slices.Equal(h.sleeps, want) {
		t.Fatalf("waited %v, want %v", h.sleeps, want)
	}
}

func TestRetryIsBounded(t *testing.T) {
	h := newHarness(t)
	defer h.c.Close()
	for range 10 {
		h.g.refuse(refusal{status: 400, code: 131056})
	}
	err := h.c.SendText(context.Background(), alice, "hola")
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

func TestStatusesIgnored(t *testing.T) {
	h := newHarness(t)
	body := delivery(h.g.phoneID, nil, []map[string]any{
		{"id": "wamid.out1", "status": "delivered", "timestamp": "1767225600", "recipient_id": alice},
		{"id": "wamid.out1", "status": "read", "timestamp": "1767225601", "recipient_id": alice},
	})
	if w := h.post(body, sign(body)); w.Code != 200 {
		t.Fatalf("answered %d", w.Code)
	}
	h.c.Close()
	if len(h.engine.Inbounds()) != 0 || len(h.g.Accepted()) != 0 {
		t.Fatal("a status callback was answered")
	}
}

func TestDuplicateDeliveriesIgnored(t *testing.T) {
	h := newHarness(t)
	body := delivery(h.g.phoneID, []map[string]any{textMsg(alice, "wamid.1", "hola")}, nil)
	for range 3 {
		if w := h.post(body, sign(body)); w.Code != 200 {
			t.Fatalf("answered %d", w.Code)
		}
	}
	h.c.Close()
	if n := len(h.engine.Inbounds()); n != 1 {
		t.Fatalf("engine handled %d copies, want 1", n)
	}
	if n := len(h.sent()); n != 1 {
		t.Fatalf("%d replies, want 1", n)
	}
}

func TestOtherNumbersIgnored(t *testing.T) {
	h := newHarness(t)
	body := delivery("9999", []map[string]any{textMsg(alice, "wamid.1", "hola")}, nil)
	if w := h.post(body, sign(body)); w.Code != 200 {
		t.Fatalf("answered %d", w.Code)
	}
	h.c.Close()
	if len(h.engine.Inbounds()) != 0 {
		t.Fatal("handled a message to another business number")
	}
}

func TestKeyMessageAsksToDelete(t *testing.T) {
	h := newHarness(t)
	h.deliver(t, textMsg(alice, "wamid.k", "key Secreta123"))
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
	h.deliver(t, textMsg("5491123456789", "wamid.9", "hola"))
	if got := h.engine.Inbounds(); len(got) != 1 || got[0].From != "+5491123456789" {
		t.Fatalf("engine got %+v, want From +5491123456789", got)
	}
}
