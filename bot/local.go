package bot

import (
	"context"
	"errors"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"
)

// Local is the channels this process runs, by name: what sends an
// out-of-turn message here. The outbox sends through it when it keeps no
// store, and bot/relay when it does. It needs neither, so it is built
// first, and each channel is registered as it is built.
type Local struct {
	mu        sync.RWMutex
	channels  map[string]Channel
	questions Questions
	sealer    *Sealer
	log       *slog.Logger
}

// LocalOption configures a Local.
type LocalOption func(*Local)

// WithQuestions keeps the question each message asks in q (bot/relay's,
// in Redis, shared by every replica); in memory by default.
func WithQuestions(q Questions) LocalOption { return func(l *Local) { l.questions = q } }

// WithOpener opens the sealed messages (see Outbox.DeliverSecret) this
// process sends.
func WithOpener(s *Sealer) LocalOption { return func(l *Local) { l.sealer = s } }

// NewLocal returns a Local with no channel yet.
func NewLocal(log *slog.Logger, opts ...LocalOption) *Local {
	l := &Local{channels: map[string]Channel{}, questions: &memQuestions{}, log: log.With("component", "bot")}
	for _, o := range opts {
		o(l)
	}
	return l
}

// ErrNotHere means the chat's channel is not run (or not ready) in this
// process.
var ErrNotHere = errors.New("outbox: chat's channel is not in this process")

// Register makes ch the channel for chats prefixed with its name.
func (l *Local) Register(ch Channel) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.channels[ch.Name()] = ch
}

// Questions is where the question each message asks is kept.
func (l *Local) Questions() Questions { return l.questions }

// Put sends envs to chat here and now, in order: the queue of an outbox
// that keeps no store (a terminal chat with no shared Redis).
func (l *Local) Put(ctx context.Context, chat string, envs []Envelope) error {
	for _, e := range envs {
		if _, err := l.SendOnce(ctx, chat, e); err != nil {
			return err
		}
	}
	return nil
}

// SendOnce sends one queued message through this process's channel for
// chat, once, and returns the platform's id of it; ErrNotHere when the
// channel is not here or not ready.
func (l *Local) SendOnce(ctx context.Context, chat string, e Envelope) (string, error) {
	ch, id, err := l.local(chat)
	if err != nil {
		return "", err
	}
	if e.Sealed {
		text, err := l.sealer.open(e.Key, e.Msg.Text)
		if err != nil {
			// No try will open it here: given up, never sent sealed.
			return "", &SendError{Failure: Refused, Code: "sealed", Reason: "a sealed message this process cannot open", Err: err}
		}
		e.Msg.Text = text
	}
	m := tag(ch, e.Msg)
	var sent string
	if t, ok := ch.(Tracker); ok {
		sent, err = t.SendOnce(ctx, id, m, e.Key)
	} else {
		err = sendMessage(ctx, ch, id, m, e.Key)
	}
	if err != nil {
		return "", err
	}
	asked(ctx, l.questions, l.log, chat, m)
	return sent, nil
}

// Has reports whether this process delivers to chat now.
func (l *Local) Has(chat string) bool {
	_, _, err := l.local(chat)
	return err == nil
}

// Channels names the channels registered and ready in this process.
func (l *Local) Channels() []string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	names := make([]string, 0, len(l.channels))
	for n, ch := range l.channels {
		if r, ok := ch.(Ready); ok && !r.Ready() {
			continue
		}
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Registered names every channel registered in this process, ready or
// not.
func (l *Local) Registered() []string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	names := make([]string, 0, len(l.channels))
	for n := range l.channels {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Window is how long chat's channel may write after the person's last
// message; zero when it has no such limit.
func (l *Local) Window(chat string) time.Duration {
	ch, _, err := l.local(chat)
	if err != nil {
		return 0
	}
	if w, ok := ch.(Windowed); ok {
		return w.Window()
	}
	return 0
}

// ErrNoTemplate means the chat's window closed and no template can
// reopen it: its messages wait until the person writes.
var ErrNoTemplate = errors.New("outbox: no template configured to reopen the conversation")

// Reopen sends chat's channel's template under key, and returns the
// platform's id of it and the template's name.
func (l *Local) Reopen(ctx context.Context, chat, key string) (id, template string, err error) {
	ch, cid, err := l.local(chat)
	if err != nil {
		return "", "", err
	}
	r, ok := ch.(Reopener)
	if !ok || r.Template() == "" {
		return "", "", ErrNoTemplate
	}
	id, err = r.Reopen(ctx, cid, key)
	return id, r.Template(), err
}

// Withdraw takes back chat's unread messages of kind where its channel
// keeps them (Withdrawer); elsewhere what was sent was read or shown.
func (l *Local) Withdraw(ctx context.Context, chat, kind string) error {
	ch, id, err := l.local(chat)
	if errors.Is(err, ErrNotHere) {
		return nil
	}
	if err != nil {
		return err
	}
	if w, ok := ch.(Withdrawer); ok {
		return w.Withdraw(ctx, id, kind)
	}
	return nil
}

func (l *Local) local(chat string) (Channel, string, error) {
	name, id, ok := strings.Cut(chat, ":")
	if !ok {
		return nil, "", errors.New("outbox: a chat id has no channel prefix")
	}
	l.mu.RLock()
	ch, found := l.channels[name]
	l.mu.RUnlock()
	if !found {
		return nil, "", ErrNotHere
	}
	if r, ok := ch.(Ready); ok && !r.Ready() {
		return nil, "", ErrNotHere
	}
	if ow, ok := ch.(Owner); ok && !ow.Owns(id) {
		return nil, "", ErrNotHere
	}
	return ch, id, nil
}

// ChatID qualifies a channel's own chat id.
func ChatID(channel, id string) string { return channel + ":" + id }
