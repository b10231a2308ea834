// Package cloud connects clavebot to WhatsApp through Meta's WhatsApp
// Business Cloud API: people's messages arrive on a signed webhook, replies
// go out through the Graph API, with buttons or a list for options where
// they fit. Unlike a linked device it needs no single connection, so every
// replica can serve the webhook.
package cloud

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/whatsapp/internal/recent"
	"github.com/clavebot/clavebot/internal/errs"
)

// DefaultAPIURL is Meta's Graph API, at the version this package follows.
const DefaultAPIURL = "https://graph.facebook.com/v21.0"

// Name is the channel's name in Inbound.Channel and chat ids.
const Name = "whatsapp"

// Config holds the Cloud API settings of one business phone number.
type Config struct {
	PhoneNumberID string // the business number's id (not the number itself)
	AccessToken   string // a system user's token with whatsapp_business_messaging
	AppSecret     string // signs the webhooks
	VerifyToken   string // the token typed in the app's webhook settings
	APIURL        string // DefaultAPIURL when empty
	HTTPClient    *http.Client
	Workers       int // chats served in parallel (default 16)
}

// Cloud is the Cloud API channel: an http.Handler for the webhook and the
// bot.Channel replies go through.
type Cloud struct {
	cfg   Config
	bot   *bot.Bot
	http  *http.Client
	seq   *bot.Sequencer
	seen  *recent.Set
	log   *slog.Logger
	retry retry
}

var (
	_ bot.Channel      = (*Cloud)(nil)
	_ bot.OptionSender = (*Cloud)(nil)
	_ http.Handler     = (*Cloud)(nil)
)

// New checks cfg and starts the chats' workers; serve the Cloud as the
// webhook (e.g. on /whatsapp/webhook) and Close it on shutdown.
func New(cfg Config, b *bot.Bot, log *slog.Logger) (*Cloud, error) {
	if err := cfg.check(); err != nil {
		return nil, errs.E(errs.Invalid, "cloud.New", err)
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 20 * time.Second}
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	return &Cloud{
		cfg:   cfg,
		bot:   b,
		http:  cfg.HTTPClient,
		seq:   bot.NewSequencer(cfg.Workers, 64),
		seen:  recent.New(8192),
		log:   log.With("component", "whatsapp-cloud"),
		retry: defaultRetry(),
	}, nil
}

func (cfg Config) check() error {
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

// Close waits for the queued turns; call it once the webhook is no longer
// served.
func (c *Cloud) Close() { c.seq.Close() }

// turnTimeout bounds one message's turn, retries included.
const turnTimeout = 2 * time.Minute

func (c *Cloud) turnContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), turnTimeout)
}
