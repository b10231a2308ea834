package loadtest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"sync"

	"github.com/clavebot/clavebot/bot/telegram/telegramtest"
)

// telegramChannel plays Telegram: the project's fake Bot API
// (bot/telegram/telegramtest) takes serve's calls and pushes the people's
// messages and taps to serve's webhook, as Telegram does. A turn is over
// when the bot's last message is a prompt (a known question, or one with
// buttons), since Telegram messages do not say what the bot waits for.
//
// Telegram has one webhook per bot: with several serve processes the last
// to start receives every update (behind a load balancer they would
// share them), while they all send through the fake.
type telegramChannel struct {
	fake   *telegramtest.Server
	secret string
	texts  *Texts
	mu     sync.Mutex
	chats  map[string]*tgChat
}

// tgChat is what the channel remembers of a chat between turns.
type tgChat struct {
	id     int64
	seen   int // the last message id seen
	prompt int // the bot's last message with buttons
}

const telegramToken = "424242:loadtest"

func newTelegram(o ChannelOptions) (Channel, error) {
	if o.Texts == nil {
		return nil, errors.New("loadtest: telegram needs the bot's texts")
	}
	fake := telegramtest.New(telegramToken)
	// Telegram sends a webhook up to 40 updates at once (setWebhook's
	// max_connections, which serve leaves at its default), each chat's in
	// order; the fake's own default is one at a time.
	fake.SetWebhookConnections(40)
	return &telegramChannel{fake: fake, secret: rand.Text(), texts: o.Texts, chats: map[string]*tgChat{}}, nil
}

func (t *telegramChannel) Name() string { return "telegram" }

func (t *telegramChannel) ServeFlags(serveURL string) []string {
	return []string{
		"--telegram-token", telegramToken, "--telegram-api-url", t.fake.URL,
		"--telegram-webhook-url", serveURL + "/telegram/webhook", "--telegram-webhook-secret", t.secret,
	}
}

// Start waits for a serve to set its webhook on the fake.
func (t *telegramChannel) Start(ctx context.Context, _ []string) error {
	return t.fake.WaitUntil(ctx, func() bool { return len(t.fake.OK("setWebhook")) > 0 })
}

func (t *telegramChannel) Close() error { t.fake.Close(); return nil }

func (t *telegramChannel) ChatID(chat string) string {
	return "telegram:" + strconv.FormatInt(t.chat(chat).id, 10)
}

func (t *telegramChannel) chat(name string) *tgChat {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, ok := t.chats[name]
	if !ok {
		h := fnv.New64a()
		h.Write([]byte(name))
		c = &tgChat{id: int64(h.Sum64() >> 12)} // a positive id of 52 bits, as Telegram's
		t.chats[name] = c
	}
	return c
}

// Send types the text, or taps the option's button, and waits for the
// bot's last message of the turn.
func (t *telegramChannel) Send(ctx context.Context, chat string, a Action) ([]Reply, error) {
	c := t.chat(chat)
	if a.Option > 0 && c.prompt > 0 {
		if _, err := t.fake.TapOption(c.id, c.prompt, a.Option); err != nil {
			return nil, fmt.Errorf("telegram: tap %d: %w", a.Option, err)
		}
	} else {
		c.seen = t.fake.Text(c.id, a.Text)
	}
	replies, err := awaitTurn(ctx, t.fake.WaitUntil, func() ([]Reply, bool) { return t.turn(c) })
	if err != nil {
		return nil, fmt.Errorf("telegram: no reply: %w", err)
	}
	return replies, nil
}

// turn gathers the bot's messages after the last one seen, and whether the
// last of them ends the turn.
func (t *telegramChannel) turn(c *tgChat) ([]Reply, bool) {
	var replies []Reply
	last, prompt := c.seen, 0
	for _, m := range t.fake.Messages(c.id) {
		if m.ID <= c.seen || !m.FromBot {
			continue
		}
		r := Reply{Text: m.Text}
		for _, row := range m.Keyboard {
			for _, b := range row {
				r.Options = append(r.Options, b.Text)
			}
		}
		if len(r.Options) > 0 {
			prompt = m.ID
		}
		replies = append(replies, r)
		last = m.ID
	}
	if len(replies) == 0 {
		return nil, false
	}
	end := replies[len(replies)-1]
	exp, ok := t.texts.expectOf(end.Text, end.Options)
	if !ok {
		return nil, false
	}
	for i := range replies {
		replies[i].Expect = exp
	}
	c.seen = last
	if prompt > 0 {
		c.prompt = prompt
	}
	return replies, true
}
