package telegram_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/telegram"
	"github.com/clavebot/clavebot/bot/telegram/telegramtest"
	"github.com/go-telegram/bot/models"
)

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

const secret = "s3cr3t_Token-1"

// startWebhook runs a channel in webhook mode behind a test HTTP server
// that mounts its handler at telegram.WebhookPath.
func startWebhook(t *testing.T, eng bot.Engine) (*harness, string) {
	t.Helper()
	h, _, url := startWebhookBot(t, eng, nil)
	return h, url
}

// startWebhookBot is startWebhook with the bot's options (its outbox),
// returning the channel too.
func startWebhookBot(t *testing.T, eng bot.Engine, bopts []bot.Option) (*harness, *telegram.Channel, string) {
	t.Helper()
	var handler http.Handler
	mux := http.NewServeMux()
	mux.Handle(telegram.WebhookPath, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	url := srv.URL + telegram.WebhookPath
	h, ch := newHarnessBot(t, eng, bopts, telegram.WithWebhook(url, secret))
	handler = ch.WebhookHandler()
	h.run(t)
	return h, ch, url
}

func TestWebhook(t *testing.T) {
	h, url := startWebhook(t, newFakeEngine())
	h.waitFor(t, "setWebhook", func() bool { return len(h.api.OK("setWebhook")) == 1 })
	set := h.api.OK("setWebhook")[0].Params
	if set["url"] != url || set["secret_token"] != secret {
		t.Errorf("setWebhook %v", set)
	}

	h.api.Text(1001, "hola")
	if got := h.waitReplies(t, 1001, 1); got[0] != "eco: hola" {
		t.Errorf("reply %q", got[0])
	}
	if n := len(h.api.Calls("getUpdates")); n != 0 {
		t.Errorf("%d getUpdates calls in webhook mode", n)
	}

	update := map[string]any{"update_id": 7, "message": map[string]any{
		"message_id": 99, "date": 1700000000, "text": "intruso",
		"chat": map[string]any{"id": 1001, "type": "private"}, "from": map[string]any{"id": 1001, "is_bot": false, "first_name": "X"},
	}}
	tests := []struct {
		name, secret string
		want         int
	}{
		{"wrong secret", "otro", http.StatusUnauthorized},
		{"no secret", "", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, err := telegramtest.PostUpdate(context.Background(), url, tt.secret, update)
			if err != nil || status != tt.want {
				t.Errorf("status %d (%v), want %d", status, err, tt.want)
			}
		})
	}
	t.Run("GET", func(t *testing.T) {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("status %d", resp.StatusCode)
		}
	})

	// A redelivered update keeps its message id, so the engine drops it.
	h.api.Text(1001, "segundo")
	h.waitReplies(t, 1001, 2)
	for i := 0; i < 2; i++ {
		if status, err := telegramtest.PostUpdate(context.Background(), url, secret, update); err != nil || status != 200 {
			t.Fatalf("right secret: status %d (%v)", status, err)
		}
	}
	h.api.Text(1001, "tercero")
	got := h.waitReplies(t, 1001, 4)
	want := []string{"eco: hola", "eco: segundo", "eco: intruso", "eco: tercero"}
	if len(got) != len(want) {
		t.Fatalf("replies %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("reply %d = %q, want %q", i, got[i], want[i])
		}
	}
	if in := h.eng.inbound("telegram:1001"); len(in) != 4 {
		t.Errorf("engine handled %d messages, want 4 (refused and repeated ones not)", len(in))
	}
}

func TestWebhookBeforeRunIsRefusedForLater(t *testing.T) {
	_, ch := newHarness(t, newFakeEngine(), telegram.WithWebhook("https://example.invalid"+telegram.WebhookPath, secret))
	srv := httptest.NewServer(ch.WebhookHandler())
	defer srv.Close()
	status, err := telegramtest.PostUpdate(context.Background(), srv.URL, secret, map[string]any{"update_id": 1})
	if err != nil || status != http.StatusServiceUnavailable {
		t.Errorf("status %d (%v), want 503 so Telegram retries", status, err)
	}
}

// TestUnreadableUpdateIsNotLogged: an update the library cannot decode (a
// kind of forward Telegram adds later) was logged whole at error, the
// person's text with it: a key typed, a CUIL, a name. It is read as its
// essentials now (TestUpdatesTheLibraryCannotRead); the line that says
// so, and any library error that quotes a body, hold none of it.
func TestUnreadableUpdateIsNotLogged(t *testing.T) {
	h, url := startWebhook(t, newFakeEngine())
	h.waitFor(t, "setWebhook", func() bool { return len(h.api.OK("setWebhook")) == 1 })
	h.api.Text(1001, "hola")
	h.waitReplies(t, 1001, 1)
	update := map[string]any{"update_id": 8, "message": map[string]any{
		"message_id": 100, "date": 1700000000, "text": "mi clave es Mandarina#2026",
		"forward_origin": map[string]any{"type": "a_kind_to_come", "date": 1700000000},
		"chat":           map[string]any{"id": 1001, "type": "private"}, "from": map[string]any{"id": 1001, "is_bot": false, "first_name": "Lucía"},
	}}
	status, err := telegramtest.PostUpdate(context.Background(), url, secret, update)
	if err != nil || status != http.StatusOK {
		t.Fatalf("status %d (%v)", status, err)
	}
	h.waitReplies(t, 1001, 2)
	out := h.logs.String()
	if !strings.Contains(out, "read as their text alone") {
		t.Fatalf("no line for the unreadable update:\n%s", out)
	}
	for _, s := range []string{"Mandarina", "Lucía", "clave"} {
		if strings.Contains(out, s) {
			t.Fatalf("the log holds %q:\n%s", s, out)
		}
	}
}

// TestWebhookUpdateIsDecodedOnce: each webhook call's update was decoded
// by the channel, to find one the library could not read (see readable),
// and then again by the library. It is decoded once.
func TestWebhookUpdateIsDecodedOnce(t *testing.T) {
	h, ch, url := startWebhookBot(t, newFakeEngine(), nil)
	h.waitFor(t, "setWebhook", func() bool { return len(h.api.OK("setWebhook")) == 1 })
	var entities []map[string]any
	for i := range 100 {
		entities = append(entities, map[string]any{"type": "text_link", "offset": i, "length": 1, "url": "https://example.org/" + strconv.Itoa(i)})
	}
	// A group's message, which the bot ignores: the call does nothing else.
	body, err := json.Marshal(map[string]any{"update_id": 9, "message": map[string]any{
		"message_id": 99, "date": 1700000000, "text": strings.Repeat("a", 100), "entities": entities,
		"chat": map[string]any{"id": -1001, "type": "group"}, "from": map[string]any{"id": 1001, "is_bot": false, "first_name": "X"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	once := testing.AllocsPerRun(10, func() {
		var u models.Update
		if err := json.Unmarshal(body, &u); err != nil {
			t.Fatal(err)
		}
	})
	handler := ch.WebhookHandler()
	allocs := testing.AllocsPerRun(10, func() {
		req := httptest.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("webhook answered %d", rec.Code)
		}
	})
	if allocs > 1.5*once {
		t.Fatalf("a webhook call made %.0f allocations, decoding its update takes %.0f: it is decoded twice", allocs, once)
	}
}
