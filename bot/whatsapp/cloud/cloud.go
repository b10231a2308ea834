// Package cloud connects clavebot to WhatsApp through Meta's WhatsApp
// Business Cloud API: people's messages arrive on a signed webhook, replies
// go out through the Graph API, with buttons or a list for options where
// they fit. Unlike a linked device it needs no single connection, so every
// replica can serve the webhook.
package cloud

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/whatsapp/internal/recent"
	"github.com/clavebot/clavebot/internal/apiclient"
	"github.com/clavebot/clavebot/internal/errs"
)

// DefaultAPIURL is Meta's Graph API.
const DefaultAPIURL = "https://graph.facebook.com"

// DefaultGraphVersion is the Graph API version used unless configured.
// Meta serves a version about two years: v25.0 (February 2026) until
// 29 July 2028.
const DefaultGraphVersion = "v25.0"

// DefaultTemplateLang is the language of the template that reopens a
// conversation, unless configured.
const DefaultTemplateLang = "es_AR"

// Window is WhatsApp's customer service window: free-form messages reach
// a person only this long after their last message.
const Window = 24 * time.Hour

// Name is the channel's name in Inbound.Channel and chat ids.
const Name = "whatsapp"

// Config holds the Cloud API settings of one business phone number.
type Config struct {
	PhoneNumberID string // the business number's id (not the number itself)
	AccessToken   string // a system user's token with whatsapp_business_messaging
	AppSecret     string // signs the webhooks
	VerifyToken   string // the token typed in the app's webhook settings
	APIURL        string // DefaultAPIURL when empty; a URL ending in a version (…/v21.0) keeps it
	GraphVersion  string // DefaultGraphVersion when empty
	// Template names an approved template that reopens a conversation
	// whose 24-hour window has closed; TemplateLang is its language
	// (DefaultTemplateLang when empty).
	Template     string
	TemplateLang string
	// Receipts takes the statuses Meta reports (sent, delivered, read,
	// failed) of the messages the outbox sent; nil ignores them.
	Receipts bot.Receipts
	// ReplyUndelivered is told the code of each turn's reply Meta took
	// and reported later it could not deliver (a failed status); the
	// outbox never had those, so only the log said so. Nil: only the log.
	ReplyUndelivered func(code string)
	HTTPClient       *http.Client
	Workers          int // chats served in parallel (default 16)
	// ConfirmWithin is how long Meta may take to report, by a status, a
	// message whose send got no answer (default one minute).
	ConfirmWithin time.Duration
	// Inbox keeps each person's message the webhook takes until its turn
	// ends, for another process to run if this one dies first; nil keeps
	// them in memory alone.
	Inbox Inbox
	// ProbeEvery is how often the channel reads its phone number from
	// the Graph API, a cheap call, so that a token revoked or an account
	// blocked is counted (Failures) with no message to send: with no
	// traffic it was found only at the next person's message. Zero
	// probes never.
	ProbeEvery time.Duration
	// Failures counts the probe's refusals of the account (the sends'
	// are counted by the outbox); nil counts nothing, and probes never.
	Failures bot.Failures
}

// Inbox keeps the messages the webhook took and whose turns have not
// ended (bot/inbox).
type Inbox interface {
	// Put keeps msg before the webhook is answered.
	Put(ctx context.Context, id string, msg []byte) error
	// Done forgets it once its turn ended.
	Done(ctx context.Context, id string) error
	// Flush makes Redis forget those done, once the last turns ended.
	Flush(ctx context.Context) error
	// Run hands redo, until ctx ends, the messages a process that
	// stopped left.
	Run(ctx context.Context, redo func(id string, msg []byte))
}

// The channel's capabilities the bot and the outbox detect.
var (
	_ http.Handler     = (*Cloud)(nil)
	_ bot.Channel      = (*Cloud)(nil)
	_ bot.OptionSender = (*Cloud)(nil)
	_ bot.Tracker      = (*Cloud)(nil)
	_ bot.Windowed     = (*Cloud)(nil)
	_ bot.Reopener     = (*Cloud)(nil)
	_ bot.Tagger       = (*Cloud)(nil)
	_ bot.LateReporter = (*Cloud)(nil)
)

// Cloud is the Cloud API channel: an http.Handler for the webhook and the
// bot.Channel replies go through.
type Cloud struct {
	cfg       Config
	bot       *bot.Bot
	http      *http.Client
	seq       *bot.Sequencer
	seen      *recent.Set
	taken     *takenReplies
	log       *slog.Logger
	retry     retry
	messages  string // the /messages URL
	mu        sync.Mutex
	closeOnce sync.Once
	// closing ends stopCut after Close began: a turn's calls still in
	// flight then are cut (see post).
	closing  context.Context
	cutCalls context.CancelFunc
	// stopInbox ends the inbox's loop at Close, which waits for it
	// (inboxDone) before the lanes close.
	stopInbox context.CancelFunc
	inboxDone chan struct{}
	// stopProbe ends the account's probe (see ProbeEvery) at Close.
	stopProbe context.CancelFunc
	probeDone chan struct{}
}

// New checks cfg and starts the chats' workers; serve the Cloud as the
// webhook (e.g. on /whatsapp/webhook) and Close it on shutdown.
func New(cfg Config, b *bot.Bot, log *slog.Logger) (*Cloud, error) {
	if err := cfg.check(); err != nil {
		return nil, errs.E(errs.Invalid, "cloud.New", err)
	}
	cfg = cfg.withDefaults()
	closing, cutCalls := context.WithCancel(context.Background())
	c := &Cloud{
		closing:  closing,
		cutCalls: cutCalls,
		cfg:      cfg,
		bot:      b,
		http:     cfg.HTTPClient,
		seq:      bot.NewSequencer(cfg.Workers, 64),
		seen:     recent.New(8192),
		taken:    newTakenReplies(),
		log:      log.With("component", "whatsapp-cloud"),
		retry:    defaultRetry(),
		messages: messagesURL(cfg),
	}
	c.inboxDone = make(chan struct{})
	inboxCtx, stop := context.WithCancel(context.Background())
	c.stopInbox = stop
	go func() {
		defer close(c.inboxDone)
		if cfg.Inbox != nil {
			cfg.Inbox.Run(inboxCtx, c.redo)
		}
	}()
	c.probeDone = make(chan struct{})
	probeCtx, stopProbe := context.WithCancel(context.Background())
	c.stopProbe = stopProbe
	go func() {
		defer close(c.probeDone)
		if cfg.ProbeEvery > 0 && cfg.Failures != nil {
			c.probeLoop(probeCtx)
		}
	}()
	return c, nil
}

func (cfg Config) withDefaults() Config {
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	if cfg.GraphVersion == "" {
		cfg.GraphVersion = DefaultGraphVersion
	}
	if cfg.TemplateLang == "" {
		cfg.TemplateLang = DefaultTemplateLang
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.HTTPClient == nil {
		// A connection for each worker and the read receipts, kept
		// between calls.
		cfg.HTTPClient = &http.Client{Timeout: 20 * time.Second, Transport: apiclient.Transport(cfg.Workers + 1)}
	}
	if cfg.ConfirmWithin <= 0 {
		cfg.ConfirmWithin = time.Minute
	}
	return cfg
}

var versionPattern = regexp.MustCompile(`^v\d+\.\d+$`)

// messagesURL is <api>/<version>/<phone number id>/messages; an API URL
// that already ends in a version (the old --whatsapp-api-url default)
// keeps its own.
func messagesURL(cfg Config) string {
	base := cfg.APIURL
	if !versionPattern.MatchString(path.Base(base)) {
		base += "/" + cfg.GraphVersion
	}
	return base + "/" + cfg.PhoneNumberID + "/messages"
}

func (cfg Config) check() error {
	if cfg.GraphVersion != "" && !versionPattern.MatchString(cfg.GraphVersion) {
		return fmt.Errorf("whatsapp cloud: graph version %q is not like v25.0", cfg.GraphVersion)
	}
	var missing []string
	for name, v := range map[string]string{
		"phone number id": cfg.PhoneNumberID, "access token": cfg.AccessToken,
		"app secret": cfg.AppSecret, "verify token": cfg.VerifyToken,
	} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return errors.New("whatsapp cloud: missing " + strings.Join(missing, ", "))
	}
	return nil
}

// Name implements bot.Channel.
func (c *Cloud) Name() string { return Name }

// Window implements bot.Windowed.
func (c *Cloud) Window() time.Duration { return Window }

// Template implements bot.Reopener.
func (c *Cloud) Template() string { return c.cfg.Template }

// ReportsLate implements bot.LateReporter: Meta reports by a failed
// status a message it took and could not deliver.
func (c *Cloud) ReportsLate() {}

// TagsQuestions implements bot.Tagger: every button and list row carries
// the question it belongs to.
func (c *Cloud) TagsQuestions() {}

// Close waits for the queued turns; call it once the webhook is no longer
// served. A turn's call to the Graph API still in flight stopCut after
// Close began is cut, and the turn leaves its unsent replies to the
// outbox: a Graph API that stalled held Close for the HTTP client's 20 s
// a call, past serve's grace, and the replies went with the killed
// process (a resilience probe).
func (c *Cloud) Close() {
	c.closeOnce.Do(func() {
		c.stopProbe()
		<-c.probeDone
		c.stopInbox()
		<-c.inboxDone
		t := time.AfterFunc(stopCut, c.cutCalls)
		defer t.Stop()
		c.seq.Close()
		c.flushInbox()
	})
}

// flushInbox makes the inbox forget the messages whose turns ended as the
// lanes closed: another replica would run them again, for nothing.
func (c *Cloud) flushInbox() {
	if c.cfg.Inbox == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.cfg.Inbox.Flush(ctx); err != nil {
		c.log.Warn("messages answered not taken off the inbox", "err", err)
	}
}

// stopCut is how long a turn's call in flight when Close begins may still
// take: one answered by then counts.
const stopCut = 2 * time.Second

// turnTimeout bounds one message's turn, retries included.
const turnTimeout = 2 * time.Minute

func (c *Cloud) turnContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), turnTimeout)
}
