package rest_test

import (
	"encoding/json"
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

// TestRedisDownIsToldToThePerson: with Redis down, a chat whose secret
// cannot be read or stored (no --api-token) was answered 503
// {"error":"try again later"}, nothing for the person, where the same
// outage behind the API token, or PostgreSQL's, gets the apology in the
// person's language (a resilience probe, two serve replicas over a cut
// Redis). The answer is that apology, which asks for nothing the person
// could type a key into; when Redis is back the chat goes on.
func TestRedisDownIsToldToThePerson(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	real := testenv.Redis(t)
	p := testenv.NewProxy(t, real.Options().Addr)
	rdb := redis.NewClient(&redis.Options{Addr: p.Addr(), DB: real.Options().DB, MaxRetries: -1,
		DialTimeout: 200 * time.Millisecond, ReadTimeout: 500 * time.Millisecond})
	t.Cleanup(func() { rdb.Close() })
	secrets := rest.NewRedisSecrets(rdb, testenv.Prefix(t, real, "rest"))
	printer := cat.Printer(i18n.ES)
	h := rest.New(bot.New(echo{}, printer, slog.New(slog.DiscardHandler)), "", nil, rest.WithSecrets(secrets))
	mux := http.NewServeMux()
	h.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	post := func(secret, text string) (int, replies) {
		t.Helper()
		req, _ := http.NewRequest("POST", srv.URL+"/v1/chat", strings.NewReader(`{"chat":"outage","text":"`+text+`"}`))
		if secret != "" {
			req.Header.Set(rest.SecretHeader, secret)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var r replies
		if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, r
	}
	_, first := post("", "hola")
	if first.Secret == "" {
		t.Fatal("no chat secret issued")
	}

	p.Cut(true)
	apology := printer.Sprint(i18n.M("error.state_unknown"))
	for _, tt := range []struct{ name, secret string }{{"a new client", ""}, {"the chat's client", first.Secret}} {
		code, r := post(tt.secret, "Nueva2024zz")
		if code != http.StatusOK || len(r.Replies) != 1 || r.Replies[0].Text != apology || r.Replies[0].Expect != "text" {
			t.Errorf("%s, Redis down: %d %+v, want 200 and %q, expecting text", tt.name, code, r.Replies, apology)
		}
	}
	p.Restore()
	if code, r := post(first.Secret, "sigo"); code != http.StatusOK || len(r.Replies) != 1 || r.Replies[0].Text != "rest:outage:sigo" {
		t.Errorf("Redis back: %d %+v, want the chat going on", code, r.Replies)
	}
}
