package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot/telegram/telegramtest"
)

// startTestServer runs `clavebot serve` on a free port over a temporary
// SQLite registry and the embedded Redis.
func startTestServer(t *testing.T, token string) (*Main, string) {
	t.Helper()
	return startTestServerWith(t, &serveConfig{APIToken: token})
}

// startTestServerWith runs serve with sc on a free port.
func startTestServerWith(t *testing.T, sc *serveConfig) (*Main, string) {
	t.Helper()
	cfg := &config{DatabaseURL: testDB(t), Lang: "es", LogLevel: "error"}
	sc.HTTPAddr = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	s, err := startServer(ctx, cfg, sc, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Wait(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		s.Close()
	})
	return s, "http://" + s.Addr()
}

func call(t *testing.T, method, url, token string, body any) (int, map[string]any, http.Header) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	if out == nil {
		out = map[string]any{"raw": string(data)}
	}
	return res.StatusCode, out, res.Header
}

func TestServeHealthReadyMetrics(t *testing.T) {
	_, base := startTestServer(t, "")
	if code, _, _ := call(t, "GET", base+"/healthz", "", nil); code != 200 {
		t.Fatalf("healthz %d", code)
	}
	code, body, _ := call(t, "GET", base+"/readyz", "", nil)
	if code != 200 || body["database"] != "ok" || body["redis"] != "ok" {
		t.Fatalf("readyz %d %v", code, body)
	}
	call(t, "POST", base+"/v1/chat", "", map[string]string{"chat": "m", "text": "hola"})
	_, body, _ = call(t, "GET", base+"/metrics", "", nil)
	raw, _ := body["raw"].(string)
	for _, m := range []string{"clavebot_events_total", `clavebot_turn_seconds_count{channel="rest"} 1`} {
		if !strings.Contains(raw, m) {
			t.Fatalf("metrics lack %s", m)
		}
	}
}

// With --api-token, every /v1/ endpoint answers a request without the
// token, or with another, the same 403 {"error":"forbidden"} as key
// verification (CONTRACT §4): the REST chat and its messages answered
// 401 {"error":"unauthorized"}.
func TestServeV1NeedsTheToken(t *testing.T) {
	_, base := startTestServer(t, "s3cret")
	tests := []struct {
		method, path string
		body         any
	}{
		{"POST", "/v1/chat", map[string]string{"chat": "r", "text": "hola"}},
		{"GET", "/v1/chat/r/messages", nil},
		{"GET", "/v1/chat/r/messages?after=0", nil},
		{"POST", "/v1/keys/verify", map[string]string{"cuil": "20314567898", "key": "nope"}},
	}
	for _, tt := range tests {
		for _, token := range []string{"", "wrong"} {
			code, body, _ := call(t, tt.method, base+tt.path, token, tt.body)
			if code != 403 || len(body) != 1 || body["error"] != "forbidden" {
				t.Errorf("%s %s with token %q: %d %v, want 403 {\"error\":\"forbidden\"}", tt.method, tt.path, token, code, body)
			}
		}
	}
}

func TestServeRESTChat(t *testing.T) {
	_, base := startTestServer(t, "s3cret")
	code, body, _ := call(t, "POST", base+"/v1/chat", "s3cret", map[string]string{"chat": "r", "text": "hola"})
	replies, _ := body["replies"].([]any)
	if code != 200 || len(replies) == 0 {
		t.Fatalf("chat: %d %v", code, body)
	}
	last := replies[len(replies)-1].(map[string]any)
	if last["expect"] != "menu" || len(last["options"].([]any)) != 7 {
		t.Fatalf("last reply %v, want the menu", last)
	}
	code, body, _ = call(t, "POST", base+"/v1/chat", "s3cret", map[string]string{"chat": "r", "text": "2"})
	last = body["replies"].([]any)[len(body["replies"].([]any))-1].(map[string]any)
	if code != 200 || last["expect"] != "cuil" {
		t.Fatalf("menu choice: %d %v", code, body)
	}
	if code, _, _ := call(t, "POST", base+"/v1/chat", "s3cret", "not an object"); code != 400 {
		t.Fatalf("bad body: %d, want 400", code)
	}
	big := strings.Repeat("x", 100<<10)
	if code, _, _ := call(t, "POST", base+"/v1/chat", "s3cret", map[string]string{"chat": "r", "text": big}); code != 413 {
		t.Fatalf("100 KB body: %d, want 413", code)
	}
}

// TestServeRESTRetryGetsTheSameAnswer: a portal that lost an answer (a
// timeout, a dropped connection, a replica gone) sends the message again
// with its "id". It was answered with no replies, so the person saw
// nothing; it gets the first answer again, and the message is not handled
// twice (a second "1" at the questions would answer the next question).
func TestServeRESTRetryGetsTheSameAnswer(t *testing.T) {
	_, base := startTestServer(t, "tok")
	texts := []string{"hola", "1", "27-35218904-4", "Lucía Soledad", "Fernández", "21/07/1990", "35218904", "1", "1", "ayuda"}
	send := func(id, text string) map[string]any {
		t.Helper()
		code, body, _ := call(t, "POST", base+"/v1/chat", "tok", map[string]string{"chat": "retry", "id": id, "text": text})
		if code != 200 {
			t.Fatalf("%s %q: %d %v", id, text, code, body)
		}
		return body
	}
	for i, text := range texts {
		id := "m" + strconv.Itoa(i)
		first := send(id, text)
		if rs, _ := first["replies"].([]any); len(rs) == 0 {
			t.Fatalf("%s %q: no replies", id, text)
		}
		for try := range 2 {
			if again := send(id, text); !reflect.DeepEqual(again, first) {
				t.Fatalf("%s %q sent again (%d): %v\nwant the first answer %v", id, text, try+1, again, first)
			}
		}
	}
	// Only the last answer is kept: an older id is still not handled
	// again, and gets nothing; nor does the last id once a message
	// without an id came after it (found by a probe: its stale replies).
	if rs, _ := send("m3", "Lucía Soledad")["replies"].([]any); len(rs) != 0 {
		t.Fatalf("an older id sent again: %v, want no replies", rs)
	}
	send("", "ayuda")
	last := "m" + strconv.Itoa(len(texts)-1)
	if rs, _ := send(last, texts[len(texts)-1])["replies"].([]any); len(rs) != 0 {
		t.Fatalf("the last id after a message without one: %v, want no replies", rs)
	}
}

func TestServeKeyVerify(t *testing.T) {
	srv, base := startTestServer(t, "")
	if code, body, _ := call(t, "POST", base+"/v1/keys/verify", "", map[string]string{"cuil": "20-31456789-8", "key": "x"}); code != 404 || body["status"] != "unknown" {
		t.Fatalf("no key yet: %d %v", code, body)
	}
	if code, body, _ := call(t, "POST", base+"/v1/keys/verify", "", map[string]string{"cuil": "bad", "key": "x"}); code != 404 || body["status"] != "unknown" {
		t.Fatalf("bad cuil: %d %v", code, body)
	}
	// Create a key through the chat, then verify it.
	createKey(t, srv, base, "Mate2025amargo")
	if code, body, _ := call(t, "POST", base+"/v1/keys/verify", "", map[string]string{"cuil": "20314567898", "key": "Mate2025amargo"}); code != 200 || body["status"] != "ok" {
		t.Fatalf("right key: %d %v", code, body)
	}
	for range 4 {
		if code, body, _ := call(t, "POST", base+"/v1/keys/verify", "", map[string]string{"cuil": "20314567898", "key": "nope"}); code != 401 || body["status"] != "wrong" {
			t.Fatalf("wrong key: %d %v", code, body)
		}
	}
	code, body, hdr := call(t, "POST", base+"/v1/keys/verify", "", map[string]string{"cuil": "20314567898", "key": "nope"})
	secs, _ := body["retry_after_s"].(float64)
	if code != 423 || body["status"] != "locked" || secs < 1700 || secs > 1800 || hdr.Get("Retry-After") == "" {
		t.Fatalf("fifth wrong key: %d %v", code, body)
	}
	if code, _, _ := call(t, "POST", base+"/v1/keys/verify", "", map[string]string{"cuil": "20314567898", "key": "Mate2025amargo"}); code != 423 {
		t.Fatalf("right key while locked: %d, want 423", code)
	}
}

// createKey goes through the create flow on the REST channel, answering
// the identity questions with what the registry knows.
func createKey(t *testing.T, srv *Main, base, key string) {
	t.Helper()
	send := func(text string) map[string]any {
		_, body, _ := call(t, "POST", base+"/v1/chat", "", map[string]string{"chat": "creator", "text": text})
		rs := body["replies"].([]any)
		return rs[len(rs)-1].(map[string]any)
	}
	for _, s := range []string{"hola", "1", "20-31456789-8", "María Belén", "Gómez Ruiz", "14/03/1985", "31456789"} {
		send(s)
	}
	ctx := context.Background()
	c, err := srv.Registry.Citizen(ctx, "20314567898")
	if err != nil {
		t.Fatal(err)
	}
	qs, err := srv.Registry.Questions(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	var last map[string]any
	for _, q := range qs {
		last = send(strconv.Itoa(q.Answer + 1))
	}
	if last["expect"] != "new_key" {
		t.Fatalf("after the questions: %v", last)
	}
	send(key)
	if r := send(key); r["expect"] != "menu" {
		t.Fatalf("confirm: %v", r)
	}
}

// TestServeTelegram runs serve with --telegram-token and --telegram-api-url
// pointing at the fake Bot API: a person's /start gets the menu as buttons.
func TestServeTelegram(t *testing.T) {
	const token = "123456:serve-test"
	api := telegramtest.New(token)
	t.Cleanup(api.Close)
	sc := &serveConfig{}
	sc.TelegramToken, sc.TelegramAPIURL = token, api.URL
	startTestServerWith(t, sc)

	api.Text(77, "/start")
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	err := api.WaitUntil(wctx, func() bool {
		msgs := api.BotMessages(77)
		return len(msgs) > 0 && len(msgs[len(msgs)-1].Keyboard) == 7
	})
	if err != nil {
		t.Fatalf("no menu with 7 buttons: %v; bot said %+v", err, api.BotMessages(77))
	}
}

// TestServeVerifyNeedsTheToken: with --api-token set, key verification is
// for the portal only; without the token the answer says nothing about
// the CUIL or the key.
func TestServeVerifyNeedsTheToken(t *testing.T) {
	_, base := startTestServer(t, "s3cret")
	for _, token := range []string{"", "wrong"} {
		for _, cuil := range []string{"20-31456789-8", "20-33444555-1", "bad"} {
			code, body, _ := call(t, "POST", base+"/v1/keys/verify", token, map[string]string{"cuil": cuil, "key": "x"})
			if code != http.StatusForbidden || body["status"] != nil {
				t.Fatalf("token %q, cuil %s: %d %v, want 403 without a status", token, cuil, code, body)
			}
		}
	}
	if code, body, _ := call(t, "POST", base+"/v1/keys/verify", "s3cret", map[string]string{"cuil": "20-31456789-8", "key": "x"}); code != 404 {
		t.Fatalf("with the token: %d %v", code, body)
	}
}

// TestServeRefusesAnOpenAPI: serve does not expose /v1/ on an address
// other hosts reach unless --api-token is set.
func TestServeRefusesAnOpenAPI(t *testing.T) {
	tests := []struct {
		addr, token string
		ok          bool
	}{
		{"0.0.0.0:0", "", false},
		{":0", "", false},
		{"[::]:0", "", false},
		{"127.0.0.1:0", "", true},
		{"localhost:0", "", true},
		{"[::1]:0", "", true},
		{"0.0.0.0:0", "s3cret", true},
	}
	for _, tt := range tests {
		t.Run(tt.addr+" "+tt.token, func(t *testing.T) {
			cfg := &config{DatabaseURL: testDB(t), Lang: "es", LogLevel: "error"}
			s, err := startServer(context.Background(), cfg, &serveConfig{HTTPAddr: tt.addr, APIToken: tt.token}, slog.New(slog.DiscardHandler))
			if err == nil {
				s.Close()
			}
			if (err == nil) != tt.ok {
				t.Fatalf("startServer(%s, token %q): %v", tt.addr, tt.token, err)
			}
		})
	}
	// A serve that starts anyway is stopped after a while, and fails.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stderrb bytes.Buffer
	code := run(ctx, []string{"serve", "--http-addr", "0.0.0.0:0", "--database-url", testDB(t)}, nil, io.Discard, &stderrb)
	stderr := stderrb.String()
	if code != 2 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, "--api-token") {
		t.Fatalf("serve on 0.0.0.0 without a token: exit %d, stderr %q; want 2 and one line naming --api-token", code, stderr)
	}
}

// An --http-addr that is no address is said to be none, with or without a
// token: it was "reachable from other hosts", or a listen error.
func TestServeRefusesABadAddress(t *testing.T) {
	for _, args := range [][]string{
		{"--http-addr", "nonsense"},
		{"--http-addr", "nonsense", "--api-token", "s3cret"},
		{"--http-addr", "127.0.0.1"},
	} {
		args = append([]string{"serve", "--database-url", "sqlite:" + t.TempDir() + "/r.db"}, args...)
		code, _, errs := runCLI(t, "", args...)
		if code != 2 || !strings.Contains(errs, "is not an address") || strings.Contains(errs, "reachable") ||
			strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line saying it is not an address", args, code, errs)
		}
	}
}

// startServer builds and runs serve's Main with cfg and sc, as main does
// after parsing flags; Wait serves until ctx ends.
func startServer(ctx context.Context, cfg *config, sc *serveConfig, log *slog.Logger) (*Main, error) {
	m := NewMain(nil, io.Discard, io.Discard)
	m.Command, m.Config, m.Log = "serve", *cfg, log
	m.Config.serveConfig = *sc
	if err := m.Run(ctx); err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

// Each replica's desk lists the dead letters of every channel, whichever
// channels it runs itself: an agent whose page a REST-only replica served
// saw none of Telegram's or WhatsApp's (the last session's handoff), and
// behind a load balancer the list changed with each request.
func TestEveryReplicaListsEveryChannelsDeadLetters(t *testing.T) {
	want := []string{"rest", "telegram", "whatsapp"}
	for _, tc := range []struct {
		name string
		cfg  config
	}{
		{"rest only", config{}},
		{"telegram", config{serveConfig: serveConfig{channelConfig: channelConfig{TelegramToken: "t"}}}},
		{"whatsapp", config{serveConfig: serveConfig{channelConfig: channelConfig{WhatsApp: true}}}},
	} {
		if got := tc.cfg.channelNames(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: dead letters listed of %v, want %v", tc.name, got, want)
		}
	}
}
