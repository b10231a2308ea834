package rest_test

import (
	"context"
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
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// attackSetup is setup with the Redis client and prefix, so a test can see
// how long what a chat keeps lives.
func attackSetup(t *testing.T) (*httptest.Server, *rest.Handler, *redis.Client, string) {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	rdb := testenv.Redis(t)
	prefix := testenv.Prefix(t, rdb, "rest")
	box := rest.NewRedisMailbox(rdb, prefix, 24*time.Hour)
	h := rest.New(bot.New(echo{}, cat.Printer(i18n.ES), slog.New(slog.DiscardHandler)), "", box,
		rest.WithSecrets(rest.NewRedisSecrets(rdb, prefix)))
	mux := http.NewServeMux()
	h.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, h, rdb, prefix
}

func do(t *testing.T, method, url, body, secret string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if secret != "" {
		req.Header.Set(rest.SecretHeader, secret)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header.Get(rest.SecretHeader)
}

// TestStrangerCannotUseAChatWhoseSecretIsInUse is issue 8's attack on a REST
// chat without an API token: the stranger knows (or guesses) the chat id
// of a person whose client holds and uses the chat's secret. Whatever the
// stranger sends without that secret, or with a wrong one, is refused: they
// cannot answer the person's questions (and see what they reveal), type a
// new key for them, or drain the agent's replies.
func TestStrangerCannotUseAChatWhoseSecretIsInUse(t *testing.T) {
	srv, h, _, _ := attackSetup(t)
	code, _, secret := do(t, "POST", srv.URL+"/v1/chat", `{"chat":"victim","text":"hola"}`, "")
	if code != 200 || secret == "" {
		t.Fatalf("first POST: %d, secret %q", code, secret)
	}
	// The person's client goes on with its secret.
	if code, _, _ := do(t, "POST", srv.URL+"/v1/chat", `{"chat":"victim","text":"quiero crear mi clave"}`, secret); code != 200 {
		t.Fatalf("the owner's POST: %d", code)
	}
	if err := h.SendText(context.Background(), "victim", "te escribe Ana, del equipo de ayuda"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, method, url, body, secret string
	}{
		{"POST without secret", "POST", "/v1/chat", `{"chat":"victim","text":"Clave1234"}`, ""},
		{"POST with a wrong secret", "POST", "/v1/chat", `{"chat":"victim","text":"Clave1234"}`, "wrong"},
		{"POST with a secret of the same length", "POST", "/v1/chat", `{"chat":"victim","text":"1"}`, strings.Repeat("A", len(secret))},
		{"GET without secret", "GET", "/v1/chat/victim/messages", "", ""},
		{"GET with a wrong secret", "GET", "/v1/chat/victim/messages", "", "wrong"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, body, issued := do(t, tt.method, srv.URL+tt.url, tt.body, tt.secret)
			if code != http.StatusForbidden || issued != "" || strings.Contains(body, "victim") || strings.Contains(body, "Ana") {
				t.Fatalf("%d %s (secret issued %q), want 403 and nothing of the chat", code, body, issued)
			}
		})
	}
	// The person still reads their agent's reply.
	code, body, _ := do(t, "GET", srv.URL+"/v1/chat/victim/messages", "", secret)
	if code != 200 || !strings.Contains(body, "Ana") {
		t.Fatalf("the owner's GET: %d %s", code, body)
	}
}

// TestSecretOutlivesWhatWaitsForThePerson: a chat's secret lasts at least
// as long as the messages waiting in its mailbox. Were it to expire first,
// whoever POSTs to the chat id then would be issued a new secret, seal the
// chat, drain the agent's replies meant for the person and lock the person
// (with the old secret) out of them.
func TestSecretOutlivesWhatWaitsForThePerson(t *testing.T) {
	srv, h, rdb, prefix := attackSetup(t)
	_, _, secret := do(t, "POST", srv.URL+"/v1/chat", `{"chat":"victim","text":"hola"}`, "")
	ctx := context.Background()
	secretKey, boxKey := prefix+"rest:secret:{victim}", prefix+"rest:outbox:{victim}"
	// The secret's time is nearly up when an agent answers.
	if err := rdb.PExpire(ctx, secretKey, time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	if err := h.SendText(ctx, "victim", "te escribe Ana"); err != nil {
		t.Fatal(err)
	}
	secretTTL, boxTTL := rdb.PTTL(ctx, secretKey).Val(), rdb.PTTL(ctx, boxKey).Val()
	if boxTTL <= 0 || secretTTL < boxTTL {
		t.Fatalf("secret lives %v, the agent's reply waits %v: a stranger may re-seal the chat in between", secretTTL, boxTTL)
	}
	// A stranger's POST cannot take the chat, and the person reads the reply.
	if code, _, issued := do(t, "POST", srv.URL+"/v1/chat", `{"chat":"victim","text":"hola"}`, ""); issued != "" {
		t.Fatalf("a stranger was issued a secret (%d)", code)
	}
	if code, body, _ := do(t, "GET", srv.URL+"/v1/chat/victim/messages", "", secret); code != 200 || !strings.Contains(body, "Ana") {
		t.Fatalf("the owner's GET: %d %s", code, body)
	}
}

// TestOwnerComesBackAfterTheSecretExpired: when everything of a chat has
// expired, the person's client presenting its old secret gets the chat id
// back under that secret; a stranger who came first with no secret got a
// new chat, not the person's.
func TestOwnerComesBackAfterTheSecretExpired(t *testing.T) {
	srv, _, rdb, prefix := attackSetup(t)
	_, _, secret := do(t, "POST", srv.URL+"/v1/chat", `{"chat":"victim","text":"hola"}`, "")
	if err := rdb.Del(context.Background(), prefix+"rest:secret:{victim}").Err(); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := do(t, "POST", srv.URL+"/v1/chat", `{"chat":"victim","text":"hola"}`, secret); code != 200 {
		t.Fatalf("the owner's POST after expiry: %d", code)
	}
	if code, _, issued := do(t, "POST", srv.URL+"/v1/chat", `{"chat":"victim","text":"hola"}`, ""); code != http.StatusForbidden || issued != "" {
		t.Fatalf("a stranger after the owner came back: %d, issued %q", code, issued)
	}
}

// TestClientChosenSecretSurvivesALostFirstAnswer: a client that chooses
// the chat's secret (X-Chat-Secret on its first POST) loses nothing when
// the answer to that POST is lost: sent again, it goes on, and the chat's
// pushed messages are read with the secret; a stranger is refused (found
// by a probe: a server-issued secret in a lost first answer is lost).
func TestClientChosenSecretSurvivesALostFirstAnswer(t *testing.T) {
	srv, h, _, _ := attackSetup(t)
	const mine = "c1ient-chosen-secret-0123456789"
	body := `{"chat":"own","text":"hola","id":"m1"}`
	first, _, issued := do(t, "POST", srv.URL+"/v1/chat", body, mine)
	again, _, issuedAgain := do(t, "POST", srv.URL+"/v1/chat", body, mine)
	if first != 200 || again != 200 || issued != "" || issuedAgain != "" {
		t.Fatalf("first POST %d (issued %q), again %d (issued %q); want 200 and no secret issued", first, issued, again, issuedAgain)
	}
	if err := h.SendText(context.Background(), "own", "te escribe Ana"); err != nil {
		t.Fatal(err)
	}
	if code, body, _ := do(t, "GET", srv.URL+"/v1/chat/own/messages?after=0", "", mine); code != 200 || !strings.Contains(body, "Ana") {
		t.Fatalf("the owner's GET: %d %s", code, body)
	}
	if code, _, _ := do(t, "POST", srv.URL+"/v1/chat", `{"chat":"own","text":"hola"}`, ""); code != http.StatusForbidden {
		t.Fatalf("a stranger's POST: %d, want 403", code)
	}
}
