package desk

import (
	"context"
	"crypto/rand"
	"errors"
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

// Desk is the help desk: the dialog.Desk the engine hands chats to, and
// what agents do on the desk's page.
type Desk struct {
	cfg   Config
	q     Queue
	rec   Records
	out   Deliverer
	mu    sync.RWMutex
	eng   Engine
	chats [64]sync.Mutex // an agent's messages to one chat go out in order
	tell  sync.Mutex     // one round of position updates at a time
}

// New returns a desk over its queue, its records and the outbox that
// reaches people; SetEngine must be called before agents reply.
func New(cfg Config, q Queue, rec Records, out Deliverer) *Desk {
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
	return &Desk{cfg: cfg, q: q, rec: rec, out: out}
}

// SetEngine sets the engine: the engine is built with the desk, so the
// desk learns of it afterwards.
func (d *Desk) SetEngine(e Engine) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.eng = e
}

func (d *Desk) engine() (Engine, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.eng == nil {
		return nil, errors.New("desk: no engine set")
	}
	return d.eng, nil
}

// Hours are the desk's opening hours.
func (d *Desk) Hours() Hours { return d.cfg.Hours }

// lock serializes the agent's messages to one chat in this process.
func (d *Desk) lock(chat string) func() {
	h := fnv.New32a()
	h.Write([]byte(chat))
	m := &d.chats[h.Sum32()%uint32(len(d.chats))]
	m.Lock()
	return m.Unlock
}

// publish tells the agents' pages; a lost notice only delays a refresh.
func (d *Desk) publish(ctx context.Context, kind, chat string) {
	if err := d.q.Publish(ctx, Event{Kind: kind, Chat: chat}); err != nil {
		d.cfg.Log.Warn("desk event not published", "err", err)
	}
}
