package telegram_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/telegram"
	"github.com/clavebot/clavebot/bot/telegram/telegramtest"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

const token = "123456:TEST-token_abc"

// fakeEngine scripts replies and watches how it is called: the order of
// each chat's messages, and whether a chat ever had two turns at once. Like
// the real engine it ignores a message id it already handled.
type fakeEngine struct {
	mu       sync.Mutex
	seen     map[string][]convo.Inbound
	ids      map[string]bool
	inFlight map[string]int
	overlap  bool
	gate     func(ctx context.Context, in convo.Inbound) // runs inside a turn, when set
}

var _ bot.Engine = (*fakeEngine)(nil)

func newFakeEngine() *fakeEngine {
	return &fakeEngine{seen: map[string][]convo.Inbound{}, ids: map[string]bool{}, inFlight: map[string]int{}}
}

var menuOptions = []string{"Crear mi clave", "Recuperar mi clave", "Cambiar mi clave"}

func (e *fakeEngine) Handle(ctx context.Context, in convo.Inbound) (convo.Result, error) {
	if !e.enter(in) {
		return convo.Result{}, nil
	}
	defer e.leave(in)
	if e.gate != nil {
		e.gate(ctx, in)
	}
	return script(in), nil
}

func (e *fakeEngine) enter(in convo.Inbound) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ids[in.Chat+"/"+in.ID] {
		return false
	}
	e.ids[in.Chat+"/"+in.ID] = true
	e.seen[in.Chat] = append(e.seen[in.Chat], in)
	e.inFlight[in.Chat]++
	if e.inFlight[in.Chat] > 1 {
		e.overlap = true
	}
	return true
}

func (e *fakeEngine) leave(in convo.Inbound) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.inFlight[in.Chat]--
}

func (e *fakeEngine) inbound(chat string) []convo.Inbound {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]convo.Inbound(nil), e.seen[chat]...)
}

func (e *fakeEngine) overlapped() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.overlap
}

func reply(text string, expect convo.Expect, options ...string) convo.Reply {
	r := convo.Reply{Msg: i18n.Raw(text), Expect: expect}
	for _, o := range options {
		r.Options = append(r.Options, i18n.Raw(o))
	}
	return r
}

// longText is a reply of about 10,000 UTF-16 units in paragraphs, with
// characters outside the BMP that count twice.
var longText = strings.Repeat("Para crear tu clave necesitás tu DNI y tu CUIL a mano 🙂. ", 15) + "\n\n" +
	strings.Repeat("Renglón con acentos: áéíóú ñ ü ", 40) + "\n" + strings.Repeat("x", 5000) + "\n\n" +
	strings.Repeat("Último párrafo 👍 ", 120)

func script(in convo.Inbound) convo.Result {
	switch {
	case in.Media != "" && strings.HasPrefix(in.Caption, "clave:"):
		return convo.Result{Secret: true, Replies: []convo.Reply{reply("Por ahora solo puedo leer texto.", convo.ExpectText)}}
	case in.Media != "":
		return convo.Result{Replies: []convo.Reply{reply("Por ahora solo puedo leer texto.", convo.ExpectText)}}
	case in.Text == "opciones":
		return convo.Result{Replies: []convo.Reply{reply("¿Qué querés hacer?", convo.ExpectMenu, menuOptions...)}}
	case strings.HasPrefix(in.Text, "clave:"):
		return convo.Result{Secret: true, Replies: []convo.Reply{reply("Listo, ya la leí.", convo.ExpectConfirmKey)}}
	case in.Text == "largo":
		return convo.Result{Replies: []convo.Reply{reply(longText, convo.ExpectText)}}
	}
	return convo.Result{Replies: []convo.Reply{reply("eco: "+in.Text, convo.ExpectText)}}
}

// harness runs a Channel against a fake Bot API.
type harness struct {
	api *telegramtest.Server
	eng *fakeEngine
	ch  *telegram.Channel
	bot *bot.Bot

	logs *syncBuffer

	mu      sync.Mutex
	waits   []time.Duration
	waitedT time.Duration // the waits, added to the channel's clock
}

// recordWait is the channel's wait before a retry: it returns at once,
// and the channel's clock moves on by d, as if it had waited.
func (h *harness) recordWait(_ context.Context, d time.Duration) error {
	h.advance(d)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.waits = append(h.waits, d)
	return nil
}

// now is the channel's clock (and the outbox's): the time, and the waits
// it did not wait.
func (h *harness) now() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return time.Now().Add(h.waitedT)
}

// advance moves the channel's clock on by d.
func (h *harness) advance(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.waitedT += d
}

func (h *harness) retryWaits() []time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]time.Duration(nil), h.waits...)
}

// syncBuffer is a log sink shared by the channel's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newHarness builds the channel; run starts it.
func newHarness(t *testing.T, eng bot.Engine, opts ...telegram.Option) (*harness, *telegram.Channel) {
	t.Helper()
	return newHarnessBot(t, eng, nil, opts...)
}

// newHarnessBot is newHarness with the bot's options (its outbox).
func newHarnessBot(t *testing.T, eng bot.Engine, bopts []bot.Option, opts ...telegram.Option) (*harness, *telegram.Channel) {
	t.Helper()
	h := &harness{api: telegramtest.New(token)}
	t.Cleanup(h.api.Close)
	if fe, ok := eng.(*fakeEngine); ok {
		h.eng = fe
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	h.logs = logs
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("channel log:\n%s", logs)
		}
	})
	base := []telegram.Option{telegram.WithServerURL(h.api.URL), telegram.WithPollTimeout(5 * time.Second), telegram.WithRetryWait(h.recordWait), telegram.WithClock(h.now)}
	h.bot = bot.New(eng, cat.Printer(i18n.ES), log, bopts...)
	ch, err := telegram.New(token, h.bot, log, append(base, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.ch = ch
	return h, ch
}

func (h *harness) run(t *testing.T) {
	t.Helper()
	h.runUntilStop(t)
}

// runUntilStop runs the channel until stop (once, at the latest when
// the test ends), which waits for Run to return: the lanes end what they
// took first.
func (h *harness) runUntilStop(t *testing.T) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.ch.Run(ctx) }()
	stop = sync.OnceFunc(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("Run did not return after its context ended")
		}
	})
	t.Cleanup(stop)
	return stop
}

func start(t *testing.T, opts ...telegram.Option) *harness {
	t.Helper()
	h, _ := newHarness(t, newFakeEngine(), opts...)
	h.run(t)
	return h
}

// waitFor fails the test when cond does not hold within a generous bound
// (a hang guard, not a timing assertion).
func (h *harness) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := h.api.WaitUntil(ctx, cond); err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

// texts are the texts of the successful calls of method to chat.
func (h *harness) texts(method string, chat int64) []string {
	var out []string
	for _, c := range h.api.OK(method) {
		if c.Params["chat_id"] == itoa(chat) {
			out = append(out, c.Params["text"])
		}
	}
	return out
}

func (h *harness) waitReplies(t *testing.T, chat int64, n int) []string {
	t.Helper()
	h.waitFor(t, itoa(chat)+" replies", func() bool { return len(h.texts("sendMessage", chat)) >= n })
	return h.texts("sendMessage", chat)
}
