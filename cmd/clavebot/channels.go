package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/clavebot/clavebot/bot/lease"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/bot/telegram"
	"github.com/clavebot/clavebot/bot/whatsapp"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud"
	"github.com/clavebot/clavebot/desk/redisdesk"
)

// channelConfig is the Telegram and WhatsApp settings of serve.
type channelConfig struct {
	TelegramToken         string
	TelegramAPIURL        string
	TelegramWebhookURL    string
	TelegramWebhookSecret string

	WhatsApp      bool
	WhatsAppMode  string
	WhatsAppPhone string
	Cloud         cloud.Config
}

func (cc *channelConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&cc.TelegramToken, "telegram-token", env("CLAVEBOT_TELEGRAM_TOKEN", ""), "Telegram bot token from BotFather; enables Telegram")
	fs.StringVar(&cc.TelegramAPIURL, "telegram-api-url", env("CLAVEBOT_TELEGRAM_API_URL", ""), "another Bot API server (self-hosted, or an emulator)")
	fs.StringVar(&cc.TelegramWebhookURL, "telegram-webhook-url", env("CLAVEBOT_TELEGRAM_WEBHOOK_URL", ""), "public https URL of /telegram/webhook; webhook mode instead of long polling")
	fs.StringVar(&cc.TelegramWebhookSecret, "telegram-webhook-secret", env("CLAVEBOT_TELEGRAM_WEBHOOK_SECRET", ""), "secret token Telegram sends with each webhook call (required with --telegram-webhook-url)")
	fs.BoolVar(&cc.WhatsApp, "whatsapp", envBool("CLAVEBOT_WHATSAPP"), "enable WhatsApp")
	fs.StringVar(&cc.WhatsAppMode, "whatsapp-mode", env("CLAVEBOT_WHATSAPP_MODE", "whatsmeow"), "whatsmeow (a linked device) or cloud (WhatsApp Business Cloud API)")
	fs.StringVar(&cc.WhatsAppPhone, "whatsapp-phone", env("CLAVEBOT_WHATSAPP_PHONE", ""), "pair by phone code for this number (digits, e.g. 5491123456789) instead of a QR code")
	fs.StringVar(&cc.Cloud.APIURL, "whatsapp-api-url", env("CLAVEBOT_WHATSAPP_API_URL", ""), "Graph API base URL (cloud mode)")
	fs.StringVar(&cc.Cloud.PhoneNumberID, "whatsapp-phone-number-id", env("CLAVEBOT_WHATSAPP_PHONE_NUMBER_ID", ""), "business phone number id (cloud mode)")
	fs.StringVar(&cc.Cloud.AccessToken, "whatsapp-token", env("CLAVEBOT_WHATSAPP_TOKEN", ""), "Graph API access token (cloud mode)")
	fs.StringVar(&cc.Cloud.AppSecret, "whatsapp-app-secret", env("CLAVEBOT_WHATSAPP_APP_SECRET", ""), "app secret that signs webhooks (cloud mode)")
	fs.StringVar(&cc.Cloud.VerifyToken, "whatsapp-verify-token", env("CLAVEBOT_WHATSAPP_VERIFY_TOKEN", ""), "webhook verification token (cloud mode)")
	cc.registerDelivery(fs)
}

// runner is a background job of serve.
type runner func(ctx context.Context) error

// startChannels builds the configured channels, mounts their webhooks on
// mux, registers them with the outbox, and returns their loops.
func (s *server) startChannels(ctx context.Context, cc *channelConfig, mux *http.ServeMux) ([]runner, error) {
	var jobs []runner
	if cc.TelegramToken != "" {
		job, err := s.startTelegram(cc, mux)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, job)
	}
	if !cc.WhatsApp {
		return jobs, nil
	}
	switch cc.WhatsAppMode {
	case "cloud":
		c, err := cloud.New(cc.Cloud, s.app.bot, s.log)
		if err != nil {
			return nil, fmt.Errorf("whatsapp cloud: %w", err)
		}
		mux.Handle("/whatsapp/webhook", c)
		s.app.outbox.Register(c)
		s.onRelay = append(s.onRelay, func(r *relay.Relay) { c.SetReceipts(r) })
		s.onClose(func() error { c.Close(); return nil })
		jobs = append(jobs, s.reminders(cloud.Name))
	case "whatsmeow":
		job, err := s.startWhatsmeow(ctx, cc)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, job)
	default:
		return nil, fmt.Errorf("whatsapp: --whatsapp-mode must be whatsmeow or cloud, not %q", cc.WhatsAppMode)
	}
	return jobs, nil
}

func (s *server) startTelegram(cc *channelConfig, mux *http.ServeMux) (runner, error) {
	var opts []telegram.Option
	if cc.TelegramAPIURL != "" {
		opts = append(opts, telegram.WithServerURL(cc.TelegramAPIURL))
	}
	if cc.TelegramWebhookURL != "" {
		opts = append(opts, telegram.WithWebhook(cc.TelegramWebhookURL, cc.TelegramWebhookSecret))
	} else {
		// One process polls the token at a time; every process sends.
		opts = append(opts, telegram.WithPollLease(lease.New(s.app.redis, keyPrefix+"telegram:poll", 0, s.log)))
	}
	ch, err := telegram.New(cc.TelegramToken, s.app.bot, s.log, opts...)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	mux.Handle(telegram.WebhookPath, ch.WebhookHandler())
	s.app.outbox.Register(ch)
	remind := s.reminders(telegram.Name)
	return func(ctx context.Context) error {
		go remind(ctx)
		return ch.Run(ctx)
	}, nil
}

// startWhatsmeow links the device stored in the registry's database. Only
// the replica holding the lease connects it; another takes over when that
// one dies.
func (s *server) startWhatsmeow(ctx context.Context, cc *channelConfig) (runner, error) {
	var opts []whatsapp.Option
	if cc.WhatsAppPhone != "" {
		opts = append(opts, whatsapp.WithPhone(cc.WhatsAppPhone))
	}
	// The codes to link the device also show on every replica's desk.
	s.pairing = redisdesk.NewPairing(s.app.redis, keyPrefix)
	publish := func(set func(context.Context, string) error) func(string) {
		return func(code string) {
			pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := set(pctx, code); err != nil {
				s.log.Warn("whatsapp pairing not shown on the desk", "err", err)
			}
		}
	}
	opts = append(opts, whatsapp.WithQRWriter(os.Stderr),
		whatsapp.WithOnQR(publish(s.pairing.SetQR)), whatsapp.WithOnPairingCode(publish(s.pairing.SetCode)))
	l := lease.New(s.app.redis, keyPrefix+"whatsapp:lease", 0, s.log)
	// Every process registers the channel; it is ready (and sends) only
	// in the one holding the lease while connected, so the others' out-of-
	// turn messages wait in the outbox for it.
	opts = append(opts, whatsapp.WithLeaseHeld(l.Held))
	wa, err := whatsapp.New(ctx, s.app.db.DB().DB, s.app.db.Dialect(), s.app.bot, s.log, opts...)
	if err != nil {
		return nil, fmt.Errorf("whatsapp: %w", err)
	}
	s.onClose(func() error { wa.Close(); return nil })
	s.app.outbox.Register(wa)
	s.onRelay = append(s.onRelay, func(r *relay.Relay) { wa.SetReceipts(r) })
	remind := s.reminders(whatsapp.Name)
	return func(ctx context.Context) error {
		go remind(ctx)
		return l.Run(ctx, func(ctx context.Context) error {
			err := wa.Run(ctx)
			if err != nil {
				s.log.Error("whatsapp stopped", "err", err)
			}
			return err
		})
	}, nil
}

// reminders delivers due reminders of one channel from this process.
func (s *server) reminders(channel string) runner {
	return func(ctx context.Context) error {
		s.app.remind.Run(ctx, 5*time.Second, s.app.outbox, channel)
		return nil
	}
}
