package loadtest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
)

// whatsappChannel plays WhatsApp through the Cloud API: the project's fake
// Graph API (bot/whatsapp/cloud/graphtest) takes serve's sends, answers
// them as Meta does, posts the statuses of what it took (sent, delivered)
// to serve's webhook, and posts the people's messages and taps there,
// signed with the app secret. As on Telegram, a turn is over when the
// bot's last message is a prompt, since WhatsApp messages do not say what
// the bot waits for.
//
// Meta has one webhook per app: with several serve processes, the first
// receives every message (behind a load balancer they would share them),
// while they all send through the fake.
type whatsappChannel struct {
	fake   *graphtest.Server
	verify string
	texts  *Texts
	mu     sync.Mutex
	chats  map[string]*waChat
}

// waChat is what the channel remembers of a chat between turns.
type waChat struct {
	phone  string
	seen   int                // the bot's messages to it seen so far
	prompt *graphtest.Message // the bot's last message with options
}

func newWhatsApp(o ChannelOptions) (Channel, error) {
	if o.Texts == nil {
		return nil, errors.New("loadtest: whatsapp needs the bot's texts")
	}
	posters := o.Conns
	if posters <= 0 {
		posters = DefaultMaxAwaiting
	}
	fake := graphtest.New(graphtest.WithIDs("1065", "loadtest-token", rand.Text()), graphtest.WithParallelWebhooks(min(posters, 256)))
	return &whatsappChannel{fake: fake, verify: rand.Text(), texts: o.Texts, chats: map[string]*waChat{}}, nil
}

func (w *whatsappChannel) Name() string { return "whatsapp" }

func (w *whatsappChannel) ServeFlags(string) []string {
	return []string{
		"--whatsapp", "--whatsapp-mode", "cloud", "--whatsapp-api-url", w.fake.URL,
		"--whatsapp-phone-number-id", w.fake.PhoneNumberID, "--whatsapp-token", w.fake.Token,
		"--whatsapp-app-secret", w.fake.AppSecret, "--whatsapp-verify-token", w.verify,
	}
}

// Start points the fake's webhook at the first serve.
func (w *whatsappChannel) Start(_ context.Context, urls []string) error {
	if len(urls) == 0 {
		return errors.New("whatsapp: no serve")
	}
	w.fake.SetWebhook(urls[0] + "/whatsapp/webhook")
	return nil
}

func (w *whatsappChannel) Close() error { w.fake.Close(); return nil }

func (w *whatsappChannel) ChatID(chat string) string { return "whatsapp:" + w.chat(chat).phone }

// chat gives each person a phone number of their own: Argentina's mobile
// prefix and ten digits from their name.
func (w *whatsappChannel) chat(name string) *waChat {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, ok := w.chats[name]
	if !ok {
		h := fnv.New64a()
		h.Write([]byte(name))
		c = &waChat{phone: fmt.Sprintf("549%010d", h.Sum64()%10_000_000_000)}
		w.chats[name] = c
	}
	return c
}

// Send types the text, or taps the option of the bot's last message with
// options (a button or a list row; a number typed when the options came as
// numbered text), and waits for the bot's last message of the turn.
func (w *whatsappChannel) Send(ctx context.Context, chat string, a Action) ([]Reply, error) {
	c := w.chat(chat)
	var status int
	var err error
	switch {
	case a.Option > 0 && c.prompt != nil && a.Option <= len(c.prompt.Options):
		_, status, err = w.fake.Tap(c.phone, c.prompt.ID, c.prompt.Options[a.Option-1].ID)
	case a.Option > 0:
		_, status, err = w.fake.Text(c.phone, strconv.Itoa(a.Option))
	default:
		_, status, err = w.fake.Text(c.phone, a.Text)
	}
	if err != nil {
		return nil, fmt.Errorf("whatsapp: webhook: %w", err)
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("whatsapp: webhook answered %d", status)
	}
	replies, err := awaitTurn(ctx, w.fake.WaitUntil, func() ([]Reply, bool) { return w.turn(c) })
	if err != nil {
		return nil, fmt.Errorf("whatsapp: no reply: %w", err)
	}
	return replies, nil
}

// turn gathers the bot's messages after the last one seen, and whether the
// last of them ends the turn.
func (w *whatsappChannel) turn(c *waChat) ([]Reply, bool) {
	sent := w.fake.Sent(c.phone)
	if len(sent) <= c.seen {
		return nil, false
	}
	var replies []Reply
	var prompt *graphtest.Message
	for i := c.seen; i < len(sent); i++ {
		m := &sent[i]
		r := waReply(m)
		if len(m.Options) > 0 {
			prompt = m
		}
		replies = append(replies, r)
	}
	end := replies[len(replies)-1]
	exp, ok := w.texts.expectOf(end.Text, end.Options)
	if !ok {
		return nil, false
	}
	for i := range replies {
		replies[i].Expect = exp
	}
	c.seen = len(sent)
	if prompt != nil || len(end.Options) > 0 {
		// A prompt as numbered text has no buttons to tap: the next
		// option is typed.
		c.prompt = prompt
	}
	return replies, true
}

// waReply is a message as the person reads it: a list row's whole label
// is its description when its title was shortened; options sent as
// numbered text ("\n\n1. ...") are read back as options.
func waReply(m *graphtest.Message) Reply {
	r := Reply{Text: m.Text}
	for _, o := range m.Options {
		label := o.Title
		if o.Description != "" {
			label = o.Description
		}
		r.Options = append(r.Options, label)
	}
	if len(r.Options) > 0 {
		return r
	}
	head, list, ok := strings.Cut(m.Text, "\n\n1. ")
	if !ok {
		return r
	}
	opts := strings.Split("1. "+list, "\n")
	for i, line := range opts {
		label, ok := strings.CutPrefix(line, strconv.Itoa(i+1)+". ")
		if !ok {
			return Reply{Text: m.Text}
		}
		r.Options = append(r.Options, label)
	}
	r.Text = head
	return r
}
