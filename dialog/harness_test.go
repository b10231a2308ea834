package dialog_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/dialogtest"
	"github.com/clavebot/clavebot/dialog/faq"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/sqlstore"
	"github.com/redis/go-redis/v9"
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
	// msgID, when set, makes the message id of the nth message sent (a
	// channel's own ids); else it is n.
	msgID func(n int) string
	// replay sends messages as the REST chat does (Inbound.Replay).
	replay bool
	// turns counts the messages sent to each chat; onTurn, when set, runs
	// after each.
	turns  map[string]int
	onTurn func()
}

// sharedClassifier is trained once per test process, for every harness;
// once, since the tests that wait on a lock run in parallel.
var sharedClassifier = sync.OnceValues(faq.New)

// catalog is the embedded catalogs, loaded once and shared by every
// harness: a Catalog is read-only once loaded, and loading it (every JSON
// file of every language) cost each harness a third of what opening its
// registry does under -race.
var catalog = sync.OnceValues(i18n.Load)

func classifier(t testing.TB) *faq.Classifier {
	t.Helper()
	c, err := sharedClassifier()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newHarness(t testing.TB, opts ...dialog.Option) *harness {
	t.Helper()
	h := &harness{t: t, ctx: context.Background(), now: time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)}
	h.db = openRegistryCopy(t)
	h.reg = h.service(h.db)
	var err error
	if h.cat, err = catalog(); err != nil {
		t.Fatal(err)
	}
	h.store = dialogtest.NewMemStore(dialogtest.WithClock(h.clock))
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
	return openRegistryAt(t, url, true)
}

// openRegistryAt opens the database at url, importing
// testdata/citizens.jsonl when told to.
func openRegistryAt(t testing.TB, url string, populate bool) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, url, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if !populate {
		return db
	}
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

// registryTemplate is a SQLite registry migrated and holding
// testdata/citizens.jsonl, made once per test process (in the folder
// TestMain removes): each harness opens a copy of its file, so every test
// still has a database of its own. Under -race, modernc's SQLite parsing
// the schema's migrations was most of what a harness cost, paid by every
// test.
var registryTemplate struct {
	once sync.Once
	dir  string // set by TestMain
	path string
	err  error
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "clavebot-dialog-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	registryTemplate.dir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// openRegistryCopy opens, in the test's own folder, a copy of the
// template registry: migrated, holding testdata/citizens.jsonl.
func openRegistryCopy(t testing.TB) *sqlstore.DB {
	t.Helper()
	registryTemplate.once.Do(func() {
		registryTemplate.path, registryTemplate.err = makeRegistryTemplate(registryTemplate.dir)
	})
	if registryTemplate.err != nil {
		t.Fatal(registryTemplate.err)
	}
	raw, err := os.ReadFile(registryTemplate.path)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "registry.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return openRegistryAt(t, "sqlite:"+path, false)
}

// makeRegistryTemplate writes the template registry into dir and closes
// it, so that its file alone holds it (SQLite's write-ahead log is
// checkpointed and removed as the last connection closes).
func makeRegistryTemplate(dir string) (string, error) {
	if dir == "" {
		return "", errors.New("no folder for the template registry (TestMain did not run)")
	}
	ctx := context.Background()
	path := filepath.Join(dir, "registry.db")
	db, err := sqlstore.Open(ctx, "sqlite:"+path, slog.New(slog.DiscardHandler))
	if err != nil {
		return "", err
	}
	f, err := os.Open("testdata/citizens.jsonl")
	if err != nil {
		db.Close()
		return "", err
	}
	defer f.Close()
	if _, err := db.Import(ctx, f, nil); err != nil {
		db.Close()
		return "", err
	}
	if err := db.Close(); err != nil {
		return "", err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + suffix); err == nil {
			return "", fmt.Errorf("the template registry left %s behind: its file alone does not hold it", path+suffix)
		}
	}
	return path, nil
}

// service is the registry over db, with cheap hashing and the fake clock.
func (h *harness) service(db *sqlstore.DB) *registry.Service {
	cheap := registry.HashParams{Memory: 64, Time: 1, Threads: 1}
	return registry.NewService(db, registry.NewHasher(cheap, 2), registry.DefaultPolicy(), 42, registry.WithClock(h.clock))
}

// restart builds a new engine, as after a restart of the bot.
func (h *harness) restart() {
	h.eng = dialog.New(h.store, h.reg, h.cat, h.opts...)
}

// useRedis builds a new engine whose state store is the test Redis, under
// a key prefix of its own, and returns that prefix.
func (h *harness) useRedis(rdb *redis.Client) string {
	prefix := testenv.Prefix(h.t, rdb, "dialog")
	h.eng = dialog.New(redisstore.New(rdb, redisstore.WithPrefix(prefix)), h.reg, h.cat, h.opts...)
	return prefix
}

// send delivers text to chat and returns the replies.
func (h *harness) send(chat, text string) []dialog.Reply {
	h.t.Helper()
	h.ids++
	id := strconv.Itoa(h.ids)
	if h.msgID != nil {
		id = h.msgID(h.ids)
	}
	res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: id, Text: text, Channel: "test", Replay: h.replay})
	if err != nil {
		h.t.Fatalf("Handle(%q): %v", text, err)
	}
	if h.turns == nil {
		h.turns = map[string]int{}
	}
	h.turns[chat]++
	if h.onTurn != nil {
		h.onTurn()
	}
	return res.Replies
}

// step sends text and checks what the bot then waits for, and that the
// replies hold each of want (see has). Tests speak message keys: the
// wording is the catalogs' business.
func (h *harness) step(chat, text string, expect dialog.Expect, want ...i18n.Message) []dialog.Reply {
	h.t.Helper()
	rs := h.send(chat, text)
	if len(rs) == 0 {
		h.t.Fatalf("after %q: no replies", text)
	}
	if got := rs[len(rs)-1].Expect; got != expect {
		h.t.Fatalf("after %q: expect %q, want %q\n%s", text, got, expect, h.dump(rs))
	}
	for _, w := range want {
		if !has(rs, w) {
			h.t.Fatalf("after %q: replies lack %s:\n%s", text, show(w), h.dump(rs))
		}
	}
	return rs
}

// has reports whether a reply, or an option of one, is want: the same key
// (a key ending in ".*" stands for any key under that prefix) with at
// least want's arguments, equal; for a raw message, the same text.
func has(rs []dialog.Reply, want i18n.Message) bool {
	for _, r := range rs {
		if sameMsg(r.Msg, want) || slices.ContainsFunc(r.Options, func(o i18n.Message) bool { return sameMsg(o, want) }) {
			return true
		}
	}
	return false
}

func sameMsg(got, want i18n.Message) bool {
	if want.Key == "" {
		return got.Key == "" && got.Text == want.Text
	}
	if prefix, ok := strings.CutSuffix(string(want.Key), "*"); ok {
		if !strings.HasPrefix(string(got.Key), prefix) {
			return false
		}
	} else if got.Key != want.Key {
		return false
	}
	for name, w := range want.Args {
		g, ok := got.Args[name]
		if !ok || !sameArg(g, w) {
			return false
		}
	}
	return true
}

func sameArg(got, want any) bool {
	switch w := want.(type) {
	case time.Time:
		g, ok := got.(time.Time)
		return ok && g.Equal(w)
	case i18n.Message:
		g, ok := got.(i18n.Message)
		return ok && sameMsg(g, w)
	}
	return fmt.Sprint(got) == fmt.Sprint(want)
}

// keys lists the replies' message keys (raw texts as they are).
func keys(rs []dialog.Reply) []string {
	var out []string
	for _, r := range rs {
		out = append(out, show(r.Msg))
	}
	return out
}

func show(m i18n.Message) string {
	if m.Key == "" {
		return strconv.Quote(m.Text)
	}
	if len(m.Args) == 0 {
		return string(m.Key)
	}
	return fmt.Sprintf("%s%v", m.Key, m.Args)
}

// dump shows replies as keys with their arguments and options, then as a
// Spanish reader sees them, for failure messages.
func (h *harness) dump(rs []dialog.Reply) string {
	var sb strings.Builder
	p := h.cat.Printer(i18n.ES)
	for _, r := range rs {
		sb.WriteString(show(r.Msg) + "  [" + string(r.Expect) + "]\n    " + p.Sprint(r.Msg) + "\n")
		for i, o := range r.Options {
			sb.WriteString("      " + strconv.Itoa(i+1) + ". " + show(o) + "\n")
		}
	}
	return sb.String()
}

// shown renders the replies, options included, in every language: what a
// person could read, to check that nothing reaches them that should not.
func (h *harness) shown(rs []dialog.Reply) string {
	var sb strings.Builder
	for _, lang := range h.cat.Langs() {
		p := h.cat.Printer(lang)
		for _, r := range rs {
			sb.WriteString(p.Sprint(r.Msg) + "\n")
			for _, o := range r.Options {
				sb.WriteString(p.Sprint(o) + "\n")
			}
		}
	}
	return sb.String()
}

func last(rs []dialog.Reply) dialog.Reply { return rs[len(rs)-1] }

// optionKeys lists the options of the last reply.
func optionKeys(rs []dialog.Reply) []string {
	var out []string
	for _, o := range last(rs).Options {
		out = append(out, show(o))
	}
	return out
}

// question1 is the first of three identity questions, whatever its kind.
var question1 = i18n.M("question.*", "n", 1, "total", 3)

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
func (h *harness) answerQuestions(chat, cuil string, lastWrong bool) []dialog.Reply {
	h.t.Helper()
	qs := h.questions(cuil)
	var rs []dialog.Reply
	for i, q := range qs {
		a := q.Answer
		if lastWrong && i == len(qs)-1 {
			a = (a + 1) % len(q.Options)
		}
		rs = h.send(chat, strconv.Itoa(a+1))
	}
	return rs
}

// toFirstNamesStep takes a new chat into create for María up to her first
// names, her CUIL given.
func (h *harness) toFirstNamesStep(chat string) {
	h.t.Helper()
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "1", dialog.ExpectCUIL)
	h.step(chat, maria, dialog.ExpectFirstNames)
}

// toBirthDateStep takes a new chat through create for María up to her
// birth date, her names and surnames given.
func (h *harness) toBirthDateStep(chat string) {
	h.t.Helper()
	h.toFirstNamesStep(chat)
	h.step(chat, "María Belén", dialog.ExpectLastNames)
	h.step(chat, "Gómez Ruiz", dialog.ExpectBirthDate)
}

// toDNIStep goes on to the DNI, the birth date given.
func (h *harness) toDNIStep(chat string) {
	h.t.Helper()
	h.toBirthDateStep(chat)
	h.step(chat, "14/03/1985", dialog.ExpectDNI)
}

// lockChange takes a new chat through change for María with wrong keys
// until her key is locked; it returns the last replies (the lockout's
// offer of recovery).
func (h *harness) lockChange(chat string) []dialog.Reply {
	h.t.Helper()
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "3", dialog.ExpectCUIL)
	h.step(chat, maria, dialog.ExpectCurrentKey)
	for range 4 {
		h.step(chat, "Equivocada1", dialog.ExpectCurrentKey)
	}
	return h.step(chat, "Equivocada1", dialog.ExpectChoice, i18n.M("change.locked"))
}

// toContacts takes a new chat through the contact flow for María, whose
// key is key, up to her contacts.
func (h *harness) toContacts(chat, key string) {
	h.t.Helper()
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "7", dialog.ExpectCUIL)
	h.step(chat, maria, dialog.ExpectCurrentKey)
	h.step(chat, key, dialog.ExpectChoice, i18n.M("contacts.ask"))
}

// toKeyStep takes a new chat through create up to the new key.
func (h *harness) toKeyStep(chat string) {
	h.t.Helper()
	h.toFirstNamesStep(chat)
	h.step(chat, "maria belen", dialog.ExpectLastNames)
	h.step(chat, "GOMEZ RUIZ", dialog.ExpectBirthDate)
	h.step(chat, "14/03/1985", dialog.ExpectDNI)
	h.step(chat, "31.456.789", dialog.ExpectChoice, question1)
	rs := h.answerQuestions(chat, maria, false)
	if got := last(rs).Expect; got != dialog.ExpectNewKey {
		h.t.Fatalf("after the questions: expect %q\n%s", got, h.dump(rs))
	}
}

// dialogtestStore is an empty state store: a flushed Redis.
func dialogtestStore(h *harness) *dialogtest.MemStore {
	return dialogtest.NewMemStore(dialogtest.WithClock(h.clock))
}

// failValidation takes a new chat through create for Ana with a wrong
// birth date (a DNI that is not the CUIL's is asked again first):
// one failed validation of her CUIL. It returns the last replies.
func (h *harness) failValidation(chat string) []dialog.Reply {
	h.t.Helper()
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "1", dialog.ExpectCUIL)
	h.step(chat, ana, dialog.ExpectFirstNames)
	h.send(chat, "Ana")
	h.send(chat, "López")
	h.send(chat, "26/07/1990")
	return h.send(chat, "35999888")
}
