package bot

import (
	"context"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// Channel sends messages to the chats of one platform. Chat ids are the
// platform's own, without the channel prefix.
type Channel interface {
	Name() string
	SendText(ctx context.Context, chat, text string) error
}

// OptionSender is a channel that can show options as buttons or a list.
type OptionSender interface {
	SendOptions(ctx context.Context, chat string, m Message) error
}

// Typer is a channel that can show "typing…" while a reply is prepared.
type Typer interface {
	Typing(ctx context.Context, chat string) error
}

// Deleter is a channel that can delete a person's message (Telegram can;
// WhatsApp cannot).
type Deleter interface {
	DeleteMessage(ctx context.Context, chat, msgID string) error
}

// Turn runs one inbound message through the bot on ch: typing, the engine,
// deleting a key message (or asking the person to), and the replies, in
// order. The caller keeps each chat's turns in order (see Sequencer).
func (b *Bot) Turn(ctx context.Context, ch Channel, chat string, in dialog.Inbound) {
	if t, ok := ch.(Typer); ok {
		if err := t.Typing(ctx, chat); err != nil {
			b.log.Debug("typing failed", "channel", ch.Name(), "err", err)
		}
	}
	msgs, secret := b.Handle(ctx, in)
	if secret {
		msgs = b.hideSecret(ctx, ch, chat, in.ID, msgs)
	}
	b.Send(ctx, ch, chat, msgs)
}

func (b *Bot) hideSecret(ctx context.Context, ch Channel, chat, msgID string, msgs []Message) []Message {
	if d, ok := ch.(Deleter); ok && msgID != "" {
		if err := d.DeleteMessage(ctx, chat, msgID); err == nil {
			return msgs
		}
		b.log.Warn("could not delete key message", "channel", ch.Name())
	}
	ask := Message{Text: b.printer.Sprint(i18n.M("bot.delete_key_message")), Expect: msgsExpect(msgs)}
	return append([]Message{ask}, msgs...)
}

func msgsExpect(msgs []Message) string {
	if len(msgs) == 0 {
		return string(dialog.ExpectText)
	}
	return msgs[len(msgs)-1].Expect
}

// Send delivers msgs in order, with buttons where ch has them. Failures are
// logged: there is no one to return them to.
func (b *Bot) Send(ctx context.Context, ch Channel, chat string, msgs []Message) {
	for _, m := range msgs {
		var err error
		if os, ok := ch.(OptionSender); ok && len(m.Options) > 0 {
			err = os.SendOptions(ctx, chat, m)
		} else {
			err = ch.SendText(ctx, chat, NumberedText(m))
		}
		if err != nil {
			b.log.Error("send failed", "channel", ch.Name(), "err", err)
			return
		}
	}
}

// Owner is a channel that reaches only some chats of its platform from
// this process: a terminal reaches only its own. Other chats' messages go
// to the process that owns them.
type Owner interface {
	Owns(chat string) bool
}
