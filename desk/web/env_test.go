package web_test

import (
	"sync"

	"github.com/clavebot/clavebot/internal/testenv"

	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/bot/rest"
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

var discard = slog.New(slog.DiscardHandler)

// cheap hashes keep the tests fast; serve uses registry.DefaultHashParams.
var cheap = registry.HashParams{Memory: 64, Time: 1, Threads: 1}

const agentPassword = "correcta-horse-7"

// env is a clavebot serving the REST channel and the desk: the real
// engine over a registry on SQLite, state and desk in the test Redis.
type env struct {
	srv      *httptest.Server
	rdb      redis.UniversalClient
	prefix   string
	desk     *desk.Desk
	handoffs *desk.Handoffs
	store    *sqldesk.DB
	acc      *desk.Accounts
	// twin starts another desk server over the same Redis and database,
	// as a second replica would be.
	twin func(t *testing.T) *httptest.Server
	// secrets are the REST chats' secrets, which reading their pushed
	// messages needs.
	secrets sync.Map
	// dropDB closes the database under the desk, as a database gone away.
	dropDB func()
}

func testRedis(t *testing.T) (redis.UniversalClient, string) {
	t.Helper()
	c := testenv.Redis(t)
	return c, testenv.Prefix(t, c, "deskweb")
}

// hooks put a test's own code around the env's parts, to hold one of
// them at a chosen moment.
type hooks struct {
	// records wraps the desk's records; desk wraps the desk the engine
	// hands chats to.
	records func(desk.Records) desk.Records
	desk    func(dialog.Desk) dialog.Desk
	// stats wraps where the desk's figures are read.
	stats func(desk.StatsSource) desk.StatsSource
	// handler wraps the desk server's handler, as the network between it
	// and the browser would.
	handler func(http.Handler) http.Handler
	// events wraps where the desk servers hear the desk's events.
	events func(web.Events) web.Events
}

func newEnv(t *testing.T, opts ...web.Option) *env {
	t.Helper()
	return newHookedEnv(t, hooks{}, opts...)
}

func newHookedEnv(t *testing.T, hk hooks, opts ...web.Option) *env {
	t.Helper()
	ctx := context.Background()
	rdb, prefix := testRedis(t)
	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "r.db"), discard,
		sqlstore.WithMigrations(sqldesk.SetName, sqldesk.Migrations()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f, err := os.Open("../../dialog/testdata/citizens.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := db.Import(ctx, f, nil); err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	hasher := registry.NewHasher(cheap, 2)
	reg := registry.NewService(db, hasher, registry.DefaultPolicy(), 42, registry.WithLogger(discard))
	store := sqldesk.New(db.DB())
	q := redisdesk.New(rdb, prefix)

	local := bot.NewLocal(discard, bot.WithQuestions(relay.NewQuestions(rdb, prefix)))
	out := bot.NewOutbox(cat.Printer(i18n.ES), local, bot.WithQueue(relay.New(rdb, prefix, local, discard)))
	var rec desk.Records = store
	if hk.records != nil {
		rec = hk.records(store)
	}
	handoffs := desk.NewHandoffs(desk.Config{Printer: cat.Printer(i18n.ES)}, q, rec, out)
	var toDesk dialog.Desk = handoffs
	if hk.desk != nil {
		toDesk = hk.desk(handoffs)
	}
	eng := dialog.New(redisstore.New(rdb, redisstore.WithPrefix(prefix)), reg, cat, dialog.WithDesk(toDesk))
	b := bot.New(eng, cat.Printer(i18n.ES), discard, bot.WithOutbox(out))
	restCh := rest.New(b, "", rest.NewRedisMailbox(rdb, prefix, time.Hour), rest.WithSecrets(rest.NewRedisSecrets(rdb, prefix)))
	local.Register(restCh)
	d := desk.New(handoffs, eng)

	sessions := redisdesk.NewSessions(rdb, prefix)
	acc, err := desk.NewAccounts(ctx, store, hasher, desk.WithRevoker(sessions))
	if err != nil {
		t.Fatal(err)
	}
	if err := acc.Add(ctx, "ana", agentPassword, desk.RoleAgent); err != nil {
		t.Fatal(err)
	}
	var stats desk.StatsSource = store
	if hk.stats != nil {
		stats = hk.stats(store)
	}
	serve := func(t *testing.T, extra func(*http.ServeMux)) *httptest.Server {
		t.Helper()
		var ev web.Events = q
		if hk.events != nil {
			ev = hk.events(q)
		}
		h, err := web.New(d, acc, sessions, redisdesk.NewLimiter(rdb, prefix), stats, ev,
			append([]web.Option{web.WithCanned(cat, i18n.ES)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		mux := http.NewServeMux()
		extra(mux)
		h.Register(mux)
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { h.Run(rctx); close(done) }()
		var root http.Handler = mux
		if hk.handler != nil {
			root = hk.handler(mux)
		}
		srv := httptest.NewServer(root)
		t.Cleanup(func() { srv.Close(); cancel(); <-done })
		return srv
	}
	srv := serve(t, restCh.Register)
	twin := func(t *testing.T) *httptest.Server { return serve(t, func(*http.ServeMux) {}) }
	dropDB := func() { db.DB().Close() }
	return &env{srv: srv, rdb: rdb, prefix: prefix, desk: d, handoffs: handoffs, store: store, acc: acc, twin: twin, dropDB: dropDB}
}

// makeSupervisor makes the agent name (with agentPassword) a supervisor.
func (e *env) makeSupervisor(t *testing.T, name string) {
	t.Helper()
	ctx := context.Background()
	if err := e.store.RemoveAgent(ctx, name); err != nil {
		t.Fatal(err)
	}
	if err := e.acc.Add(ctx, name, agentPassword, desk.RoleSupervisor); err != nil {
		t.Fatal(err)
	}
}

type restReply struct {
	Text    string   `json:"text"`
	Options []string `json:"options"`
	Expect  string   `json:"expect"`
}

// say is a person writing on the REST channel.
func (e *env) say(t *testing.T, chat, text string) []restReply {
	t.Helper()
	rs, err := e.trySay(chat, text)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// trySay is say for a goroutine other than the test's.
func (e *env) trySay(chat, text string) ([]restReply, error) {
	body, _ := json.Marshal(map[string]string{"chat": chat, "text": text})
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/v1/chat", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	// The person's client sends the chat's secret once it has one: a chat
	// whose secret was used refuses requests without it.
	if s, ok := e.secrets.Load(chat); ok {
		req.Header.Set(rest.SecretHeader, s.(string))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct{ Replies []restReply }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	if s := resp.Header.Get(rest.SecretHeader); s != "" {
		e.secrets.Store(chat, s)
	}
	return out.Replies, nil
}

// pushed is what the person's REST mailbox got since last asked.
func (e *env) pushed(t *testing.T, chat string) []restReply {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/v1/chat/"+chat+"/messages", nil)
	if s, ok := e.secrets.Load(chat); ok {
		req.Header.Set(rest.SecretHeader, s.(string))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Replies []restReply }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Replies
}
