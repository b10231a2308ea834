package whatsapp

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/appstate"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/bot/whatsapp/internal/wtest"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

func TestReadyOnlyWithTheLeaseAndConnected(t *testing.T) {
	var held atomic.Bool
	h := newHarness(t, WithLeaseHeld(held.Load))
	defer h.w.Close()
	if h.w.Ready() {
		t.Fatal("ready without a connection")
	}
	h.w.setSession(h.s)
	h.s.handleEvent(&events.Connected{})
	if h.w.Ready() {
		t.Fatal("ready without the lease")
	}
	held.Store(true)
	if !h.w.Ready() {
		t.Fatal("not ready holding the lease, connected")
	}
	h.s.handleEvent(&events.Disconnected{})
	if h.w.Ready() {
		t.Fatal("ready while reconnecting")
	}
	if _, err := h.w.SendOnce(context.Background(), jid(alice).String(), bot.Message{Text: "x"}, "agent:k"); bot.Classify(err).Failure != bot.Retry {
		t.Fatalf("SendOnce while not ready: %v, want retry", err)
	}
}

func TestSendOnceUsesTheKeyAsMessageID(t *testing.T) {
	h := newHarness(t)
	defer h.w.Close()
	chat := jid(alice).String()
	for range 2 { // a retry of the same key
		if _, err := h.s.SendOnce(context.Background(), chat, bot.Message{Text: "Hola, soy Ana"}, "agent:a1"); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(h.cli.Calls()); n != 1 {
		t.Fatalf("the person sees %d messages, want 1: %+v", n, h.cli.Calls())
	}
	if h.cli.ids[0] != MessageID("agent:a1") || MessageID("agent:a1") == MessageID("agent:a2") {
		t.Fatalf("ids %v", h.cli.ids)
	}
	tests := []struct {
		err  error
		want bot.Failure
	}{
		{whatsmeow.ErrNotConnected, bot.Retry},
		{whatsmeow.ErrMessageTimedOut, bot.Unsure},
		{whatsmeow.ErrRecipientADJID, bot.Refused},
	}
	for _, tt := range tests {
		h.cli.fail = []error{tt.err}
		_, err := h.s.SendOnce(context.Background(), chat, bot.Message{Text: "x"}, "agent:x")
		if se := bot.Classify(err); se.Failure != tt.want {
			t.Errorf("%v classified %s, want %s", tt.err, se.Failure, tt.want)
		}
	}
}

type receiptSink struct {
	mu  sync.Mutex
	got []bot.Receipt
}

func (r *receiptSink) Receipt(_ context.Context, rc bot.Receipt) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, rc)
	return nil
}

func TestReceiptsReachTheOutbox(t *testing.T) {
	rs := &receiptSink{}
	h := newHarness(t, WithReceipts(rs))
	r := &events.Receipt{MessageSource: types.MessageSource{Chat: jid(alice), Sender: jid(alice)},
		MessageIDs: []types.MessageID{"3EB0AA"}, Type: types.ReceiptTypeRead, Timestamp: time.Unix(1767225600, 0)}
	h.feed(r)
	deadline := time.Now().Add(5 * time.Second)
	for {
		rs.mu.Lock()
		n := len(rs.got)
		rs.mu.Unlock()
		if n == 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if len(rs.got) != 1 || rs.got[0].ID != "3EB0AA" || rs.got[0].State != bot.Read || rs.got[0].Chat != "whatsapp:"+jid(alice).String() {
		t.Fatalf("receipts %+v", rs.got)
	}
}

// The receipts of a turn's replies stay here: the outbox never sent
// them, and asking Redis about each (two or three a reply) is a round
// trip for nothing. Any other id still reaches the outbox.
func TestReceiptsOfTurnRepliesStayHere(t *testing.T) {
	rs := &receiptSink{}
	h := newHarness(t, WithReceipts(rs))
	h.feed(textMsg(alice, "M1", "hola"))
	made := h.cli.Made()
	if len(made) != 1 {
		t.Fatalf("turn replies sent with ids %v", made)
	}
	h.s.handleEvent(&events.Receipt{MessageSource: types.MessageSource{Chat: jid(alice), Sender: jid(alice)},
		MessageIDs: []types.MessageID{made[0], "3EB0AA"}, Type: types.ReceiptTypeDelivered, Timestamp: time.Unix(1767225600, 0)})
	deadline := time.Now().Add(5 * time.Second)
	for {
		rs.mu.Lock()
		n := len(rs.got)
		rs.mu.Unlock()
		if n >= 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if len(rs.got) != 1 || rs.got[0].ID != "3EB0AA" {
		t.Fatalf("receipts %+v, want only 3EB0AA's", rs.got)
	}
}

// phone is the person's WhatsApp: it shows each message id once,
// whichever replica sent it.
type phone struct {
	mu    sync.Mutex
	shown []string
	ids   map[types.MessageID]bool
}

// replicaClient is one replica's connection to the device.
type replicaClient struct {
	fakeClient
	phone *phone
	mu    sync.Mutex
	down  bool // the connection is gone: sends fail
	lost  int  // the next sends reach the phone but their answer is lost
}

func (c *replicaClient) SendMessage(_ context.Context, to types.JID, m *waE2E.Message, extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error) {
	c.mu.Lock()
	down, lost := c.down, c.lost > 0
	if lost {
		c.lost--
	}
	c.mu.Unlock()
	if down {
		return whatsmeow.SendResponse{}, whatsmeow.ErrNotConnected
	}
	c.phone.mu.Lock()
	if id := extra[0].ID; !c.phone.ids[id] {
		c.phone.ids[id] = true
		c.phone.shown = append(c.phone.shown, m.GetConversation())
	}
	c.phone.mu.Unlock()
	if lost {
		return whatsmeow.SendResponse{}, whatsmeow.ErrMessageTimedOut
	}
	return whatsmeow.SendResponse{ID: extra[0].ID}, nil
}

func (c *replicaClient) SendAppState(context.Context, appstate.PatchInfo) error { return nil }

func (c *replicaClient) setDown(v bool) { c.mu.Lock(); c.down = v; c.mu.Unlock() }

// replica is one serve process with WhatsApp (whatsmeow) and the outbox.
type replica struct {
	w      *WhatsApp
	s      *session
	cli    *replicaClient
	held   atomic.Bool
	outbox *bot.Outbox
}

func TestLeaseTakeoverLosesNothing(t *testing.T) {
	rdb := testenv.Redis(t)
	prefix := testenv.Prefix(t, rdb, "wa")
	p := &phone{ids: map[types.MessageID]bool{}}
	start := func() *replica {
		r := &replica{cli: &replicaClient{phone: p}}
		local := bot.NewLocal(wtest.Quiet(), bot.WithQuestions(relay.NewQuestions(rdb, prefix)))
		rl := relay.New(rdb, prefix, local, slog.New(slog.DiscardHandler),
			relay.WithSweep(20*time.Millisecond), relay.WithRetries(50, 5*time.Millisecond, 20*time.Millisecond))
		cat, err := i18n.Load()
		if err != nil {
			t.Fatal(err)
		}
		r.outbox = bot.NewOutbox(cat.Printer(i18n.ES), local, bot.WithQueue(rl))
		b := wtest.Bot(t, &wtest.Engine{}, bot.WithOutbox(r.outbox))
		r.w = newWhatsApp(b, wtest.Quiet(), WithQRWriter(nil), WithLeaseHeld(r.held.Load))
		r.s = r.w.newSession(r.cli)
		local.Register(r.w)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { rl.Run(ctx); close(done) }()
		t.Cleanup(func() { cancel(); <-done; r.w.Close() })
		return r
	}
	connect := func(r *replica) {
		r.held.Store(true)
		r.w.setSession(r.s)
		r.s.handleEvent(&events.Connected{})
	}
	a, b := start(), start()
	connect(a)
	chat := "whatsapp:" + jid(alice).String()
	say := func(from *replica, i int) {
		t.Helper()
		reply := []convo.Reply{{Msg: i18n.Raw("m" + strconv.Itoa(i))}}
		if err := from.outbox.Deliver(context.Background(), chat, "agent:m"+strconv.Itoa(i), reply); err != nil {
			t.Fatal(err)
		}
	}
	shown := func() []string {
		p.mu.Lock()
		defer p.mu.Unlock()
		return append([]string(nil), p.shown...)
	}
	waitShown := func(n int) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for len(shown()) < n {
			if time.Now().After(deadline) {
				t.Fatalf("the phone shows %q, want %d messages", shown(), n)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	for i := range 5 { // agents on B's desk; A holds the device
		say(b, i)
	}
	waitShown(5)
	// A's connection breaks: its next send reaches the phone, but the
	// answer is lost, and then A loses the lease to B.
	a.cli.mu.Lock()
	a.cli.lost = 1
	a.cli.mu.Unlock()
	for i := 5; i < 10; i++ {
		say(a, i)
	}
	waitShown(6)
	a.cli.setDown(true)
	a.held.Store(false)
	for i := 10; i < 15; i++ {
		say(a, i)
	}
	time.Sleep(100 * time.Millisecond) // nobody can send now; nothing may be lost meanwhile
	connect(b)
	waitShown(15)
	time.Sleep(100 * time.Millisecond)
	got := shown()
	if len(got) != 15 {
		t.Fatalf("the phone shows %d messages, want 15: %q", len(got), got)
	}
	for i, m := range got {
		if m != "m"+strconv.Itoa(i) {
			t.Fatalf("the phone shows %q: lost, doubled or out of order across the takeover", got)
		}
	}
}
