package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/inbox"
	"github.com/clavebot/clavebot/bot/lease"
	"github.com/clavebot/clavebot/bot/pace"
	"github.com/clavebot/clavebot/bot/telegram"
	"github.com/clavebot/clavebot/bot/whatsapp"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud"
	"github.com/clavebot/clavebot/desk/redisdesk"
)

// openChannels builds the configured channels over the bot, mounts their
// webhooks on mux, registers them as this process's channels, and adds
// their loops to the jobs. It returns WhatsApp's pairing codes when
// whatsmeow runs here, for the desk to show.
func (m *Main) openChannels(ctx context.Context, cc *channelConfig, mux *http.ServeMux) (*redisdesk.Pairing, error) {
	if cc.TelegramToken != "" {
		if err := m.openTelegram(cc, mux); err != nil {
			return nil, err
		}
	}
	if !cc.WhatsApp {
		return nil, nil
	}
	switch cc.WhatsAppMode {
	case "cloud":
		ccfg := cc.Cloud
		ccfg.Receipts = m.Relay
		if d := m.delivery; d != nil {
			ccfg.ReplyUndelivered = func(code string) { d.ReplyUndelivered(cloud.Name, code) }
			// A token revoked or an account blocked with nobody writing
			// is counted by the probe, not at the next person's message.
			ccfg.Failures = d
		}
		// A person's message taken by the webhook is kept in Redis,
		// sealed, until its turn ends: another replica runs it if this
		// one dies first (Meta, answered 200, never posts it again).
		ib, err := m.inbox(cloud.Name)
		if err != nil {
			return nil, err
		}
		ccfg.Inbox = ib
		c, err := cloud.New(ccfg, m.Bot, m.Log)
		if err != nil {
			return nil, fmt.Errorf("whatsapp cloud: %w", err)
		}
		m.onClose("whatsapp", func() error { c.Close(); return nil })
		mux.Handle("/whatsapp/webhook", c)
		m.Local.Register(c)
		m.jobs = append(m.jobs, m.reminders(cloud.Name))
		return nil, nil
	case "whatsmeow":
		return m.openWhatsmeow(ctx, cc)
	}
	return nil, fmt.Errorf("whatsapp: --whatsapp-mode must be whatsmeow or cloud, not %q", cc.WhatsAppMode)
}

// inbox keeps the people's messages a channel took until their turns
// end, sealed under a key the replicas derive from the deployment's
// secret: another replica runs them if this one dies first.
func (m *Main) inbox(channel string) (*inbox.Inbox, error) {
	sealer, err := bot.NewSealer(m.Registry.DerivedKey("inbox"))
	if err != nil {
		return nil, err
	}
	return inbox.New(m.Redis, keyPrefix, channel, sealer, m.Config.chatLockTTL(), m.Log), nil
}

func (m *Main) openTelegram(cc *channelConfig, mux *http.ServeMux) error {
	var opts []telegram.Option
	if cc.TelegramAPIURL != "" {
		opts = append(opts, telegram.WithServerURL(cc.TelegramAPIURL))
	}
	if cc.TelegramWebhookURL != "" {
		opts = append(opts, telegram.WithWebhook(cc.TelegramWebhookURL, cc.TelegramWebhookSecret))
	} else {
		// One process polls the token at a time; every process sends.
		opts = append(opts, telegram.WithPollLease(lease.New(m.Redis, keyPrefix+"telegram:poll", 0, m.Log)))
	}
	ib, err := m.inbox(telegram.Name)
	if err != nil {
		return err
	}
	// Telegram's limits are the token's: every process takes its
	// messages' slots from one bucket, and a flood wait holds them all.
	opts = append(opts, telegram.WithInbox(ib), telegram.WithSharedPace(pace.New(m.Redis, keyPrefix+"telegram:pace:{telegram}")))
	if d := m.delivery; d != nil {
		// A token refused on getUpdates or setWebhook, which the outbox
		// never sees, pages as the outbox's sends refused do.
		opts = append(opts, telegram.WithFailures(d))
	}
	ch, err := telegram.New(cc.TelegramToken, m.Bot, m.Log, opts...)
	if err != nil {
		return fmt.Errorf("telegram: %w", err)
	}
	mux.Handle(telegram.WebhookPath, ch.WebhookHandler())
	m.Local.Register(ch)
	remind := m.reminders(telegram.Name)
	m.jobs = append(m.jobs, func(ctx context.Context) error {
		go remind(ctx)
		return ch.Run(ctx)
	})
	return nil
}

// openWhatsmeow links the device stored in the registry's database. Only
// the replica holding the lease connects it; another takes over when that
// one dies.
func (m *Main) openWhatsmeow(ctx context.Context, cc *channelConfig) (*redisdesk.Pairing, error) {
	opts := []whatsapp.Option{whatsapp.WithReceipts(m.Relay)}
	if cc.WhatsAppPhone != "" {
		opts = append(opts, whatsapp.WithPhone(cc.WhatsAppPhone))
	}
	// The codes to link the device also show on every replica's desk.
	pairing := redisdesk.NewPairing(m.Redis, keyPrefix)
	publish := func(set func(context.Context, string) error) func(string) {
		return func(code string) {
			pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := set(pctx, code); err != nil {
				m.Log.Warn("whatsapp pairing not shown on the desk", "err", err)
			}
		}
	}
	opts = append(opts, whatsapp.WithQRWriter(os.Stderr),
		whatsapp.WithOnQR(publish(pairing.SetQR)), whatsapp.WithOnPairingCode(publish(pairing.SetCode)))
	l := lease.New(m.Redis, keyPrefix+"whatsapp:lease", 0, m.Log)
	// Every process registers the channel; it is ready (and sends) only
	// in the one holding the lease while connected, so the others' out-of-
	// turn messages wait in the outbox for it.
	opts = append(opts, whatsapp.WithLeaseHeld(l.Held))
	wa, err := whatsapp.New(ctx, m.DB.DB().DB, m.DB.Dialect(), m.Bot, m.Log, opts...)
	if err != nil {
		return nil, fmt.Errorf("whatsapp: %w", err)
	}
	m.onClose("whatsapp", func() error { wa.Close(); return nil })
	m.Local.Register(wa)
	remind := m.reminders(whatsapp.Name)
	m.jobs = append(m.jobs, func(ctx context.Context) error {
		go remind(ctx)
		return l.Run(ctx, func(ctx context.Context) error {
			err := wa.Run(ctx)
			if err != nil {
				m.Log.Error("whatsapp stopped", "err", err)
			}
			return err
		})
	})
	return pairing, nil
}
