// Package bot is the channel-neutral edge between chat platforms and the
// dialog engine: it renders the engine's replies in the chat's language,
// keeps each chat's messages in order, and uses what a channel can do
// (buttons, deleting a message, "typing") where the channel can do it.
package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/logid"
)

// Engine handles one inbound message; *dialog.Engine implements it.
type Engine interface {
	Handle(ctx context.Context, in convo.Inbound) (convo.Result, error)
}

// Message is a reply rendered for people: text, option labels, and what the
// bot waits for next.
type Message struct {
	Text    string   `json:"text"`
	Options []string `json:"options,omitempty"`
	Expect  string   `json:"expect"`
	// Question identifies this message's options on a Tagger channel, so
	// a tap on them can be told from a tap on an earlier message's.
	Question string `json:"question,omitempty"`
}

// turnTimeout bounds one turn, so a stuck dependency gets the person an
// apology instead of silence.
const turnTimeout = 20 * time.Second

// Bot renders the engine's replies.
type Bot struct {
	engine    Engine
	printer   *i18n.Printer
	log       *slog.Logger
	outbox    *Outbox   // takes the replies a turn could not send; nil: they are lost
	questions Questions // the question each chat was asked last
	// tapsTold are the taps whose arrival was told with their answer,
	// until their turn (see TakeTap): how many messages waited.
	tapsTold sync.Map
}

// Option configures a Bot.
type Option func(*Bot)

// WithOutbox hands the replies a turn could not send to o, which keeps
// them when it has a queue; the bot then tells o's queue of each person's
// message, and keeps questions where o's channels do.
func WithOutbox(o *Outbox) Option {
	return func(b *Bot) { b.outbox, b.questions = o, o.local.questions }
}

// New returns a Bot that speaks printer's language.
func New(engine Engine, printer *i18n.Printer, log *slog.Logger, opts ...Option) *Bot {
	b := &Bot{engine: engine, printer: printer, log: log.With("component", "bot"), questions: &memQuestions{}}
	for _, o := range opts {
		o(b)
	}
	return b
}

// Printer is the bot's printer, for channels' own fixed texts.
func (b *Bot) Printer() *i18n.Printer { return b.printer }

// Keeps reports whether the replies a turn could not send are kept (an
// outbox with a queue) rather than lost: a channel may then leave a long
// wait to the outbox instead of waiting within the turn.
func (b *Bot) Keeps() bool { return b.outbox != nil && b.outbox.durable }

// Handle runs one turn and renders its replies. An engine failure becomes a
// kind apology (the person's place is kept: the engine commits nothing on
// failure), so channels always have something to say.
func (b *Bot) Handle(ctx context.Context, in convo.Inbound) ([]Message, bool) {
	ctx, cancel := context.WithTimeout(ctx, turnTimeout)
	defer cancel()
	res, err := b.engine.Handle(ctx, in)
	if err != nil {
		b.log.Error("turn failed", "chat", logid.Chat(in.Chat), "channel", in.Channel, "err", err)
		return []Message{{Text: b.printer.Sprint(i18n.M("bot.error")), Expect: string(convo.ExpectText)}}, false
	}
	return b.Render(res.Replies), res.Secret
}

// Render turns engine replies into Messages.
func (b *Bot) Render(replies []convo.Reply) []Message { return render(b.printer, replies) }

func render(p *i18n.Printer, replies []convo.Reply) []Message {
	out := make([]Message, 0, len(replies))
	for _, r := range replies {
		m := Message{Text: p.Sprint(r.Msg), Expect: string(r.Expect)}
		for _, o := range r.Options {
			m.Options = append(m.Options, p.Sprint(o))
		}
		out = append(out, m)
	}
	return out
}

// NumberedText renders a message with its options as a numbered list, for
// channels without buttons.
func NumberedText(m Message) string {
	if len(m.Options) == 0 {
		return m.Text
	}
	var sb strings.Builder
	sb.WriteString(m.Text)
	sb.WriteString("\n")
	for i, o := range m.Options {
		fmt.Fprintf(&sb, "\n%d. %s", i+1, o)
	}
	return sb.String()
}
