package cloud

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
	"github.com/clavebot/clavebot/bot/whatsapp/internal/wtest"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// dedupEngine drops a message id it already handled, as dialog.Engine
// does, and records what it handled.
type dedupEngine struct {
	inner wtest.Engine
	mu    sync.Mutex
	ids   map[string]bool
	got   []convo.Inbound
}

func (e *dedupEngine) Handle(ctx context.Context, in convo.Inbound) (convo.Result, error) {
	e.mu.Lock()
	if e.ids[in.Chat+"/"+in.ID] {
		e.mu.Unlock()
		return convo.Result{}, nil
	}
	e.ids[in.Chat+"/"+in.ID] = true
	e.got = append(e.got, in)
	e.mu.Unlock()
	return e.inner.Handle(ctx, in)
}

func (e *dedupEngine) handled() []convo.Inbound {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]convo.Inbound(nil), e.got...)
}

// TestRedeliveryToAnotherReplicaChangesNothing: two replicas behind the
// webhook share Redis; Meta delivers Alice's "menu" again to the other
// one, which has not seen its id (found by a probe). The redelivery
// forgot the current question before the engine dropped it, and Alice's
// tap on the menu she was looking at was told it was an earlier
// message's. Then her tap, delivered again to the first replica, must not
// be told so either, nor handled twice.
func TestRedeliveryToAnotherReplicaChangesNothing(t *testing.T) {
	rdb := testenv.Redis(t)
	prefix := testenv.Prefix(t, rdb, "redeliver")
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	g := graphtest.New(graphtest.WithoutStatuses())
	t.Cleanup(g.Close)
	eng := &dedupEngine{ids: map[string]bool{}}
	replica := func() (*Cloud, *httptest.Server) {
		local := bot.NewLocal(slog.New(slog.DiscardHandler), bot.WithQuestions(relay.NewQuestions(rdb, prefix)))
		r := relay.New(rdb, prefix, local, slog.New(slog.DiscardHandler), relay.WithWorkers(0))
		o := bot.NewOutbox(cat.Printer(i18n.ES), local, bot.WithQueue(r))
		b := bot.New(eng, cat.Printer(i18n.ES), wtest.Quiet(), bot.WithOutbox(o))
		c, err := New(Config{PhoneNumberID: g.PhoneNumberID, AccessToken: g.Token, AppSecret: g.AppSecret,
			VerifyToken: "v", APIURL: g.URL + "/", Receipts: r}, b, wtest.Quiet())
		if err != nil {
			t.Fatal(err)
		}
		local.Register(c)
		srv := httptest.NewServer(c)
		t.Cleanup(srv.Close)
		return c, srv
	}
	redeliver := func(msg map[string]any) {
		t.Helper()
		c, srv := replica() // one that has not seen the message
		p := graphtest.Payload(g.PhoneNumberID, g.DisplayNumber, []map[string]any{msg}, nil)
		if code, err := graphtest.PostWebhook(context.Background(), http.DefaultClient, srv.URL, g.AppSecret, p); err != nil || code != 200 {
			t.Fatal(code, err)
		}
		c.Close() // waits for the turn
	}
	deliver := func(do func() (string, int, error)) string {
		t.Helper()
		c, srv := replica()
		g.SetWebhook(srv.URL)
		id, code, err := do()
		if err != nil || code != 200 {
			t.Fatal(code, err)
		}
		c.Close()
		return id
	}

	id := deliver(func() (string, int, error) { return g.Text(alice, "menu") })
	sent := g.Sent(alice)
	menu := sent[len(sent)-1]
	redeliver(graphtest.TextMessage(alice, id, "menu", g.Now()))
	tapID := deliver(func() (string, int, error) { return g.Tap(alice, menu.ID, menu.Options[0].ID) })
	kind := menu.Kind + "_reply"
	redeliver(map[string]any{"from": alice, "id": tapID, "timestamp": strconv.FormatInt(g.Now().Unix(), 10), "type": "interactive",
		"interactive": map[string]any{"type": kind, kind: map[string]any{"id": menu.Options[0].ID, "title": menu.Options[0].Title}}})

	if got := eng.handled(); len(got) != 2 || got[1].ID != tapID {
		t.Errorf("engine handled %+v, want the menu and Alice's tap once each", got)
	}
	for _, text := range g.Texts(alice) {
		if text == cat.Printer(i18n.ES).Sprint(i18n.M("bot.stale_tap")) {
			t.Errorf("Alice was told her tap was stale: %q", g.Texts(alice))
		}
	}
}
