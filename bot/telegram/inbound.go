package telegram

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/clavebot/clavebot/dialog/convo"
)

// onUpdate dispatches one update. It runs in the library's single worker,
// so it only queues work on the chat's lane and returns.
func (c *Channel) onUpdate(ctx context.Context, _ *tgbot.Bot, u *models.Update) {
	switch {
	case u.Message != nil:
		c.onMessage(ctx, u.Message)
	case u.EditedMessage != nil:
		c.onEdit(ctx, u.EditedMessage)
	case u.CallbackQuery != nil:
		c.onCallback(ctx, u.CallbackQuery)
	case u.MyChatMember != nil:
		c.onChatMember(ctx, u.MyChatMember)
	default:
		c.log.Debug("update ignored", "update_id", u.ID)
	}
}

// onChatMember reads the bot's status in a private chat, which the
// person changes by blocking the bot ("kicked") or unblocking it
// ("member"). Not asked for, the bot learnt of a block only from the 403
// of its next message, an agent's reply or a reminder already lost to
// it; and of an unblock only when the person wrote. It runs on the
// chat's lane, in order with the person's messages.
func (c *Channel) onChatMember(ctx context.Context, u *models.ChatMemberUpdated) {
	if u.Chat.Type != models.ChatTypePrivate {
		return
	}
	chat := Name + ":" + strconv.FormatInt(u.Chat.ID, 10)
	switch u.NewChatMember.Type {
	case models.ChatMemberTypeBanned:
		c.enqueue(ctx, strconv.FormatInt(u.Chat.ID, 10), func(ctx context.Context) {
			c.bot.Blocked(ctx, chat, "the person blocked the bot")
		})
	case models.ChatMemberTypeMember:
		c.enqueue(ctx, strconv.FormatInt(u.Chat.ID, 10), func(ctx context.Context) { c.bot.Unblocked(ctx, chat) })
	}
}

// onEdit answers a person's edit of a message they sent. The edit is not
// read: the bot already answered the original and moved on, so reading
// it as a new answer would answer a question no longer asked. Edits were
// not asked for at all, and a person who fixed a typo in their CUIL that
// way waited for an answer that never came: the engine now says it does
// not read edits and asks again.
func (c *Channel) onEdit(ctx context.Context, m *models.Message) {
	if m.Chat.Type != models.ChatTypePrivate {
		return
	}
	in, ok := editInbound(m)
	if !ok {
		return
	}
	chat := strconv.FormatInt(m.Chat.ID, 10)
	c.enqueue(ctx, chat, func(ctx context.Context) { c.bot.Turn(ctx, c, chat, in) })
}

// editInbound reads an edit as the engine's input, without its text. Its
// id is the message's and the edit's time, since the message id was the
// original's dedup key: each edit is answered once. A live location
// moving is an edit Telegram sends every few seconds: it is no message.
func editInbound(m *models.Message) (convo.Inbound, bool) {
	if m.Location != nil || m.Venue != nil {
		return convo.Inbound{}, false
	}
	in := convo.Inbound{
		Chat:    Name + ":" + strconv.FormatInt(m.Chat.ID, 10),
		ID:      "edit:" + strconv.Itoa(m.ID) + ":" + strconv.Itoa(m.EditDate),
		Channel: Name,
		Media:   convo.MediaEdited,
	}
	if m.EditDate != 0 {
		in.At = time.Unix(int64(m.EditDate), 0)
	}
	return in, true
}

// onMessage handles a person's message. Only private chats are served: the
// conversation asks for personal data and keys, never to be typed in a group.
func (c *Channel) onMessage(ctx context.Context, m *models.Message) {
	if m.Chat.Type != models.ChatTypePrivate {
		c.log.Debug("message outside a private chat ignored", "chat_type", m.Chat.Type)
		return
	}
	in, ok := messageInbound(m)
	if !ok {
		return
	}
	chat := strconv.FormatInt(m.Chat.ID, 10)
	id := c.keep(ctx, in)
	c.enqueue(ctx, chat, func(ctx context.Context) {
		c.bot.Turn(ctx, c, chat, in)
		c.done(id)
	})
}

// keep puts a person's message in the inbox before its update is
// confirmed, returning its id there ("" when not kept). Redis refusing it
// leaves the message to this process's memory, as without an inbox.
func (c *Channel) keep(ctx context.Context, in convo.Inbound) string {
	if c.cfg.inbox == nil {
		return ""
	}
	id := in.Chat + ":" + in.ID // message ids are a chat's own
	raw, err := json.Marshal(in)
	if err == nil {
		err = c.cfg.inbox.Put(ctx, id, raw)
	}
	if err != nil {
		c.log.Warn("message not kept in the inbox: lost if this process stops before its turn ends", "err", err)
		return ""
	}
	return id
}

// done forgets a message kept in the inbox, its turn ended.
func (c *Channel) done(id string) {
	if id == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.cfg.inbox.Done(ctx, id); err != nil {
		// Another process runs it again after the lease: the engine
		// knows its id and answers nothing twice.
		c.log.Warn("message answered but not taken off the inbox", "err", err)
	}
}

// redo runs a message a process that stopped had taken and not finished
// (see WithInbox), on its chat's lane.
func (c *Channel) redo(ctx context.Context, id string, raw []byte) {
	var in convo.Inbound
	if err := json.Unmarshal(raw, &in); err != nil || !strings.HasPrefix(in.Chat, Name+":") {
		c.log.Error("a message from the inbox does not read", "err", err)
		c.done(id)
		return
	}
	chat := strings.TrimPrefix(in.Chat, Name+":")
	c.enqueue(ctx, chat, func(ctx context.Context) {
		c.bot.Turn(ctx, c, chat, in)
		c.done(id)
	})
}

// messageInbound reads a message as the engine's input. The message id is
// the dedup key: a redelivered update carries the same id. Non-text
// messages reach the engine as their kind, without text; service messages
// (a pinned message, a member joining) are dropped.
func messageInbound(m *models.Message) (convo.Inbound, bool) {
	in := convo.Inbound{
		Chat:    Name + ":" + strconv.FormatInt(m.Chat.ID, 10),
		ID:      strconv.Itoa(m.ID),
		Channel: Name,
	}
	if m.Date != 0 {
		// Its time, with its id, lets the outbox count its arrival once:
		// an update Telegram delivers again (a lost webhook answer) forgot
		// the current question, and the next tap was "stale" (found by a
		// regression probe).
		in.At = time.Unix(int64(m.Date), 0)
	}
	if m.Text != "" {
		in.Text = commandText(m.Text)
		return in, true
	}
	in.Media = mediaKind(m)
	if in.Media != "" {
		// Only checked for a key (see convo.Inbound.Caption).
		in.Caption = m.Caption
	}
	return in, in.Media != ""
}

// mediaKind names a message's non-text content, "" when it has none.
func mediaKind(m *models.Message) string {
	switch {
	case m.Sticker != nil:
		return "sticker"
	case m.Photo != nil:
		return "photo"
	case m.Voice != nil:
		return "voice"
	case m.Audio != nil:
		return "audio"
	case m.VideoNote != nil:
		return "video_note"
	case m.Animation != nil: // before Document: a GIF carries both
		return "animation"
	case m.Video != nil:
		return "video"
	case m.Document != nil:
		return "file"
	case m.Location != nil, m.Venue != nil:
		return "location"
	case m.Contact != nil:
		return "contact"
	case m.Poll != nil:
		return "poll"
	case m.Dice != nil:
		return "dice"
	}
	return ""
}

// enqueue runs job on the chat's lane. The job outlives a cancelled ctx
// (for at most the turn timeout): an update taken from Telegram is already
// confirmed, so dropping it at shutdown would lose the person's message.
// Only its waits before retrying a send end with ctx (see stopping).
func (c *Channel) enqueue(ctx context.Context, chat string, job func(context.Context)) {
	c.seq.Do(chat, func() {
		jctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.turnTimeout)
		defer cancel()
		ctx := withStopping(jctx, ctx)
		defer func() {
			if r := recover(); r != nil {
				c.log.Error("turn panicked", "panic", r)
			}
		}()
		job(ctx)
	})
}
