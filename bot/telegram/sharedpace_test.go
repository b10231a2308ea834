package telegram_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/pace"
	"github.com/clavebot/clavebot/bot/telegram"
	"github.com/clavebot/clavebot/bot/telegram/telegramtest"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// replica is one serve process sending with the bot's token: it polls
// nothing, and records the waits it would have made.
type replica struct {
	ch    *telegram.Channel
	mu    sync.Mutex
	waits []time.Duration
}

func newReplica(t *testing.T, api *telegramtest.Server, opts ...telegram.Option) *replica {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	r := &replica{}
	wait := func(_ context.Context, d time.Duration) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.waits = append(r.waits, d)
		return nil
	}
	base := []telegram.Option{telegram.WithServerURL(api.URL), telegram.WithRetryWait(wait), telegram.WithMaxRetries(1)}
	r.ch, err = telegram.New(token, bot.New(newFakeEngine(), cat.Printer(i18n.ES), discard()), discard(), append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// twoReplicas are two replicas with opts sharing a pace in Redis, on one
// fake Bot API where the people of chats 1001 and 1002 wrote to the bot.
func twoReplicas(t *testing.T, opts ...telegram.Option) (*telegramtest.Server, *replica, *replica) {
	t.Helper()
	rdb := testenv.Redis(t)
	key := testenv.Prefix(t, rdb, "tgpace") + "pace:{telegram}"
	api := telegramtest.New(token)
	t.Cleanup(api.Close)
	api.Text(1001, "hola")
	api.Text(1002, "hola")
	a := newReplica(t, api, append(opts, telegram.WithSharedPace(pace.New(rdb, key)))...)
	b := newReplica(t, api, append(opts, telegram.WithSharedPace(pace.New(rdb, key)))...)
	return api, a, b
}

func (r *replica) longestWait() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	var longest time.Duration
	for _, d := range r.waits {
		longest = max(longest, d)
	}
	return longest
}

// TestReplicasShareTelegramsPace: Telegram lets a bot send about 30
// messages a second, whatever the number of processes sending with its
// token (production runs 6 to 60 serve replicas, all sending). Each
// process paced itself alone: the second replica's message went at once,
// though the first had just taken the token's slot. With a shared pace
// it waits its turn, here 3 s.
func TestReplicasShareTelegramsPace(t *testing.T) {
	_, a, b := twoReplicas(t, telegram.WithPace(telegram.Rate{Every: 3 * time.Second, Burst: 1}, telegram.Rate{}))
	if err := a.ch.SendText(t.Context(), "1001", "uno"); err != nil {
		t.Fatal(err)
	}
	if err := b.ch.SendText(t.Context(), "1002", "dos"); err != nil {
		t.Fatal(err)
	}
	if w := b.longestWait(); w < 2*time.Second {
		t.Errorf("the second replica waited %v for its slot, want about 3 s (the first took the token's)", w)
	}
}

// TestFloodWaitHoldsEveryReplica: Telegram's flood control asked one
// replica to wait a minute; the others went on sending, each message
// refused with 429 (which prolongs the wait Telegram asked for) until
// each had heard it for itself. The wait one replica hears now holds
// them all: the other sends nothing, and its message is left to wait.
func TestFloodWaitHoldsEveryReplica(t *testing.T) {
	api, a, b := twoReplicas(t)
	api.Flood(time.Minute)
	if err := a.ch.SendText(t.Context(), "1001", "uno"); err == nil {
		t.Fatal("a message was taken during the flood wait")
	}
	refused := len(api.Calls("sendMessage"))
	if err := b.ch.SendText(t.Context(), "1002", "dos"); err == nil {
		t.Fatal("a message was taken during the flood wait")
	}
	if n := len(api.Calls("sendMessage")) - refused; n > 0 {
		t.Errorf("the second replica sent %d messages during the flood wait the first heard, each refused", n)
	}
	if w := b.longestWait(); w < 50*time.Second {
		t.Errorf("the second replica waited %v, want what is left of Telegram's minute", w)
	}
}
