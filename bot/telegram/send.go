package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/clavebot/clavebot/bot"
)

// SendText implements bot.Channel.
func (c *Channel) SendText(ctx context.Context, chat, text string) error {
	_, err := c.sendParts(ctx, chat, text, nil, true)
	return err
}

// SendOptions implements bot.OptionSender: the options become buttons
// under the message's last part.
func (c *Channel) SendOptions(ctx context.Context, chat string, m bot.Message) error {
	_, err := c.sendParts(ctx, chat, m.Text, keyboard(m.Question, m.Options), true)
	return err
}

// sendParts delivers text in parts under Telegram's length limit, one
// after the other (each retried in place when throttled or when Telegram
// fails on its side, with retry), so a chat's replies keep their order. It
// returns the last part's message id.
func (c *Channel) sendParts(ctx context.Context, chat, text string, kb *inlineKeyboard, retry bool) (string, error) {
	id, err := chatID(chat)
	if err != nil {
		return "", &bot.SendError{Failure: bot.Refused, Reason: err.Error(), Err: err}
	}
	parts := splitText(text, maxText)
	if len(parts) == 0 && kb != nil {
		parts = []string{"…"} // Telegram refuses empty text; the buttons still need a message
	}
	var last string
	for i, p := range parts {
		params := &tgbot.SendMessageParams{ChatID: id, Text: p}
		if i == len(parts)-1 && kb != nil {
			params.ReplyMarkup = kb
		}
		send := func(ctx context.Context) error {
			if err := c.flood.hold(); err != nil {
				return err
			}
			if err := c.paced(ctx, id); err != nil {
				return err
			}
			m, err := c.api.SendMessage(ctx, params)
			if err == nil {
				last = strconv.Itoa(m.ID)
			}
			c.flood.heard(err)
			return err
		}
		if retry {
			limit := time.Duration(0)
			if c.bot.Keeps() {
				limit = maxInPlace // the outbox waits the rest
			}
			err = c.retryUpTo(ctx, limit, send)
		} else {
			err = send(ctx)
		}
		if err != nil {
			return "", fmt.Errorf("telegram: send message: %w", err)
		}
	}
	return last, nil
}

// Typing implements bot.Typer. It is not retried when throttled: waiting
// to show "typing…" would only delay the reply itself.
func (c *Channel) Typing(ctx context.Context, chat string) error {
	id, err := chatID(chat)
	if err != nil {
		return err
	}
	ctx, cancel := c.callContext(ctx)
	defer cancel()
	if _, err := c.api.SendChatAction(ctx, &tgbot.SendChatActionParams{ChatID: id, Action: models.ChatActionTyping}); err != nil {
		return fmt.Errorf("telegram: send typing: %w", err)
	}
	return nil
}

// DeleteMessage implements bot.Deleter; the bot uses it on a message that
// holds a key. Telegram lets a bot delete a person's message in a private
// chat for 48 hours. It waits in place no longer than a turn's send
// (maxInPlace): retried through each 429 as long as asked, it held the
// turn minutes past its own time, the person waiting; failing, the bot
// asks the person to delete the message.
func (c *Channel) DeleteMessage(ctx context.Context, chat, msgID string) error {
	id, err := chatID(chat)
	if err != nil {
		return err
	}
	mid, err := strconv.Atoi(msgID)
	if err != nil {
		return fmt.Errorf("telegram: delete message: not a message id")
	}
	err = c.retryUpTo(ctx, maxInPlace, func(ctx context.Context) error {
		_, err := c.api.DeleteMessage(ctx, &tgbot.DeleteMessageParams{ChatID: id, MessageID: mid})
		return err
	})
	if err != nil {
		return fmt.Errorf("telegram: delete message: %w", err)
	}
	return nil
}

// stoppingKey carries, in a turn's context, the channel's: it ends when
// the process begins to stop.
type stoppingKey struct{}

// withStopping marks a turn's ctx with the channel's run context.
func withStopping(ctx, run context.Context) context.Context {
	return context.WithValue(ctx, stoppingKey{}, run)
}

// stopping returns a context for a wait within ctx's turn that also ends
// when the process begins to stop: a turn's replies retried in place
// (1+2+4+8+16 s after 5xx) outlast serve's 25 s grace, and went with the
// process, the update confirmed and the state committed (a resilience
// probe). Stopping, the send fails at once and the bot leaves what is
// unsent to the outbox, which a restarted or another replica delivers.
func stopping(ctx context.Context) (context.Context, context.CancelFunc) {
	run, ok := ctx.Value(stoppingKey{}).(context.Context)
	if !ok {
		return ctx, func() {}
	}
	wctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(run, cancel)
	return wctx, func() { stop(); cancel() }
}

// stopCut is how long a Bot API call in flight when the process begins to
// stop may still take: one answered by then counts, one that stalls is
// cut, and the turn leaves what it did not send to the outbox.
const stopCut = 2 * time.Second

// callContext bounds one Bot API call of a turn: a Bot API that takes the
// connection and stalls held the chat's lane for the HTTP client's
// timeout (the long poll's plus 10 s), and at shutdown past serve's grace,
// the replies going with the process (a resilience probe).
func (c *Channel) callContext(ctx context.Context) (context.Context, context.CancelFunc) {
	cctx, cancel := context.WithTimeout(ctx, c.cfg.callTimeout)
	run, ok := ctx.Value(stoppingKey{}).(context.Context)
	if !ok {
		return cctx, cancel
	}
	stop := context.AfterFunc(run, func() {
		select {
		case <-cctx.Done():
		case <-time.After(stopCut):
			cancel()
		}
	})
	return cctx, func() { stop(); cancel() }
}

// maxInPlace is the longest a turn's send waits in place, all its retries
// together, when an outbox can take the rest. Flood control asks for 30 s
// and more: the turn waited it holding the chat's lane, and every chat of
// its worker, up to the turn's two minutes (a channels probe); Telegram
// failing on its side was waited out 1+2+4+8+16 s with the reply only in
// memory, lost with a process killed meanwhile (a resilience probe).
// Longer is the outbox's, which keeps the reply and the chat's order
// (see bot.Backlog).
const maxInPlace = 5 * time.Second

// retry runs call again after a 429, waiting what Telegram asks, or after
// Telegram failed on its side (5xx), waiting 1, 2, 4… s, at most
// maxRetries times. The library returns the 429 as *TooManyRequestsError,
// which errors.Is(bot.ErrorTooManyRequests) does not see. Once the process
// begins to stop it waits no more (see stopping).
func (c *Channel) retry(ctx context.Context, do func(context.Context) error) error {
	return c.retryUpTo(ctx, 0, do)
}

// retryUpTo is retry that gives up at once when its waits would add up to
// more than limit (0: no limit).
func (c *Channel) retryUpTo(ctx context.Context, limit time.Duration, do func(context.Context) error) error {
	var waited time.Duration
	for attempt := 0; ; attempt++ {
		cctx, cancel := c.callContext(ctx)
		tctx, cl := traced(cctx)
		err := do(tctx)
		cancel()
		if err == nil || attempt >= c.cfg.maxRetries {
			return err
		}
		var tooMany *tgbot.TooManyRequestsError
		var d time.Duration
		switch {
		case errors.As(err, &tooMany):
			d = time.Duration(max(tooMany.RetryAfter, 1)) * time.Second
		case cl.status.Load() >= 500:
			d = time.Second << attempt
		default:
			return err
		}
		if waited += d; limit > 0 && waited > limit {
			return err
		}
		c.log.Warn("Telegram refused for now, waiting", "wait", d, "status", cl.status.Load(), "attempt", attempt+1)
		if err := c.wait(ctx, d); err != nil {
			return fmt.Errorf("waiting to retry: %w", err)
		}
	}
}

// wait waits d before a retry, or less when ctx ends or the process
// begins to stop.
func (c *Channel) wait(ctx context.Context, d time.Duration) error {
	wctx, cancel := stopping(ctx)
	defer cancel()
	err := c.cfg.wait(wctx, d)
	if err != nil && ctx.Err() == nil {
		c.log.Warn("stopping: no more retries in place, the rest goes to the outbox")
		return errors.New("the process is stopping")
	}
	return err
}

func chatID(chat string) (int64, error) {
	id, err := strconv.ParseInt(chat, 10, 64)
	if err != nil {
		return 0, errors.New("telegram: not a chat id")
	}
	return id, nil
}
