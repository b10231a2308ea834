package rest_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/rest"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

type echo struct{}

func (echo) Handle(_ context.Context, in dialog.Inbound) (dialog.Result, error) {
	return dialog.Result{Replies: []dialog.Reply{{Msg: i18n.Raw(in.Chat + ":" + in.Text), Expect: dialog.ExpectText}}}, nil
}

func setup(t *testing.T) (*httptest.Server, *rest.Handler) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	rdb := testenv.Redis(t)
	box := rest.NewRedisMailbox(rdb, testenv.Prefix(t, rdb, "rest"), time.Hour)
	h := rest.New(bot.New(echo{}, cat.Printer(i18n.ES), slog.New(slog.DiscardHandler)), "", box)
	mux := http.NewServeMux()
	h.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, h
}

type replies struct {
	Replies []struct {
		Text   string `json:"text"`
		Expect string `json:"expect"`
	} `json:"replies"`
}

func get(t *testing.T, url string) replies {
	t.Helper()
	res, err := http.Get(url)
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
	// An agent's messages, pushed by any replica, wait in order.
	ctx := context.Background()
	for _, text := range []string{"uno", "dos"} {
		if err := h.SendText(ctx, "p", text); err != nil {
			t.Fatal(err)
		}
	}
	got := get(t, srv.URL+"/v1/chat/p/messages")
	if len(got.Replies) != 2 || got.Replies[0].Text != "uno" || got.Replies[1].Text != "dos" {
		t.Fatalf("pushed %+v", got)
	}
	if again := get(t, srv.URL+"/v1/chat/p/messages"); len(again.Replies) != 0 {
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
