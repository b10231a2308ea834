package telegram_test

import (
	"context"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/bottest"
	"github.com/clavebot/clavebot/bot/telegram"
	"github.com/clavebot/clavebot/bot/telegram/telegramtest"
	"github.com/clavebot/clavebot/i18n"
)

// TestRevokedTokenCounted: the bot's token was revoked while serve ran
// (BotFather's /revoke, a token replaced and not deployed). The Bot API
// answered every getUpdates (and setWebhook, for a webhook) 401, and the
// channel only logged it every few seconds: no message came in, none went
// out, and the only alert that could see it (ClavebotChannelSilent)
// compares with last week's traffic. The 401 is counted now as the
// account's failure (clavebot_send_failures_total{scope="account"}), which
// pages within minutes (ClavebotChannelAccountFailing).
func TestRevokedTokenCounted(t *testing.T) {
	for _, mode := range []string{"polling", "webhook"} {
		t.Run(mode, func(t *testing.T) {
			api := telegramtest.New(token)
			t.Cleanup(api.Close)
			f := &bottest.Failures{}
			opts := []telegram.Option{telegram.WithServerURL(api.URL), telegram.WithPollTimeout(2 * time.Second), telegram.WithFailures(f)}
			if mode == "webhook" {
				opts = append(opts, telegram.WithWebhook("http://127.0.0.1:1/telegram/webhook", "s3cret"))
			}
			cat, _ := i18n.Load()
			ch, err := telegram.New(token, bot.New(newFakeEngine(), cat.Printer(i18n.ES), discard()), discard(), opts...)
			if err != nil {
				t.Fatal(err)
			}
			api.Revoke()
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- ch.Run(ctx) }()
			defer func() { cancel(); <-done }()
			deadline := time.Now().Add(10 * time.Second)
			for f.Count("telegram", "account", "401") == 0 {
				if time.Now().After(deadline) {
					t.Fatalf("the Bot API's 401 was not counted as the account's failure: %v", f)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}
