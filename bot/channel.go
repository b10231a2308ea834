package bot

import (
	"context"
	"time"

	"github.com/clavebot/clavebot/dialog/convo"
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

// Deleter is a channel that can delete a person's message for everyone
// (Telegram can; WhatsApp cannot).
type Deleter interface {
	DeleteMessage(ctx context.Context, chat, msgID string) error
}

// OwnCopyDeleter is a channel that can delete a person's message only from
// the bot's side of the chat (a linked WhatsApp device: "Eliminar para
// mí" on the bot's phone). The person is still asked to delete it for
// everyone.
type OwnCopyDeleter interface {
	DeleteOwnCopy(ctx context.Context, chat, msgID string) error
}

// Tracker is a channel that sends an out-of-turn message once, leaving
// retries to the outbox, and returns the platform's id of what it sent.
// key is the outbox's idempotency key; a platform that can carries it, so
// a retry after an unanswered request does not double the message
// (WhatsApp Cloud echoes it in its statuses; whatsmeow makes it the
// message id). It must return a *SendError on failure.
type Tracker interface {
	SendOnce(ctx context.Context, chat string, m Message, key string) (id string, err error)
}

// KeyedSender is a channel whose messages can carry their outbox key: an
// out-of-turn message's own, and for a turn's replies the key the outbox
// would keep each under (key, key#2… from the person's message id). A
// platform that echoes it in its later statuses (WhatsApp Cloud) lets a
// reply whose send may have gone out (a 5xx, no answer) wait in the
// outbox for that word instead of going again: sent once, not twice;
// SendKeyed must then fail with a *SendError of kind Unsure. A channel
// that keeps messages until they are read (the REST chat's mailbox) can
// take back the unread ones of a kind (see Withdrawer).
type KeyedSender interface {
	SendKeyed(ctx context.Context, chat string, m Message, key string) error
}

// Withdrawer is a channel that keeps out-of-turn messages until the person
// reads them (the REST chat's mailbox) and can take back the unread ones
// of a kind (their key's, see KindOf) that no longer hold: a place in the
// desk's line once the person left it or an agent took the chat.
type Withdrawer interface {
	Withdraw(ctx context.Context, chat, kind string) error
}

// Superseding reports whether a message of kind voids the unread ones of
// its kind before it, on a channel that keeps them (Withdrawer): a place
// in the desk's line ("position") holds only until the next one.
func Superseding(kind string) bool { return kind == "position" }

// Lapsing lists the kinds of message that no longer hold once the person
// could not be reached for a while (they blocked the bot), so they do not
// go out when the person comes back: the stop took them off the desk's
// line and its conversation ("position", "returned", "taken", "hours"),
// a one-time code expired ("code"), and a reminder that they may try
// again came at its moment, which passed ("reminder"). Every other kind
// (an agent's reply, the closing words and rating question, a turn's
// reply) still holds.
func Lapsing() []string {
	return []string{"position", "returned", "taken", "hours", "code", "reminder"}
}

// Ready is a channel that can send only at times: a linked WhatsApp
// device, only in the process that holds it and while it is connected.
// Messages for it wait in the outbox for a process where it is ready.
type Ready interface {
	Ready() bool
}

// Windowed is a channel that may write freely only for a while after the
// person's last message (WhatsApp Cloud: 24 hours).
type Windowed interface {
	Window() time.Duration
}

// Reopener is a Windowed channel that can reach a person whose window has
// closed with an approved template, so they write again and get what
// waits for them.
type Reopener interface {
	Reopen(ctx context.Context, chat, key string) (id string, err error)
	Template() string // the template's name, "" when none is configured
}

// Tagger is a channel whose buttons or list rows carry the question they
// belong to (Message.Question), so a tap on an earlier message can be
// told from an answer (see Bot.Tap).
type Tagger interface {
	TagsQuestions()
}

// Owner is a channel that reaches only some chats of its platform from
// this process: a terminal reaches only its own. Other chats' messages go
// to the process that owns them.
type Owner interface {
	Owns(chat string) bool
}

// Turn runs one inbound message through the bot on ch: messages that
// waited for the person, typing, the engine, deleting a key message (or
// asking the person to), and the replies, in order. The caller keeps each
// chat's turns in order (see Sequencer). Replies that cannot be sent go to
// the outbox, which keeps trying.
func (b *Bot) Turn(ctx context.Context, ch Channel, chat string, in convo.Inbound) {
	behind := b.arrived(ctx, ch, in)
	if t, ok := ch.(Typer); ok {
		if err := t.Typing(ctx, chat); err != nil {
			b.log.Debug("typing failed", "channel", ch.Name(), "err", err)
		}
	}
	msgs, secret := b.Handle(ctx, in)
	if secret {
		msgs = b.hideSecret(ctx, ch, chat, in.ID, msgs)
	}
	msgs = splitAll(ch, msgs)
	if behind {
		// Earlier messages still wait for the platform: these go after
		// them, kept by the outbox under the keys they would be sent with.
		b.spill(ctx, ch, in.Chat, replyKey(in), 0, msgs, errBehind)
		return
	}
	b.reply(ctx, ch, chat, in, msgs)
}

// replyKey names a turn's replies as the outbox keeps them: the first
// under it, the others under key#2, key#3…
func replyKey(in convo.Inbound) string {
	if in.ID == "" {
		return NewKey("reply")
	}
	return "reply:" + in.ID
}

// reply sends a turn's replies; those left unsent are handed to the
// outbox under keys made from the person's message id.
func (b *Bot) reply(ctx context.Context, ch Channel, chat string, in convo.Inbound, msgs []Message) {
	key := replyKey(in)
	msgs = tagAll(ch, msgs)
	kept := b.keep(ctx, ch, in.Chat, key, msgs)
	n, err := b.send(ctx, ch, chat, in.Chat, key, msgs, !kept)
	if err == nil {
		return
	}
	b.spill(ctx, ch, in.Chat, key, n, msgs, err)
}

func (b *Bot) hideSecret(ctx context.Context, ch Channel, chat, msgID string, msgs []Message) []Message {
	if d, ok := ch.(Deleter); ok && msgID != "" {
		if err := d.DeleteMessage(ctx, chat, msgID); err == nil {
			return msgs
		}
		b.log.Warn("could not delete key message", "channel", ch.Name())
	}
	key := i18n.Key("bot.delete_key_message")
	if d, ok := ch.(OwnCopyDeleter); ok && msgID != "" {
		// The bot's copy goes; the person's stays until they delete it
		// for everyone, which also removes it from the bot's phone.
		if err := d.DeleteOwnCopy(ctx, chat, msgID); err != nil {
			b.log.Warn("could not delete key message on the bot's side", "channel", ch.Name(), "err", err)
		}
		key = "bot.delete_key_message_everyone"
	}
	ask := Message{Text: b.printer.Sprint(i18n.M(key)), Expect: msgsExpect(msgs)}
	return append([]Message{ask}, msgs...)
}

func msgsExpect(msgs []Message) string {
	if len(msgs) == 0 {
		return string(convo.ExpectText)
	}
	return msgs[len(msgs)-1].Expect
}

// Send delivers msgs to chat on ch, in order, with buttons where ch has
// them, and returns the first failure (the messages after it are not
// sent).
func (b *Bot) Send(ctx context.Context, ch Channel, chat string, msgs []Message) error {
	_, err := b.send(ctx, ch, chat, ch.Name()+":"+chat, "", msgs, true)
	return err
}

// send sends msgs in order and returns how many went out. engineChat is
// the channel-qualified chat, under which the last question asked is
// remembered as each goes out, when ask (not when the turn's replies were
// kept with it, see keep); key, when not "", names the messages as the
// outbox would (see KeyedSender).
func (b *Bot) send(ctx context.Context, ch Channel, chat, engineChat, key string, msgs []Message, ask bool) (int, error) {
	for i, m := range msgs {
		m = tag(ch, m)
		if err := sendMessage(ctx, ch, chat, m, keyOf(key, i)); err != nil {
			b.log.Warn("send failed", "channel", ch.Name(), "err", err)
			return i, err
		}
		if ask {
			asked(ctx, b.questions, b.log, engineChat, m)
		}
	}
	return len(msgs), nil
}

func keyOf(key string, i int) string {
	if key == "" {
		return ""
	}
	return EnvelopeKey(key, i)
}

func sendMessage(ctx context.Context, ch Channel, chat string, m Message, key string) error {
	if ks, ok := ch.(KeyedSender); ok && key != "" {
		return ks.SendKeyed(ctx, chat, m, key)
	}
	if os, ok := ch.(OptionSender); ok && len(m.Options) > 0 {
		return os.SendOptions(ctx, chat, m)
	}
	return ch.SendText(ctx, chat, NumberedText(m))
}
