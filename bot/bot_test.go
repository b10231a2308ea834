package bot_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

type failing struct{}

func (failing) Handle(context.Context, convo.Inbound) (convo.Result, error) {
	return convo.Result{}, errors.New("redis: connection refused")
}

type secret struct{}

func (secret) Handle(context.Context, convo.Inbound) (convo.Result, error) {
	return convo.Result{Secret: true, Replies: []convo.Reply{{Msg: i18n.Raw("ok"), Expect: convo.ExpectConfirmKey}}}, nil
}

// recorder is a text-only channel that records what it sends.
type recorder struct {
	mu   sync.Mutex
	sent []string
}

func (r *recorder) Name() string { return "rec" }
func (r *recorder) SendText(_ context.Context, _, text string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, text)
	return nil
}

// deleter can delete messages.
type deleter struct {
	recorder
	deleted []string
}

func (d *deleter) DeleteMessage(_ context.Context, _, id string) error {
	d.deleted = append(d.deleted, id)
	return nil
}

func newBot(t *testing.T, e bot.Engine) *bot.Bot {
	return bot.New(e, printer(t), slog.New(slog.DiscardHandler))
}

func printer(t *testing.T) *i18n.Printer {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cat.Printer(i18n.ES)
}

func TestEngineFailureGetsAnApology(t *testing.T) {
	msgs, _ := newBot(t, failing{}).Handle(context.Background(), convo.Inbound{Chat: "x:1", Text: "hola"})
	if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "No perdiste nada") {
		t.Fatalf("replies %+v, want a kind apology", msgs)
	}
}

func TestKeyMessageDeletedOrPersonAsked(t *testing.T) {
	b := newBot(t, secret{})
	d := &deleter{}
	b.Turn(context.Background(), d, "1", convo.Inbound{Chat: "x:1", ID: "m7", Text: "Clave2025x"})
	if len(d.deleted) != 1 || d.deleted[0] != "m7" || len(d.sent) != 1 {
		t.Fatalf("deleting channel: deleted %v, sent %v", d.deleted, d.sent)
	}
	r := &recorder{}
	b.Turn(context.Background(), r, "1", convo.Inbound{Chat: "x:1", ID: "m8", Text: "Clave2025x"})
	if len(r.sent) != 2 || !strings.Contains(r.sent[0], "borrá el mensaje") {
		t.Fatalf("channel that cannot delete: sent %v, want a request to delete first", r.sent)
	}
}

func TestSequencerKeepsEachChatInOrder(t *testing.T) {
	s := bot.NewSequencer(4, 8)
	var mu sync.Mutex
	got := map[string][]int{}
	for i := range 100 {
		for _, chat := range []string{"a", "b", "c"} {
			s.Do(chat, func() {
				mu.Lock()
				got[chat] = append(got[chat], i)
				mu.Unlock()
			})
		}
	}
	s.Close()
	for chat, seq := range got {
		for i, v := range seq {
			if v != i {
				t.Fatalf("chat %s ran job %d at position %d", chat, v, i)
			}
		}
	}
}
