package rest_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/rest"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

type echo struct{}

func (echo) Handle(_ context.Context, in convo.Inbound) (convo.Result, error) {
	return convo.Result{Replies: []convo.Reply{{Msg: i18n.Raw(in.Chat + ":" + in.Text), Expect: convo.ExpectText}}}, nil
}

func setup(t *testing.T) (*httptest.Server, *rest.Handler) {
	srv, h, _, _ := setupRedis(t)
	return srv, h
}

// setupRedis is setup, with the Redis and the key prefix of its mailbox.
func setupRedis(t *testing.T) (*httptest.Server, *rest.Handler, *redis.Client, string) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	rdb := testenv.Redis(t)
	prefix := testenv.Prefix(t, rdb, "rest")
	box := rest.NewRedisMailbox(rdb, prefix, time.Hour)
	secrets := rest.NewRedisSecrets(rdb, testenv.Prefix(t, rdb, "rest"))
	h := rest.New(bot.New(echo{}, cat.Printer(i18n.ES), slog.New(slog.DiscardHandler)), "", box, rest.WithSecrets(secrets))
	mux := http.NewServeMux()
	h.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, h, rdb, prefix
}

type replies struct {
	Secret  string `json:"chat_secret"`
	Replies []struct {
		ID     string `json:"id"`
		Text   string `json:"text"`
		Expect string `json:"expect"`
	} `json:"replies"`
}

func get(t *testing.T, url, secret string) replies {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set(rest.SecretHeader, secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r replies
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestChatAndPushedMessages(t *testing.T) {
	srv, h := setup(t)
	res, err := http.Post(srv.URL+"/v1/chat", "application/json", strings.NewReader(`{"chat":"p","text":"hola"}`))
	if err != nil {
		t.Fatal(err)
	}
	var r replies
	json.NewDecoder(res.Body).Decode(&r)
	res.Body.Close()
	if len(r.Replies) != 1 || r.Replies[0].Text != "rest:p:hola" {
		t.Fatalf("replies %+v", r)
	}
	secret := res.Header.Get(rest.SecretHeader)
	if secret == "" || r.Secret != secret {
		t.Fatalf("the first POST of a chat gave secret %q, body %q", secret, r.Secret)
	}
	// Later POSTs without the secret go on while the client has not used
	// it (scripts that never read it); once used, only those with it do.
	for _, tt := range []struct {
		secret string
		code   int
	}{{"", 200}, {secret, 200}, {"", 403}, {"wrong", 403}} {
		req, _ := http.NewRequest("POST", srv.URL+"/v1/chat", strings.NewReader(`{"chat":"p","text":"otra"}`))
		if tt.secret != "" {
			req.Header.Set(rest.SecretHeader, tt.secret)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tt.code || res.Header.Get(rest.SecretHeader) != "" {
			t.Fatalf("POST with secret %q: %d (secret %q), want %d and no new secret", tt.secret, res.StatusCode, res.Header.Get(rest.SecretHeader), tt.code)
		}
	}
	// An agent's messages, pushed by any replica, wait in order.
	ctx := context.Background()
	for _, text := range []string{"uno", "dos"} {
		if err := h.SendText(ctx, "p", text); err != nil {
			t.Fatal(err)
		}
	}
	got := get(t, srv.URL+"/v1/chat/p/messages", secret)
	if len(got.Replies) != 2 || got.Replies[0].Text != "uno" || got.Replies[1].Text != "dos" {
		t.Fatalf("pushed %+v", got)
	}
	// CONTRACT §3's expect is never empty (found by a probe).
	if got.Replies[0].Expect != "text" {
		t.Fatalf("a pushed message expects %q", got.Replies[0].Expect)
	}
	if again := get(t, srv.URL+"/v1/chat/p/messages", secret); len(again.Replies) != 0 {
		t.Fatalf("messages delivered twice: %+v", again)
	}
}

func TestBadRequests(t *testing.T) {
	srv, _ := setup(t)
	tests := []struct {
		name, body string
		code       int
	}{
		{"not json", "hola", 400},
		{"no chat", `{"text":"hola"}`, 400},
		{"too large", `{"chat":"p","text":"` + strings.Repeat("x", 70<<10) + `"}`, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := http.Post(srv.URL+"/v1/chat", "application/json", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.code {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.code)
			}
		})
	}
}

// TestMessagesNeedTheChatsSecret is issue 8's attack on the REST chat: a
// chat id is not a credential. Messages pushed to a chat (an agent's
// replies) are read only with the secret its first POST returned.
func TestMessagesNeedTheChatsSecret(t *testing.T) {
	srv, h := setup(t)
	res, err := http.Post(srv.URL+"/v1/chat", "application/json", strings.NewReader(`{"chat":"victim","text":"hola"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	secret := res.Header.Get("X-Chat-Secret")
	if err := h.SendText(context.Background(), "victim", "tu turno es el 3"); err != nil {
		t.Fatal(err)
	}
	for _, guess := range []string{"", "wrong", strings.Repeat("A", len(secret))} {
		req, _ := http.NewRequest("GET", srv.URL+"/v1/chat/victim/messages", nil)
		if guess != "" {
			req.Header.Set("X-Chat-Secret", guess)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden || strings.Contains(string(body), "turno") {
			t.Fatalf("GET with secret %q: %d %s, want 403 and nothing read", guess, res.StatusCode, body)
		}
	}
	req, _ := http.NewRequest("GET", srv.URL+"/v1/chat/victim/messages", nil)
	req.Header.Set("X-Chat-Secret", secret)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var got replies
	json.NewDecoder(res.Body).Decode(&got)
	res.Body.Close()
	if secret == "" || len(got.Replies) != 1 || got.Replies[0].Text != "tu turno es el 3" {
		t.Fatalf("the owner (secret %q) read %+v", secret, got)
	}
}

// TestPushedMessagesKeptUntilRead: a client that says what it read
// ("after", the last id it got) loses nothing when an answer is lost on
// the way: the messages stay until a later request acknowledges them.
func TestPushedMessagesKeptUntilRead(t *testing.T) {
	srv, h, rdb, prefix := setupRedis(t)
	ctx := context.Background()
	res, err := http.Post(srv.URL+"/v1/chat", "application/json", strings.NewReader(`{"chat":"k","text":"hola"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	secret := res.Header.Get(rest.SecretHeader)
	push := func(texts ...string) {
		t.Helper()
		for _, text := range texts {
			if err := h.SendText(ctx, "k", text); err != nil {
				t.Fatal(err)
			}
		}
	}
	texts := func(r replies) string {
		var out []string
		for _, m := range r.Replies {
			if m.ID == "" {
				t.Fatalf("message %q without an id", m.Text)
			}
			out = append(out, m.Text)
		}
		return strings.Join(out, ",")
	}
	url := srv.URL + "/v1/chat/k/messages"
	push("uno", "dos")
	first := get(t, url+"?after=0", secret)
	if got := texts(first); got != "uno,dos" {
		t.Fatalf("after=0: %q, want uno,dos", got)
	}
	// The answer was lost: asked again, the same messages.
	if got := texts(get(t, url+"?after=", secret)); got != "uno,dos" {
		t.Fatalf("asked again: %q, want uno,dos again", got)
	}
	push("tres")
	read := first.Replies[1].ID
	if got := texts(get(t, url+"?after="+read, secret)); got != "tres" {
		t.Fatalf("after the second: %q, want tres", got)
	}
	// Reading only the first of them acknowledges only it.
	if got := texts(get(t, url+"?after="+first.Replies[0].ID, secret)); got != "tres" {
		t.Fatalf("after an id already acknowledged: %q, want tres", got)
	}
	// Without "after", as before: read and removed.
	if got := texts(get(t, url, secret)); got != "tres" {
		t.Fatalf("without after: %q, want tres", got)
	}
	if got := texts(get(t, url+"?after=0", secret)); got != "" {
		t.Fatalf("after a read without after: %q, want nothing", got)
	}
	// A message the previous version pushed (a list, no ids) is delivered.
	if err := rdb.RPush(ctx, prefix+"rest:mailbox:{k}", `{"text":"vieja","expect":"text"}`).Err(); err != nil {
		t.Fatal(err)
	}
	push("nueva")
	if got := texts(get(t, url+"?after=0", secret)); got != "vieja,nueva" {
		t.Fatalf("with the previous version's message: %q, want vieja,nueva", got)
	}
	for _, bad := range []string{"x", "1", "1-x", "-1", "0-0-0"} {
		req, _ := http.NewRequest("GET", url+"?after="+bad, nil)
		req.Header.Set(rest.SecretHeader, secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("after=%s: %d, want 400", bad, res.StatusCode)
		}
	}
}
