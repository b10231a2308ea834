package telegram_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/telegram"
	"github.com/clavebot/clavebot/bot/telegram/telegramtest"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// TestStartsWhileTelegramIsDown: serve started (a new replica, a
// restart) while the Bot API could not be reached. The channel failed at
// its first call (getMe), and serve with it, so an outage of Telegram took
// the REST chat, WhatsApp and the desk down on every restart; and one that
// began after getMe made setWebhook fail once and Telegram stayed off for
// the life of the process, its webhook answering 503 (a resilience
// probe). The channel now starts, says it waits for Telegram, and sets
// its webhook (or removes it, to poll) as soon as it can; a token
// Telegram refuses still stops it at once.
func TestStartsWhileTelegramIsDown(t *testing.T) {
	for _, mode := range []string{"polling", "webhook"} {
		t.Run(mode, func(t *testing.T) {
			api := telegramtest.New(token)
			t.Cleanup(api.Close)
			px := testenv.NewProxy(t, strings.TrimPrefix(api.URL, "http://"))
			px.Cut(true)
			opts := []telegram.Option{telegram.WithServerURL("http://" + px.Addr()), telegram.WithPollTimeout(2 * time.Second),
				telegram.WithRetryWait(func(ctx context.Context, d time.Duration) error {
					select { // a short wait, as the test's clock
					case <-time.After(10 * time.Millisecond):
						return nil
					case <-ctx.Done():
						return ctx.Err()
					}
				})}
			if mode == "webhook" {
				opts = append(opts, telegram.WithWebhook("http://127.0.0.1:1/telegram/webhook", "s3cret"))
			}
			cat, _ := i18n.Load()
			ch, err := telegram.New(token, bot.New(newFakeEngine(), cat.Printer(i18n.ES), discard()), discard(), opts...)
			if err != nil {
				t.Fatalf("New with Telegram down: %v", err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- ch.Run(ctx) }()
			defer func() { cancel(); <-done }()
			time.Sleep(200 * time.Millisecond)
			select {
			case err := <-done:
				t.Fatalf("Run gave up while Telegram was down: %v", err)
			default:
			}
			px.Restore()
			wctx, wcancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer wcancel()
			method := "deleteWebhook"
			if mode == "webhook" {
				method = "setWebhook"
			}
			if err := api.WaitUntil(wctx, func() bool { return len(api.OK(method)) > 0 }); err != nil {
				t.Fatalf("%s never made once Telegram was back: %v", method, err)
			}
		})
	}
	t.Run("token refused", func(t *testing.T) {
		api := telegramtest.New(token)
		t.Cleanup(api.Close)
		cat, _ := i18n.Load()
		_, err := telegram.New("999:wrong", bot.New(newFakeEngine(), cat.Printer(i18n.ES), discard()), discard(), telegram.WithServerURL(api.URL))
		if err == nil {
			t.Fatal("New took a token Telegram refuses")
		}
	})
}
