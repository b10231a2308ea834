package bot

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/clavebot/clavebot/dialog/convo"
)

// Outbox delivers messages that are not answers to a person's message (an
// agent's reply, the rating question, a reminder, a queue position) to the
// chat's own channel. Chat ids are channel-qualified ("telegram:123"); the
// prefix picks the channel.
//
// With a Queue (bot/relay, in Redis) every such message is stored first
// and stays there until a process that runs the chat's channel has sent
// it: at least once, and, thanks to its key, never twice. Without one (a
// terminal chat with no shared Redis) it is sent here and now.
type Outbox struct {
	bot      *Bot
	mu       sync.RWMutex
	channels map[string]Channel
	queue    Queue
	now      func() time.Time
}

// Queue keeps out-of-turn messages, in order, until they are sent.
type Queue interface {
	// Put stores envs for chat. An envelope whose key was stored before
	// is not stored again.
	Put(ctx context.Context, chat string, envs []Envelope) error
}

// Arrivals is a Queue told of each person's message before the bot
// answers it: what waited for the person (a closed WhatsApp window, a bot
// they had blocked) goes out first. It returns how many it sent.
type Arrivals interface {
	Arrived(ctx context.Context, chat string) (int, error)
}

// Envelope is one out-of-turn message with its idempotency key.
type Envelope struct {
	Key string    `json:"key"`
	Msg Message   `json:"msg"`
	At  time.Time `json:"at"` // when it was handed to the outbox
}

// ErrNotHere means the chat's channel is not run (or not ready) in this
// process.
var ErrNotHere = errors.New("outbox: chat's channel is not in this process")

// NewOutbox returns an Outbox that renders with b; b hands it the replies
// a turn could not send.
func NewOutbox(b *Bot) *Outbox {
	o := &Outbox{bot: b, channels: map[string]Channel{}, now: time.Now}
	b.outbox = o
	return o
}

// Register makes ch the channel for chats prefixed with its name.
func (o *Outbox) Register(ch Channel) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.channels[ch.Name()] = ch
}

// SetQueue makes q keep every out-of-turn message until it is sent.
func (o *Outbox) SetQueue(q Queue) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.queue = q
}

func (o *Outbox) queueAs() Queue {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.queue
}

// Deliver renders replies and delivers them to chat. key names this
// delivery: a second Deliver with the same key (a retried request, a
// reminder handed over twice) sends nothing more. The error says the
// messages could not even be stored; what becomes of them later is told
// by their statuses (see relay).
func (o *Outbox) Deliver(ctx context.Context, chat, key string, replies []convo.Reply) error {
	return o.DeliverMessages(ctx, chat, key, o.bot.Render(replies))
}

// DeliverMessages delivers rendered msgs to chat under key (see Deliver).
// The first message's key is key itself; the others' are key#2, key#3…
func (o *Outbox) DeliverMessages(ctx context.Context, chat, key string, msgs []Message) error {
	if len(msgs) == 0 {
		return nil
	}
	if _, _, ok := strings.Cut(chat, ":"); !ok {
		return fmt.Errorf("outbox: chat %q has no channel prefix", chat)
	}
	if key == "" {
		key = NewKey("msg")
	}
	envs := make([]Envelope, len(msgs))
	at := o.now()
	for i, m := range msgs {
		envs[i] = Envelope{Key: EnvelopeKey(key, i), Msg: m, At: at}
	}
	if q := o.queueAs(); q != nil {
		return q.Put(ctx, chat, envs)
	}
	for _, e := range envs {
		if _, err := o.SendOnce(ctx, chat, e); err != nil {
			return err
		}
	}
	return nil
}

// EnvelopeKey is the key of the i-th (0-based) message of a delivery.
func EnvelopeKey(key string, i int) string {
	if i == 0 {
		return key
	}
	return key + "#" + strconv.Itoa(i+1)
}

// NewKey makes a unique key of the given kind ("agent", "reminder"...).
// The kind, before the first colon, labels the message in metrics.
func NewKey(kind string) string { return kind + ":" + rand.Text() }

// KindOf is the kind of a key made by NewKey, or by hand as "kind:...".
func KindOf(key string) string {
	kind, _, ok := strings.Cut(key, ":")
	if !ok {
		return "other"
	}
	return kind
}

// spill hands a turn's unsent replies to the outbox, which keeps trying.
func (b *Bot) spill(ctx context.Context, ch Channel, in convo.Inbound, msgs []Message, cause error) {
	if b.outbox == nil || b.outbox.queueAs() == nil {
		b.log.Error("replies lost: no outbox to keep them", "channel", ch.Name(), "n", len(msgs), "err", cause)
		return
	}
	key := "reply:" + in.ID
	if in.ID == "" {
		key = NewKey("reply")
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := b.outbox.DeliverMessages(ctx, in.Chat, key, msgs); err != nil {
		b.log.Error("replies lost: outbox unavailable", "channel", ch.Name(), "n", len(msgs), "err", err)
		return
	}
	b.log.Warn("replies left to the outbox", "channel", ch.Name(), "n", len(msgs), "err", cause)
}

// arrived tells the outbox the person wrote; on a Tagger it also forgets
// the current question (the person moved on; the replies set a new one).
func (b *Bot) arrived(ctx context.Context, ch Channel, chat string) {
	_, tracked := ch.(Tracker)
	if b.outbox != nil && tracked {
		if a, ok := b.outbox.queueAs().(Arrivals); ok {
			if _, err := a.Arrived(ctx, chat); err != nil {
				b.log.Warn("waiting messages not checked", "channel", ch.Name(), "err", err)
			}
			return
		}
	}
	if _, ok := ch.(Tagger); ok {
		_ = b.questions().Asked(ctx, chat, "")
	}
}

// Resume is a person's message that only asks for what waited for them
// (a tap on the template that reopened a WhatsApp conversation): what
// waited is sent, and when nothing did, the message is an ordinary turn.
func (b *Bot) Resume(ctx context.Context, ch Channel, chat string, in convo.Inbound) {
	if b.outbox != nil {
		if a, ok := b.outbox.queueAs().(Arrivals); ok {
			n, err := a.Arrived(ctx, in.Chat)
			if err == nil && n > 0 {
				return
			}
		}
	}
	b.Turn(ctx, ch, chat, in)
}

// SendOnce sends one queued message through this process's channel for
// chat, once, and returns the platform's id of it; ErrNotHere when the
// channel is not here or not ready.
func (o *Outbox) SendOnce(ctx context.Context, chat string, e Envelope) (string, error) {
	ch, id, err := o.local(chat)
	if err != nil {
		return "", err
	}
	return o.bot.sendOnce(ctx, ch, id, chat, e)
}

// Has reports whether this process delivers to chat now.
func (o *Outbox) Has(chat string) bool {
	_, _, err := o.local(chat)
	return err == nil
}

// Channels names the channels registered and ready in this process.
func (o *Outbox) Channels() []string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	names := make([]string, 0, len(o.channels))
	for n, ch := range o.channels {
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
func (o *Outbox) Registered() []string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	names := make([]string, 0, len(o.channels))
	for n := range o.channels {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Window is how long chat's channel may write after the person's last
// message; zero when it has no such limit.
func (o *Outbox) Window(chat string) time.Duration {
	ch, _, err := o.local(chat)
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
func (o *Outbox) Reopen(ctx context.Context, chat, key string) (id, template string, err error) {
	ch, cid, err := o.local(chat)
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

func (o *Outbox) local(chat string) (Channel, string, error) {
	name, id, ok := strings.Cut(chat, ":")
	if !ok {
		return nil, "", fmt.Errorf("outbox: chat %q has no channel prefix", chat)
	}
	o.mu.RLock()
	ch, found := o.channels[name]
	o.mu.RUnlock()
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
