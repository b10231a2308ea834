package bot

import (
	"context"
	"crypto/rand"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

// Outbox delivers messages that are not answers to a person's message (an
// agent's reply, the rating question, a reminder, a queue position) to the
// chat's own channel. Chat ids are channel-qualified ("telegram:123"); the
// prefix picks the channel.
//
// With a Queue (bot/relay, in Redis) every such message is stored first
// and stays there until a process that runs the chat's channel has sent
// it: at least once, and, thanks to its key, never twice. Without one (a
// terminal chat with no shared Redis) it is sent here and now, through
// Local.
type Outbox struct {
	printer *i18n.Printer
	local   *Local
	queue   Queue
	durable bool // the queue keeps what it is given (not Local's send-now)
	sealer  *Sealer
	now     func() time.Time
}

// Queue keeps out-of-turn messages, in order, until they are sent.
type Queue interface {
	// Put stores envs for chat. An envelope whose key was stored before
	// is not stored again.
	Put(ctx context.Context, chat string, envs []Envelope) error
}

// Arrivals is a Queue told of each person's message before the bot
// answers it: what waited for the person (a closed WhatsApp window, a bot
// they had blocked) goes out first. It returns how many waited. A message
// told again (a platform's redelivery, to this process or another) changes
// nothing: the engine drops it as handled, and it must not reopen a
// window, end a stop or make the current question's buttons stale.
type Arrivals interface {
	Arrived(ctx context.Context, in convo.Inbound) (int, error)
}

// TapArrivals is an Arrivals that tells a tap's arrival with its answer,
// in one step (they were two round trips, issue 14), for the bot's
// Questions when it Answers them (they share its store).
type TapArrivals interface {
	// ArrivedTap is Questions.Answer of question for the tap in and,
	// when the tap takes it, Arrived(in), whose count it returns; when
	// it does not, nothing arrived yet, and it returns the chat's
	// current question ("" for none).
	ArrivedTap(ctx context.Context, in convo.Inbound, question string) (taken bool, current string, n int, err error)
	// Answers reports whether q keeps its questions where ArrivedTap
	// answers them.
	Answers(q Questions) bool
}

// Envelope is one out-of-turn message with its idempotency key.
type Envelope struct {
	Key string    `json:"key"`
	Msg Message   `json:"msg"`
	At  time.Time `json:"at"` // when it was handed to the outbox
	// Sealed says Msg.Text is sealed (see Sealer): a secret message, such
	// as a one-time code, opened only by the process that sends it.
	Sealed bool `json:"sealed,omitempty"`
	// ConfirmWithin is set on a turn's reply whose send may have gone
	// out (a 5xx, no answer): the platform may still confirm it, under
	// its key, within that long. The queue keeps it as ConfirmBy, on its
	// own clock, and does not try the message again before.
	ConfirmWithin time.Duration `json:"-"`
	ConfirmBy     time.Time     `json:"confirm_by,omitzero"`
}

// OutboxOption configures an Outbox.
type OutboxOption func(*Outbox)

// WithQueue makes q keep every out-of-turn message until it is sent.
func WithQueue(q Queue) OutboxOption {
	return func(o *Outbox) { o.queue, o.durable = q, true }
}

// WithSealer seals the secret messages (DeliverSecret) the queue keeps.
func WithSealer(s *Sealer) OutboxOption { return func(o *Outbox) { o.sealer = s } }

// NewOutbox returns an Outbox that renders with printer and sends through
// local, or stores in its queue for whichever process runs the chat's
// channel.
func NewOutbox(printer *i18n.Printer, local *Local, opts ...OutboxOption) *Outbox {
	o := &Outbox{printer: printer, local: local, queue: local, now: time.Now}
	for _, opt := range opts {
		opt(o)
	}
	return o
}

// Deliver renders replies and delivers them to chat. key names this
// delivery: a second Deliver with the same key (a retried request, a
// reminder handed over twice) sends nothing more. The error says the
// messages could not even be stored; what becomes of them later is told
// by their statuses (see relay).
func (o *Outbox) Deliver(ctx context.Context, chat, key string, replies []convo.Reply) error {
	return o.DeliverMessages(ctx, chat, key, render(o.printer, replies))
}

// Withdraw takes back chat's messages of kind that wait in the queue
// (a closed WhatsApp window, a platform down) or unread in the channel
// (see Withdrawer): a notice that no longer holds, such as a place in the
// desk's line once the person left it.
func (o *Outbox) Withdraw(ctx context.Context, chat, kind string) error {
	if w, ok := o.queue.(Withdrawer); ok && o.durable {
		if err := w.Withdraw(ctx, chat, kind); err != nil {
			return err
		}
	}
	return o.local.Withdraw(ctx, chat, kind)
}

// errNoSealer refuses a secret message an outbox would store in clear.
var errNoSealer = errors.New("outbox: a secret message would be stored in clear: no sealer")

// DeliverSecret is Deliver for messages that must never be stored in
// clear (a one-time code): with a queue they are sealed first (see
// Sealer), and a queue without a sealer refuses them. Sent here and now
// (no queue), they are stored nowhere.
func (o *Outbox) DeliverSecret(ctx context.Context, chat, key string, replies []convo.Reply) error {
	msgs := render(o.printer, replies)
	if !o.durable {
		return o.DeliverMessages(ctx, chat, key, msgs)
	}
	if o.sealer == nil {
		return errNoSealer
	}
	return o.deliver(ctx, chat, key, msgs, o.sealer)
}

// DeliverMessages delivers rendered msgs to chat under key (see Deliver).
// The first message's key is key itself; the others' are key#2, key#3…
func (o *Outbox) DeliverMessages(ctx context.Context, chat, key string, msgs []Message) error {
	return o.deliver(ctx, chat, key, msgs, nil)
}

// deliver stores msgs under key, their texts sealed when sealer is not
// nil.
func (o *Outbox) deliver(ctx context.Context, chat, key string, msgs []Message, sealer *Sealer) error {
	if len(msgs) == 0 {
		return nil
	}
	if _, _, ok := strings.Cut(chat, ":"); !ok {
		return errors.New("outbox: a chat id has no channel prefix")
	}
	if key == "" {
		key = NewKey("msg")
	}
	msgs = o.local.Split(chat, msgs)
	envs := make([]Envelope, len(msgs))
	at := o.now()
	for i, m := range msgs {
		envs[i] = Envelope{Key: EnvelopeKey(key, i), Msg: m, At: at}
		if sealer != nil {
			envs[i].Msg.Text, envs[i].Sealed = sealer.seal(envs[i].Key, m.Text), true
		}
	}
	return o.queue.Put(ctx, chat, envs)
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

// spill hands a turn's unsent replies, msgs[n:], to the outbox, which
// keeps trying, each under the key it was sent with (see send). When the
// first one's send may have gone out and the platform confirms sends on
// its own (cause is Unsure with ConfirmWithin), it waits that long for
// the platform's word before it is tried again.
func (b *Bot) spill(ctx context.Context, ch Channel, chat, key string, n int, msgs []Message, cause error) {
	left := len(msgs) - n
	if b.outbox == nil || !b.outbox.durable {
		b.log.Error("replies lost: no outbox to keep them", "channel", ch.Name(), "n", left, "err", cause)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	now := b.outbox.now()
	envs := make([]Envelope, 0, left)
	for i := n; i < len(msgs); i++ {
		envs = append(envs, Envelope{Key: EnvelopeKey(key, i), Msg: msgs[i], At: now})
	}
	if se := Classify(cause); se.Failure == Unsure && se.ConfirmWithin > 0 {
		envs[0].ConfirmWithin = se.ConfirmWithin
	}
	if err := b.outbox.queue.Put(ctx, chat, envs); err != nil {
		b.log.Error("replies lost: outbox unavailable", "channel", ch.Name(), "n", left, "err", err)
		return
	}
	b.log.Warn("replies left to the outbox", "channel", ch.Name(), "n", left, "err", cause)
}

// arrivals is the outbox's queue when it is told of each person's message.
func (b *Bot) arrivals() (Arrivals, bool) {
	if b.outbox == nil {
		return nil, false
	}
	a, ok := b.outbox.queue.(Arrivals)
	return a, ok
}

// Backlog is an Arrivals that tells whether a chat's messages still wait
// after the drain a person's message started: the platform refused them
// for now (Telegram's 429, Meta's rate limits, a 5xx), a send waits for
// the platform's word, a drain runs elsewhere.
type Backlog interface {
	Waiting(ctx context.Context, chat string) (bool, error)
}

// errBehind is why a turn's replies go to the outbox unsent.
var errBehind = errors.New("earlier messages of the chat still wait in the outbox")

// arrived tells the outbox the person wrote; on a Tagger it also forgets
// the current question (the person moved on; the replies set a new one).
// It reports whether messages that waited for the person still wait once
// the outbox tried them: the turn's replies then go behind them, as a
// reply sent now went out before an earlier one the platform had
// throttled (a channels probe: "eco: dos" before "eco: uno").
func (b *Bot) arrived(ctx context.Context, ch Channel, in convo.Inbound) (behind bool) {
	chat := in.Chat
	if _, tracked := ch.(Tracker); tracked {
		if a, ok := b.arrivals(); ok {
			n, err := b.told(ctx, a, in)
			if err != nil {
				b.log.Warn("waiting messages not checked", "channel", ch.Name(), "err", err)
				return false
			}
			bl, ok := a.(Backlog)
			if n == 0 || !ok {
				return false
			}
			behind, err := bl.Waiting(ctx, chat)
			if err != nil {
				b.log.Warn("waiting messages not checked", "channel", ch.Name(), "err", err)
			}
			return behind
		}
	}
	if _, ok := ch.(Tagger); ok {
		_ = b.questions.Asked(ctx, chat, "")
	}
	return false
}

// told tells a the person's message, unless it is a tap whose arrival
// was told with its answer (see TakeTap), and returns how many messages
// waited.
func (b *Bot) told(ctx context.Context, a Arrivals, in convo.Inbound) (int, error) {
	if t, ok := b.tapsTold.LoadAndDelete(tapTold(in)); ok {
		return t.(told).n, t.(told).err
	}
	return a.Arrived(ctx, in)
}

// told is what a tap's arrival, told with its answer, returned.
type told struct {
	n   int
	err error
}

// tapTold names a tap whose arrival was told with its answer.
func tapTold(in convo.Inbound) string { return in.Chat + "\n" + in.ID }

// tapArrivals is the outbox's queue when it tells a tap's arrival with
// its answer, on a channel whose arrivals it is told (a Tracker).
func (b *Bot) tapArrivals(ch Channel, in convo.Inbound) (TapArrivals, bool) {
	a, ok := b.arrivals()
	if !ok || in.ID == "" {
		return nil, false
	}
	ta, ok := a.(TapArrivals)
	if _, tracked := ch.(Tracker); !tracked || !ok || !ta.Answers(b.questions) {
		return nil, false
	}
	return ta, true
}

// Resume is a person's message that only asks for what waited for them
// (a tap on the template that reopened a WhatsApp conversation): what
// waited is sent, and when nothing did, the message is an ordinary turn.
func (b *Bot) Resume(ctx context.Context, ch Channel, chat string, in convo.Inbound) {
	if a, ok := b.arrivals(); ok {
		n, err := a.Arrived(ctx, in)
		if err == nil && n > 0 {
			return
		}
	}
	b.Turn(ctx, ch, chat, in)
}

// Undelivered is told that a turn's reply asking question, which the
// platform took, could not be shown after all (WhatsApp Cloud reports it
// later, as a failed status: 131026 where the phone cannot show buttons or
// lists). The person waited for a question that never came (found by a
// probe). While it is still the chat's current question, it goes again,
// once (its key is id's), as numbered text through the outbox: retried,
// shown on the desk, a dead letter if that fails too. It reports whether
// it did. Without question texts (no relay) nothing can be sent again.
func (b *Bot) Undelivered(ctx context.Context, chat, question, id string) (bool, error) {
	qt, ok := b.questions.(QuestionTexts)
	if !ok || b.outbox == nil || !b.outbox.durable || question == "" {
		return false, nil
	}
	current, text, err := qt.Current(ctx, chat)
	if err != nil || current != question || text == "" {
		return false, err
	}
	return true, b.outbox.DeliverMessages(ctx, chat, "resend:"+id, []Message{{Text: text, Expect: string(convo.ExpectChoice)}})
}

// Stopper is a Queue told that a person blocked the bot, or unblocked it,
// by the platform itself rather than by a failed send or a message of
// theirs (Telegram's my_chat_member update).
type Stopper interface {
	// Stop stops writing to chat: what waits becomes dead letters, shown
	// on the desk, and the desk is told (as after a send refused for it).
	Stop(ctx context.Context, chat, reason, code string) error
	// Unstop lets chat be written to again: what the stop held back
	// goes out, once, but for what no longer holds (see Lapsing).
	Unstop(ctx context.Context, chat string) error
}

// Blocked is told that the person of chat blocked the bot: nothing more
// is tried until they unblock it or write. Without an outbox that keeps
// messages there is nothing to stop.
func (b *Bot) Blocked(ctx context.Context, chat, reason string) {
	if s, ok := b.stopper(); ok {
		if err := s.Stop(ctx, chat, reason, "blocked"); err != nil {
			b.log.Warn("chat not stopped for a blocked bot", "err", err)
		}
	}
}

// Unblocked is told that the person of chat unblocked the bot.
func (b *Bot) Unblocked(ctx context.Context, chat string) {
	if s, ok := b.stopper(); ok {
		if err := s.Unstop(ctx, chat); err != nil {
			b.log.Warn("chat not resumed for an unblocked bot", "err", err)
		}
	}
}

func (b *Bot) stopper() (Stopper, bool) {
	if b.outbox == nil || !b.outbox.durable {
		return nil, false
	}
	s, ok := b.outbox.queue.(Stopper)
	return s, ok
}
