package desk

import (
	"context"
	"crypto/rand"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"github.com/clavebot/clavebot/i18n"
)

// Config is the desk's behaviour.
type Config struct {
	Hours   Hours            // when agents answer; zero Hours is always open
	Printer *i18n.Printer    // renders the bot's transcript for agents
	Now     func() time.Time // the clock; time.Now when nil
	NewID   func() string    // conversation ids; random when nil
	Log     *slog.Logger
}

// Handoffs is the side of the desk the engine hands chats to (a
// dialog.Desk): a person waits for an agent, writes to them, leaves, rates
// the help. It needs no engine, so it is built before the engine, over the
// queue, the records, and the outbox that tells waiting people their
// place.
type Handoffs struct {
	cfg  Config
	q    Queue
	rec  Records
	out  Deliverer
	tell sync.Mutex // one round of position updates at a time
	// started is when this process began following the hours: of
	// processes on other hours, the one started last wins.
	started time.Time
}

// NewHandoffs returns the hand-overs over their queue, their records and
// the outbox that reaches people.
func NewHandoffs(cfg Config, q Queue, rec Records, out Deliverer) *Handoffs {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NewID == nil {
		cfg.NewID = func() string { return rand.Text()[:16] }
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	cfg.Log = cfg.Log.With("component", "desk")
	return &Handoffs{cfg: cfg, q: q, rec: rec, out: out, started: cfg.Now()}
}

// Hours are the desk's opening hours.
func (h *Handoffs) Hours() Hours { return h.cfg.Hours }

// publish tells the agents' pages of c; a lost notice only delays a
// refresh.
func (h *Handoffs) publish(ctx context.Context, kind string, c Conversation) {
	h.publishEvent(ctx, Event{Kind: kind, Chat: c.Chat, Conv: c.ID, Agent: holder(c)})
}

func (h *Handoffs) publishEvent(ctx context.Context, e Event) {
	if err := h.q.Publish(ctx, e); err != nil {
		h.cfg.Log.Warn("desk event not published", "err", err)
	}
}

// Desk is the agents' side of the help desk: what agents do on the desk's
// page. It works on the hand-overs' queue, records and outbox, and is
// given the engine that hands a chat back to the bot.
type Desk struct {
	h     *Handoffs
	eng   Engine
	chats [64]sync.Mutex // an agent's messages to one chat go out in order
}

// New returns the agents' desk over h, with the engine.
func New(h *Handoffs, eng Engine) *Desk { return &Desk{h: h, eng: eng} }

// Hours are the desk's opening hours.
func (d *Desk) Hours() Hours { return d.h.Hours() }

// lock serializes the agent's messages to one chat in this process.
func (d *Desk) lock(chat string) func() {
	h := fnv.New32a()
	h.Write([]byte(chat))
	m := &d.chats[h.Sum32()%uint32(len(d.chats))]
	m.Lock()
	return m.Unlock
}
