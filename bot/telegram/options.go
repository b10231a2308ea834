package telegram

import (
	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/internal/ctxsleep"

	"context"
	"net/http"
	"time"
)

// Option configures a Channel.
type Option func(*config)

type config struct {
	serverURL   string
	webhookURL  string
	secret      string
	client      *http.Client
	pollTimeout time.Duration
	workers     int
	queue       int
	maxRetries  int
	turnTimeout time.Duration
	callTimeout time.Duration
	wait        func(ctx context.Context, d time.Duration) error
	now         func() time.Time
	pollLease   Leaser
	inbox       Inbox
	overall     Rate
	perChat     Rate
	shared      Pacer
	failures    bot.Failures
}

// Leaser runs fn while this process holds a lease shared with the other
// processes; *lease.Lease is one.
type Leaser interface {
	Run(ctx context.Context, fn func(ctx context.Context) error) error
}

func defaults() config {
	return config{
		pollTimeout: time.Minute,
		workers:     32,
		queue:       64,
		maxRetries:  5,
		turnTimeout: 2 * time.Minute,
		callTimeout: 15 * time.Second,
		wait:        ctxsleep.Sleep,
		now:         time.Now,
		overall:     defaultOverall,
		perChat:     defaultPerChat,
		failures:    noFailures{},
	}
}

// WithServerURL points the channel at another Bot API server: a
// self-hosted one, or a fake in tests (--telegram-api-url).
func WithServerURL(url string) Option { return func(c *config) { c.serverURL = url } }

// WithWebhook makes Telegram push updates to url (which must reach
// WebhookHandler, mounted at WebhookPath) instead of the channel polling.
// Telegram sends secretToken in every request and anything without it is
// refused; it is required: 1 to 256 characters of A-Z, a-z, 0-9, _ and -.
func WithWebhook(url, secretToken string) Option {
	return func(c *config) { c.webhookURL, c.secret = url, secretToken }
}

// WithHTTPClient sets the client for Bot API calls. Its Timeout must be
// longer than the poll timeout, or every long poll fails.
func WithHTTPClient(client *http.Client) Option { return func(c *config) { c.client = client } }

// WithPollTimeout sets how long one getUpdates call waits for updates
// (default one minute).
func WithPollTimeout(d time.Duration) Option { return func(c *config) { c.pollTimeout = d } }

// WithWorkers sets how many chats are served at once (default 32); each
// chat's updates still run one at a time, in order.
func WithWorkers(n int) Option { return func(c *config) { c.workers = n } }

// WithMaxRetries bounds how many times one call is retried after a 429
// (default 5).
func WithMaxRetries(n int) Option { return func(c *config) { c.maxRetries = n } }

// WithPollLease makes the channel long-poll only while it holds l, so
// several serve processes with the same token never poll at once (which
// Telegram answers with 409 Conflict); the others still send.
func WithPollLease(l Leaser) Option { return func(c *config) { c.pollLease = l } }

// Inbox keeps the people's messages taken from Telegram whose turns have
// not ended (bot/inbox).
type Inbox interface {
	// Put keeps msg before the update is confirmed to Telegram.
	Put(ctx context.Context, id string, msg []byte) error
	// Done forgets it once its turn ended.
	Done(ctx context.Context, id string) error
	// Flush makes Redis forget those done, once the last turns ended.
	Flush(ctx context.Context) error
	// Run hands redo, until ctx ends, the messages a process that
	// stopped left.
	Run(ctx context.Context, redo func(id string, msg []byte))
}

// WithInbox keeps each person's message in ib until its turn ends:
// Telegram never sends again an update confirmed (polling) or answered
// 200 (webhook), and the chat's lane is this process's memory, which a
// kill loses. Another process runs what a dead one left.
func WithInbox(ib Inbox) Option { return func(c *config) { c.inbox = ib } }

// WithClock replaces time.Now, for tests (the flood wait is timed by it).
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithRetryWait replaces the wait before retrying a call Telegram
// throttled, so tests need not sleep; production honours retry_after.
func WithRetryWait(wait func(ctx context.Context, d time.Duration) error) Option {
	return func(c *config) { c.wait = wait }
}

// WithPace sets the steady pace of the bot's messages, in all and in each
// chat (default 25 a second with bursts of 4, and one a second with bursts
// of 3: under Telegram's 30 and 1). A zero Every does not pace.
func WithPace(overall, perChat Rate) Option {
	return func(c *config) { c.overall, c.perChat = overall, perChat }
}

// Pacer is the bot's pace shared by every process of its token
// (bot/pace): Telegram's 30 messages a second, and a flood wait it asks
// of one process, are the token's.
type Pacer interface {
	// Reserve takes the token's next slot and returns how long to wait
	// for it; during a hold, or when the slot is further than within,
	// none, and how long to wait before asking again, held true.
	Reserve(ctx context.Context, every time.Duration, burst int, within time.Duration) (wait time.Duration, held bool, err error)
	// Hold makes every process wait d before its next message.
	Hold(ctx context.Context, d time.Duration) error
}

// WithSharedPace paces the bot's messages in all (WithPace's overall)
// with p, for every process of the token at once: each process paced
// itself alone, and N replicas sent N times Telegram's limit, each
// refused on its own through a flood wait another had heard. Redis
// failing, a process paces itself alone.
func WithSharedPace(p Pacer) Option { return func(c *config) { c.shared = p } }

// WithFailures counts the Bot API's refusals of the bot's own calls that
// the outbox does not see: getUpdates and setWebhook (or deleteWebhook)
// answered 401, the token revoked, are counted as the account's failures
// (metrics.Delivery), so an alert pages within minutes rather than the
// log repeating it every few seconds.
func WithFailures(f bot.Failures) Option { return func(c *config) { c.failures = f } }

type noFailures struct{}

func (noFailures) Failed(string, string, bool) {}
