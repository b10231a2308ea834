package dialog_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/dialogtest"
	"github.com/clavebot/clavebot/dialog/faq"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

// Citizens of testdata/citizens.jsonl.
const (
	maria = "20-31456789-8" // María Belén Gómez Ruiz, 14/03/1985, DNI 31.456.789
	juan  = "20-40111222-8" // Juan Pérez, 02/11/1997, DNI 40111222, trámite 00612345678
	ana   = "27-35999888-6" // Ana López, 25/07/1990, DNI 35999888, no employers
)

// harness runs the real engine over the real registry service (on a
// temporary SQLite file) and an in-memory state store, with a fake clock.
type harness struct {
	t     testing.TB
	ctx   context.Context
	now   time.Time
	store *dialogtest.MemStore
	db    *sqlstore.DB
	reg   *registry.Service
	cat   *i18n.Catalog
	eng   *dialog.Engine
	opts  []dialog.Option
	ids   int
}

// reply is a rendered reply, as a person would read it.
type reply struct {
	Text    string
	Options []string
	Expect  dialog.Expect
}

var sharedClassifier *faq.Classifier

func classifier(t testing.TB) *faq.Classifier {
	t.Helper()
	if sharedClassifier == nil {
		c, err := faq.New()
		if err != nil {
			t.Fatal(err)
		}
		sharedClassifier = c
	}
	return sharedClassifier
}

func newHarness(t testing.TB, opts ...dialog.Option) *harness {
	t.Helper()
	h := &harness{t: t, ctx: context.Background(), now: time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)}
	h.db = openRegistry(t, "sqlite:"+filepath.Join(t.TempDir(), "registry.db"))
	h.reg = h.service(h.db)
	var err error
	if h.cat, err = i18n.Load(); err != nil {
		t.Fatal(err)
	}
	h.store = dialogtest.NewMemStore(h.clock)
	h.opts = append([]dialog.Option{
		dialog.WithClock(h.clock),
		dialog.WithClassifier(classifier(t), faq.AnswerThreshold, faq.SuggestThreshold),
	}, opts...)
	h.restart()
	return h
}

func (h *harness) clock() time.Time { return h.now }

// openRegistry opens the database at url holding testdata/citizens.jsonl.
func openRegistry(t testing.TB, url string) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, url, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f, err := os.Open("testdata/citizens.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := db.Import(ctx, f, nil); err != nil {
		t.Fatal(err)
	}
	return db
}

// service is the registry over db, with cheap hashing and the fake clock.
func (h *harness) service(db *sqlstore.DB) *registry.Service {
	cheap := registry.HashParams{Memory: 64, Time: 1, Threads: 1}
	return registry.NewService(db, registry.NewHasher(cheap, 2), registry.DefaultPolicy(), h.clock, 42, nil)
}

// restart builds a new engine, as after a restart of the bot.
func (h *harness) restart() {
	h.eng = dialog.New(h.store, h.reg, h.cat, h.opts...)
}

// send delivers text to chat and renders the replies in Spanish.
func (h *harness) send(chat, text string) []reply {
	h.t.Helper()
	h.ids++
	res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: strconv.Itoa(h.ids), Text: text, Channel: "test"})
	if err != nil {
		h.t.Fatalf("Handle(%q): %v", text, err)
	}
	return h.render(res.Replies)
}

func (h *harness) render(rs []dialog.Reply) []reply {
	p := h.cat.Printer(i18n.ES)
	out := make([]reply, len(rs))
	for i, r := range rs {
		out[i] = reply{Text: p.Sprint(r.Msg), Expect: r.Expect}
		for _, o := range r.Options {
			out[i].Options = append(out[i].Options, p.Sprint(o))
		}
	}
	return out
}

// step sends text and checks what the bot then waits for, and that the
// replies contain each of want (substrings).
func (h *harness) step(chat, text string, expect dialog.Expect, want ...string) []reply {
	h.t.Helper()
	rs := h.send(chat, text)
	if len(rs) == 0 {
		h.t.Fatalf("after %q: no replies", text)
	}
	if got := rs[len(rs)-1].Expect; got != expect {
		h.t.Fatalf("after %q: expect %q, want %q\n%s", text, got, expect, dump(rs))
	}
	all := dump(rs)
	for _, w := range want {
		if !strings.Contains(all, w) {
			h.t.Fatalf("after %q: replies lack %q:\n%s", text, w, all)
		}
	}
	return rs
}

func dump(rs []reply) string {
	var sb strings.Builder
	for _, r := range rs {
		sb.WriteString(r.Text)
		for i, o := range r.Options {
			sb.WriteString("\n  " + strconv.Itoa(i+1) + ". " + o)
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

// questions are the identity questions the registry asks of cuil.
func (h *harness) questions(cuil string) []registry.Question {
	h.t.Helper()
	c, err := h.reg.Citizen(h.ctx, registry.CUIL(strings.ReplaceAll(cuil, "-", "")))
	if err != nil {
		h.t.Fatal(err)
	}
	qs, err := h.reg.Questions(h.ctx, c)
	if err != nil {
		h.t.Fatal(err)
	}
	return qs
}

// answerQuestions answers every question right (or the last one wrong).
func (h *harness) answerQuestions(chat, cuil string, lastWrong bool) []reply {
	h.t.Helper()
	qs := h.questions(cuil)
	var rs []reply
	for i, q := range qs {
		a := q.Answer
		if lastWrong && i == len(qs)-1 {
			a = (a + 1) % len(q.Options)
		}
		rs = h.send(chat, strconv.Itoa(a+1))
	}
	return rs
}

// toKeyStep takes a new chat through create up to the new key.
func (h *harness) toKeyStep(chat string) {
	h.t.Helper()
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "1", dialog.ExpectCUIL)
	h.step(chat, maria, dialog.ExpectFirstNames)
	h.step(chat, "maria belen", dialog.ExpectLastNames)
	h.step(chat, "GOMEZ RUIZ", dialog.ExpectBirthDate)
	h.step(chat, "14/03/1985", dialog.ExpectDNI)
	h.step(chat, "31.456.789", dialog.ExpectChoice, "Pregunta 1 de 3")
	rs := h.answerQuestions(chat, maria, false)
	if got := rs[len(rs)-1].Expect; got != dialog.ExpectNewKey {
		h.t.Fatalf("after the questions: expect %q\n%s", got, dump(rs))
	}
}

// dialogtestStore is an empty state store: a flushed Redis.
func dialogtestStore(h *harness) *dialogtest.MemStore { return dialogtest.NewMemStore(h.clock) }

// failValidation takes a new chat through create for Ana with a wrong DNI:
// one failed validation of her CUIL. It returns the last replies.
func (h *harness) failValidation(chat string) []reply {
	h.t.Helper()
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "1", dialog.ExpectCUIL)
	h.step(chat, ana, dialog.ExpectFirstNames)
	h.send(chat, "Ana")
	h.send(chat, "López")
	h.send(chat, "25/07/1990")
	return h.send(chat, "35999887")
}
