package telegram

import (
	"context"
	"strconv"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog/convo"
)

// Options are shown as an inline keyboard, one button a row, under the
// question they answer. On a phone this beats a reply keyboard: it does not
// cover the text field people need for a CUIL or a name, it needs no
// "remove keyboard" message when the next question is free text, long
// labels get a whole row, and the tap can be shown on the question itself.
//
// The button types are ours, not models.InlineKeyboardButton: that struct
// always sends "copy_text":{"text":""} (a struct field, which omitempty
// does not omit), and a button must have exactly one action.
type inlineKeyboard struct {
	InlineKeyboard [][]inlineButton `json:"inline_keyboard"`
}

type inlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

// keyboard makes one button per option; the callback data names the
// question and the option's 1-based number (bot.OptionID), well under the
// 64-byte limit, so a tap on an earlier question's button (a second tap
// on a slow phone, a keyboard left above) is told from an answer.
func keyboard(question string, options []string) *inlineKeyboard {
	rows := make([][]inlineButton, len(options))
	for i, o := range options {
		rows[i] = []inlineButton{{Text: o, CallbackData: bot.OptionID(question, i+1)}}
	}
	return &inlineKeyboard{InlineKeyboard: rows}
}

// tap is a button a person pressed.
type tap struct {
	queryID  string
	chatID   int64
	msgID    int
	text     string // the question the button was under, "" when unknown
	label    string // the button's label, "" when unknown
	data     string // the callback data
	question string // the question the button belongs to, "" on a button sent before they were tagged
	n        int    // the option's number
}

// onCallback answers a tap at once, outside the chat's lane (Telegram
// keeps the button spinning until it is answered, and gives up after a
// few seconds: a chat busy with a slow turn must not hold it), then queues
// the tap behind the chat's messages.
func (c *Channel) onCallback(ctx context.Context, q *models.CallbackQuery) {
	c.answering.Add(1)
	go func() {
		defer c.answering.Done()
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		c.answer(actx, q.ID)
	}()
	t, ok := readTap(q)
	if !ok {
		return
	}
	chat := strconv.FormatInt(t.chatID, 10)
	c.enqueue(ctx, chat, func(ctx context.Context) { c.handleTap(ctx, chat, t) })
}

func readTap(q *models.CallbackQuery) (tap, bool) {
	t := tap{queryID: q.ID, data: q.Data}
	t.question, t.n, _ = bot.ParseOptionID(q.Data)
	var kind models.ChatType
	switch m := q.Message; {
	case m.Message != nil:
		t.chatID, t.msgID, t.text = m.Message.Chat.ID, m.Message.ID, m.Message.Text
		t.label = buttonLabel(m.Message.ReplyMarkup, q.Data)
		kind = m.Message.Chat.Type
	case m.InaccessibleMessage != nil:
		t.chatID, t.msgID = m.InaccessibleMessage.Chat.ID, m.InaccessibleMessage.MessageID
		kind = m.InaccessibleMessage.Chat.Type
	default:
		return t, false
	}
	// A question forwarded to a group keeps its buttons, and anyone there
	// may tap them: only private chats are served, as for messages.
	return t, t.n > 0 && t.chatID != 0 && kind == models.ChatTypePrivate
}

func buttonLabel(kb *models.InlineKeyboardMarkup, data string) string {
	if kb == nil {
		return ""
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData == data {
				return b.Text
			}
		}
	}
	return ""
}

// handleTap feeds a tap to the engine when it answers the current
// question, marking the choice on the question first. The engine gets the
// label when it is known, else the option's number (the question is known
// to be the current one).
//
// A button sent before buttons named their question has none: its label
// still goes to the engine, as it did then, when the message shows it (so
// a keyboard left above names what the person meant, never a number that
// means something else now); its bare number, which could mean anything
// now, is refused as an earlier question's.
func (c *Channel) handleTap(ctx context.Context, chat string, t tap) {
	in := convo.Inbound{Chat: Name + ":" + chat, ID: "cb:" + t.queryID, Text: strconv.Itoa(t.n), Channel: Name}
	if t.label != "" {
		in.Text = t.label
	}
	if t.question == "" && t.label != "" {
		c.markChosen(ctx, t)
		c.bot.Turn(ctx, c, chat, in)
		return
	}
	if !c.bot.TakeTap(ctx, c, chat, in, t.question) {
		return
	}
	if t.label != "" {
		c.markChosen(ctx, t)
	}
	c.bot.Turn(ctx, c, chat, in)
}

// answer stops the button's spinner.
func (c *Channel) answer(ctx context.Context, queryID string) {
	err := c.retry(ctx, func(ctx context.Context) error {
		_, err := c.api.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: queryID})
		return err
	})
	if err != nil {
		c.log.Warn("could not answer a button tap", "err", err)
	}
}

// markChosen replaces the question's keyboard with the chosen label, so
// the chat shows the answer and the buttons cannot be pressed again. It
// is only a mark: during Telegram's flood wait it is let go, and it waits
// in place no longer than a reply would (it waited what Telegram asked,
// 30 s and more, five times, with the chat's lane held).
func (c *Channel) markChosen(ctx context.Context, t tap) {
	text := t.text + "\n\n✅ " + t.label
	if err := c.flood.hold(); err != nil {
		c.log.Debug("the chosen option is not marked: Telegram's flood wait", "err", err)
		return
	}
	err := c.retryUpTo(ctx, maxInPlace, func(ctx context.Context) error {
		if t.text == "" || utf16Len(text) > maxText {
			_, err := c.api.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{
				ChatID: t.chatID, MessageID: t.msgID, ReplyMarkup: &inlineKeyboard{InlineKeyboard: [][]inlineButton{}},
			})
			c.flood.heard(err)
			return err
		}
		// Without reply_markup the edit also takes the keyboard away.
		_, err := c.api.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: t.chatID, MessageID: t.msgID, Text: text})
		c.flood.heard(err)
		return err
	})
	if err != nil {
		c.log.Debug("could not mark the chosen option", "err", err)
	}
}
