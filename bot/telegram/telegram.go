// Package telegram is clavebot's Telegram channel over the Bot API
// (go-telegram/bot): long polling or a webhook in, the bot's replies out
// with options as inline buttons, each chat's updates handled one at a time
// and in order while different chats run in parallel.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/internal/apiclient"
)

// Name is the channel's name, in chat ids ("telegram:<chat id>") and in
// convo.Inbound.Channel.
const Name = "telegram"

// The channel's capabilities the bot detects (and bot.Tracker, in
// deliver.go).
var (
	_ bot.Channel      = (*Channel)(nil)
	_ bot.OptionSender = (*Channel)(nil)
	_ bot.Typer        = (*Channel)(nil)
	_ bot.Deleter      = (*Channel)(nil)
	_ bot.Tagger       = (*Channel)(nil)
)

// Channel is the Telegram channel.
type Channel struct {
	api     *tgbot.Bot
	bot     *bot.Bot
	log     *slog.Logger
	cfg     config
	seq     *bot.Sequencer
	running atomic.Bool
	// hooks keeps Run from closing the chats' lanes while a webhook call
	// hands its update to them; runCtx is Run's, the turns' (see enqueue).
	hooks      sync.RWMutex
	runCtx     context.Context
	unreadable atomic.Bool    // see readableUpdates
	answering  sync.WaitGroup // taps being answered
	flood      flood          // Telegram's flood wait, for every chat
	pace       *pace          // the bot's and each chat's steady pace
}

// The updates the bot asks for: edits are answered, not read (see
// onEdit); my_chat_member says a person blocked or unblocked the bot (see
// onChatMember).
var allowedUpdates = []string{
	models.AllowedUpdateMessage, models.AllowedUpdateEditedMessage, models.AllowedUpdateCallbackQuery,
	models.AllowedUpdateMyChatMember,
}

var secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// New checks the token with getMe and returns a channel that feeds b.
// Nothing is received until Run.
func New(token string, b *bot.Bot, log *slog.Logger, opts ...Option) (*Channel, error) {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	c := &Channel{bot: b, log: log.With("component", "telegram"), cfg: cfg, flood: flood{now: cfg.now}}
	c.pace = newPace(cfg.now, cfg.overall, cfg.perChat)
	if cfg.shared != nil {
		c.flood.share = c.shareFlood
	}
	api, err := tgbot.New(token, append(c.apiOptions(), tgbot.WithSkipGetMe())...)
	if err != nil {
		return nil, fmt.Errorf("telegram: connect: %w", err)
	}
	c.api = api
	if err := c.checkToken(); err != nil {
		return nil, err
	}
	return c, nil
}

// checkToken asks Telegram who the bot is: a token it refuses stops the
// channel at once, as a mistake of configuration; a Telegram that cannot
// be reached now does not (it failed serve, and every other channel with
// it, on each restart during an outage of Telegram): Run waits for it.
func (c *Channel) checkToken() error {
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.callTimeout)
	defer cancel()
	_, err := c.api.GetMe(ctx)
	switch {
	case err == nil:
		return nil
	case refused(err):
		return fmt.Errorf("telegram: connect: %w", err)
	}
	c.log.Warn("Telegram cannot be reached now; the channel waits for it", "err", err)
	return nil
}

// tokenRefused counts a call Telegram refused for the bot's token (401,
// or 404 for a malformed one) as the account's failure: the whole channel
// is deaf and mute until an operator acts. The outbox counts its sends;
// this counts the calls it does not see (getUpdates, setWebhook).
func (c *Channel) tokenRefused(err error) bool {
	if !errors.Is(err, tgbot.ErrorUnauthorized) && !errors.Is(err, tgbot.ErrorNotFound) {
		return false
	}
	c.cfg.failures.Failed(Name, tokenCode(err), true)
	return true
}

// refused reports whether Telegram refused a call for good: the token
// (401, or 404 for a malformed one), or the call itself (400).
func refused(err error) bool {
	return errors.Is(err, tgbot.ErrorUnauthorized) || errors.Is(err, tgbot.ErrorNotFound) || errors.Is(err, tgbot.ErrorBadRequest)
}

func (cfg *config) check() error {
	// A secret is required rather than made up here: several serve
	// processes each making up their own would keep refusing each other's
	// webhook calls.
	if cfg.webhookURL != "" && !secretPattern.MatchString(cfg.secret) {
		return errors.New("telegram: the webhook needs a secret token of 1 to 256 characters A-Z, a-z, 0-9, _ or -")
	}
	if cfg.pollTimeout < 2*time.Second {
		return errors.New("telegram: the poll timeout must be at least 2s")
	}
	if cfg.workers < 1 || cfg.maxRetries < 0 {
		return errors.New("telegram: workers must be at least 1 and retries not negative")
	}
	return nil
}

func (c *Channel) apiOptions() []tgbot.Option {
	client := c.cfg.client
	if client == nil {
		// A connection for each worker and the poll, kept between calls.
		client = &http.Client{Timeout: c.cfg.pollTimeout + 10*time.Second, Transport: apiclient.Transport(c.cfg.workers + 1)}
	}
	// The transport records each send's HTTP status, which the library's
	// errors leave out, to tell Telegram's failures from ours.
	traced := *client
	base := traced.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	traced.Transport = transport{base: base, cut: c.cutUpdates, unreadable: &c.unreadable}
	client = &traced
	opts := []tgbot.Option{
		tgbot.WithHTTPClient(c.cfg.pollTimeout, &pollHold{client: client, now: c.cfg.now, wait: c.cfg.wait}),
		tgbot.WithDefaultHandler(c.onUpdate),
		tgbot.WithErrorsHandler(c.libraryError),
		// The library's worker calls onUpdate in turn; onUpdate only queues
		// the update on its chat's lane, so the order is kept and one slow
		// chat does not hold up the rest.
		tgbot.WithNotAsyncHandlers(),
		tgbot.WithAllowedUpdates(allowedUpdates),
		// No buffer between the library's reader and its worker: the
		// reader asks for the next batch, which confirms this one to
		// Telegram, only once the worker has handed every update to a
		// lane. With the library's 1,024, confirmed updates waited in
		// memory while the lanes were full, and were dropped when the
		// poller's context ended (a lost lease, a restart): Telegram
		// never sent them again.
		tgbot.WithUpdatesChannelCap(0),
	}
	if c.cfg.serverURL != "" {
		opts = append(opts, tgbot.WithServerURL(c.cfg.serverURL))
	}
	if c.cfg.secret != "" {
		opts = append(opts, tgbot.WithWebhookSecretToken(c.cfg.secret))
	}
	return opts
}

// Name implements bot.Channel.
func (c *Channel) Name() string { return Name }

// libraryError logs the library's errors, without the bodies they quote.
// A getUpdates answer it could not decode is read as its essentials when
// the library asks for it again (see readableUpdates).
func (c *Channel) libraryError(err error) {
	msg := withoutBody(err.Error())
	if c.tokenRefused(err) {
		c.log.Error("Telegram refuses the bot's token: no update is received and no message sent until an operator replaces it", "err", msg)
		return
	}
	if strings.Contains(msg, "decode response result for method getUpdates") {
		c.unreadable.Store(true)
		c.log.Warn("updates the library cannot read: asking for them again, to read them as their text", "err", msg)
		return
	}
	c.log.Error("telegram library", "err", msg)
}

// cutUpdates logs updates read only as their essentials (see readable).
func (c *Channel) cutUpdates(n int) {
	c.log.Warn("updates the library cannot read were read as their text alone", "n", n)
}

// withoutBody is a library error without the body it quotes: an update
// or a getUpdates answer the library could not decode (a kind Telegram
// adds later) is quoted whole, people's messages in it, a key typed among
// them, and was logged at error (a channels probe).
func withoutBody(msg string) string {
	for _, mark := range []string{"decode request body, ", "decode response body for method "} {
		i := strings.Index(msg, mark)
		if i < 0 {
			continue
		}
		start := i + len(mark)
		if strings.HasSuffix(mark, "method ") {
			// The method's name, then the body.
			j := strings.Index(msg[start:], ", ")
			if j < 0 {
				return msg[:start] + "…"
			}
			start += j + 2
		}
		end := strings.LastIndex(msg, ", ")
		if end < start {
			return msg[:start] + "(body withheld)"
		}
		return msg[:start] + "(body withheld)" + msg[end:]
	}
	return msg
}

// flushInbox makes the inbox forget the messages whose turns ended as the
// lanes closed: another replica would run them again, for nothing.
func (c *Channel) flushInbox() {
	if c.cfg.inbox == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.cfg.inbox.Flush(ctx); err != nil {
		c.log.Warn("messages answered not taken off the inbox", "err", err)
	}
}

// Run receives updates until ctx ends: long polling, or the webhook when
// one was configured (mount WebhookHandler first). Updates already taken
// are still answered before Run returns.
func (c *Channel) Run(ctx context.Context) error {
	c.seq = bot.NewSequencer(c.cfg.workers, c.cfg.queue)
	defer c.flushInbox()
	defer c.seq.Close()
	if ib := c.cfg.inbox; ib != nil {
		// Every process runs what a dead one left, the poller or not;
		// the loop ends before the lanes close.
		ictx, stop := context.WithCancel(ctx)
		stopped := make(chan struct{})
		go func() {
			defer close(stopped)
			ib.Run(ictx, func(id string, raw []byte) { c.redo(ctx, id, raw) })
		}()
		defer func() { stop(); <-stopped }()
	}
	// Webhook calls are taken from here on, each update queued on its
	// chat's lane.
	c.runCtx = ctx
	c.running.Store(true)
	defer func() {
		c.hooks.Lock()
		defer c.hooks.Unlock()
		c.running.Store(false)
	}()
	if err := c.subscribe(ctx); err != nil {
		return err
	}
	defer c.answering.Wait()
	c.setCommands(ctx)
	if c.cfg.webhookURL != "" {
		c.log.Info("receiving updates by webhook")
		c.api.StartWebhook(ctx)
		return nil
	}
	if c.cfg.pollLease == nil {
		c.log.Info("receiving updates by long polling")
		c.api.Start(ctx)
		return nil
	}
	// Telegram lets one process poll a token (a second one gets 409
	// Conflict): the lease holder polls, the others only send.
	c.log.Info("waiting for the polling lease")
	err := c.cfg.pollLease.Run(ctx, func(ctx context.Context) error {
		c.log.Info("receiving updates by long polling (lease held)")
		c.api.Start(ctx)
		return nil
	})
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// subscribe sets the webhook, or removes it for polling: getUpdates is
// refused while a webhook is set. While Telegram cannot be reached or
// fails on its side it tries again, every minute at most, until ctx ends:
// one failure at start left Telegram off for the life of the process.
func (c *Channel) subscribe(ctx context.Context) error {
	what, call := "set webhook", func(ctx context.Context) error {
		_, err := c.api.SetWebhook(ctx, &tgbot.SetWebhookParams{
			URL: c.cfg.webhookURL, SecretToken: c.cfg.secret, AllowedUpdates: allowedUpdates,
		})
		return err
	}
	if c.cfg.webhookURL == "" {
		what, call = "delete webhook", func(ctx context.Context) error {
			_, err := c.api.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{})
			return err
		}
	}
	for attempt := 0; ; attempt++ {
		err := c.retry(ctx, call)
		if ctx.Err() != nil {
			// Stopping, even with the call on its way: a serve stopped as
			// it started is no failure (a test that stopped its channel
			// right after Telegram took the webhook got "set webhook:
			// context canceled" from Run).
			return nil
		}
		if err == nil || refused(err) {
			if err != nil {
				c.tokenRefused(err)
				return fmt.Errorf("telegram: %s: %w", what, err)
			}
			return nil
		}
		d := min(time.Second<<min(attempt, 6), time.Minute)
		c.log.Warn("Telegram cannot be reached; trying again", "call", what, "wait", d, "err", err)
		if err := c.cfg.wait(ctx, d); err != nil {
			return nil // stopping
		}
	}
}

// TagsQuestions implements bot.Tagger: every button's callback data names
// the question it belongs to (see keyboard).
func (c *Channel) TagsQuestions() {}
