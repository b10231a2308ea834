package telegram_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/telegram/telegramtest"
)

// TestRepliesWaitBehindTheOutbox: a turn's reply Telegram throttled
// (429, retry_after) past its retries in place waits in the outbox; the
// person writes again, the outbox's try is throttled once more, and the
// new turn's reply, retried in place, went out first: "eco: dos" before
// "eco: uno". What a chat already waits for goes first; the new replies
// queue behind it.
func TestRepliesWaitBehindTheOutbox(t *testing.T) {
	o := newOutboxed(t)
	o.api.Text(1001, "hola")
	o.waitReplies(t, 1001, 1)
	o.api.FailNext("sendMessage", 7, 2) // the turn's six tries, the outbox's first
	id := o.api.Text(1001, "uno")
	key := "reply:" + strconv.Itoa(id)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if st := o.status(t, key); st.State == bot.Retrying && st.Tries >= 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the reply is %+v, want it waiting in the outbox", o.status(t, key))
		}
	}
	o.api.FailNext("sendMessage", 2, 1) // still throttled: the outbox's try now, the turn's first
	o.api.Text(1001, "dos")
	o.waitReplies(t, 1001, 3)
	want := []string{"eco: hola", "eco: uno", "eco: dos"}
	if got := o.texts("sendMessage", 1001); !slices.Equal(got, want) {
		t.Fatalf("Telegram took %q, want %q", got, want)
	}
}

// TestLongRetryAfterLeavesTheLane: Telegram's flood control can ask for
// a wait of many seconds (retry_after 30). The turn waited it in place,
// holding the chat's lane, and with it every chat of that worker, up to
// the turn's two minutes. A wait longer than a few seconds is the
// outbox's: the reply goes there at once, and the outbox sends it when
// Telegram lets it.
func TestLongRetryAfterLeavesTheLane(t *testing.T) {
	o := newOutboxed(t)
	o.api.FailNext("sendMessage", 1, 30)
	id := o.api.Text(1001, "hola")
	o.waitWaiting(t, "telegram:1001")
	for _, w := range o.retryWaits() {
		if w > 5*time.Second {
			t.Fatalf("the turn waited %v in place (waits %v)", w, o.retryWaits())
		}
	}
	o.advance(30 * time.Second) // Telegram's wait ends
	for deadline := time.Now().Add(5 * time.Second); o.status(t, "reply:"+strconv.Itoa(id)).State != bot.Sent; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the reply is %+v, want sent by the outbox", o.status(t, "reply:"+strconv.Itoa(id)))
		}
	}
	if got := o.texts("sendMessage", 1001); !slices.Equal(got, []string{"eco: hola"}) {
		t.Fatalf("Telegram took %q", got)
	}
}

// TestLongRetryAfterWithoutAnOutbox: with nothing to keep the reply, the
// turn still waits what Telegram asks.
func TestLongRetryAfterWithoutAnOutbox(t *testing.T) {
	h := start(t)
	h.api.FailNext("sendMessage", 1, 30)
	h.api.Text(1001, "hola")
	if got := h.waitReplies(t, 1001, 1); !slices.Equal(got, []string{"eco: hola"}) {
		t.Fatalf("Telegram took %q", got)
	}
	if w := h.retryWaits(); !slices.Equal(w, []time.Duration{30 * time.Second}) {
		t.Fatalf("waited %v, want retry_after", w)
	}
}

// TestUpdatesTheLibraryCannotRead: Telegram adds kinds to its updates
// (here a forward origin of a type the library does not know). By long
// polling the library failed the whole batch and asked for it again for
// ever: nobody's message was answered after it. By webhook the update was
// dropped. The bot reads such an update as its text, and goes on.
func TestUpdatesTheLibraryCannotRead(t *testing.T) {
	check := func(t *testing.T, h *harness) {
		h.api.Forwarded(1001, "me llegó esto", "a_kind_to_come")
		h.api.Text(1002, "hola")
		h.waitReplies(t, 1002, 1)
		if got := h.waitReplies(t, 1001, 1); !slices.Equal(got, []string{"eco: me llegó esto"}) {
			t.Fatalf("replies %q", got)
		}
		if !strings.Contains(h.logs.String(), "read as their text alone") {
			t.Fatalf("no line says an update was cut:\n%s", h.logs.String())
		}
	}
	t.Run("polling", func(t *testing.T) { check(t, start(t)) })
	t.Run("webhook", func(t *testing.T) {
		h, _ := startWebhook(t, newFakeEngine())
		h.waitFor(t, "setWebhook", func() bool { return len(h.api.OK("setWebhook")) == 1 })
		check(t, h)
	})
}

// TestTelegramFailuresLeaveTheLane: a reply Telegram failed on its side
// (5xx) was retried in place 1+2+4+8+16 s, held only in memory: a process
// killed in those 31 s lost it, the person's message confirmed and the
// state saved (a resilience probe), and the chat's lane, with every chat
// of its worker, waited. With an outbox the turn waits at most a few
// seconds in all; the outbox keeps the reply and sends it.
func TestTelegramFailuresLeaveTheLane(t *testing.T) {
	o := newOutboxed(t)
	bad := telegramtest.Fault{Code: 502, Description: "Bad Gateway"}
	o.api.Fail("sendMessage", bad, bad, bad, bad, bad, bad)
	id := o.api.Text(1001, "hola")
	if got := o.waitReplies(t, 1001, 1); !slices.Equal(got, []string{"eco: hola"}) {
		t.Fatalf("Telegram took %q", got)
	}
	var waited time.Duration
	for _, w := range o.retryWaits() {
		waited += w
	}
	if waited > 5*time.Second {
		t.Fatalf("the turn waited %v in place (waits %v), want at most 5 s", waited, o.retryWaits())
	}
	key := "reply:" + strconv.Itoa(id)
	for deadline := time.Now().Add(5 * time.Second); o.status(t, key).State != bot.Sent; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the reply is %+v, want sent by the outbox", o.status(t, key))
		}
	}
}

// TestFloodWaitHoldsEverySend: Telegram's flood control (429 with a long
// retry_after, after the bot sent too many messages in all) holds the
// bot, not one chat. The turn's reply went to the outbox, which tried it
// again at once, and every other chat's reply was sent meanwhile, each
// refused, prolonging the flood the bot was asked to wait out. Now no
// message is sent before the wait ends: the replies wait in the outbox,
// which sends them then.
func TestFloodWaitHoldsEverySend(t *testing.T) {
	o := newOutboxed(t)
	o.api.Text(1001, "hola")
	o.waitReplies(t, 1001, 1)
	o.api.Flood(time.Hour)
	o.api.Text(1001, "uno")
	o.waitWaiting(t, "telegram:1001")
	o.api.Text(1002, "dos")
	o.waitWaiting(t, "telegram:1002")
	var refused int
	for _, c := range o.api.Calls("sendMessage") {
		if c.Status == 429 {
			refused++
		}
	}
	if refused != 1 {
		t.Fatalf("Telegram refused %d messages during the flood wait, want only the one that started it", refused)
	}
}

// waitWaiting waits until chat has a message waiting in the outbox, tried.
func (o *outboxed) waitWaiting(t *testing.T, chat string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		d, err := o.relay.Delivery(context.Background(), chat)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range d.Statuses {
			if st.State == bot.Retrying && st.Tries >= 1 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: nothing waits in the outbox: %+v", chat, d)
		}
	}
}

// TestFloodWaitDoesNotHoldATap: a tap is marked on its question (the
// keyboard replaced by "✅ <choice>") before the engine gets it. During
// Telegram's flood wait that edit was retried in place, waiting what
// Telegram asked (an hour here, 30 s and more in life) up to five times,
// with the chat's lane and every chat of its worker held, for a mark that
// is only cosmetic. The mark is let go; the choice goes on to the engine
// and its reply to the outbox.
func TestFloodWaitDoesNotHoldATap(t *testing.T) {
	o := newOutboxed(t)
	o.api.Text(1001, "opciones")
	o.waitReplies(t, 1001, 1)
	question := o.api.BotMessages(1001)[0]
	o.api.Flood(time.Hour)
	if _, err := o.api.TapOption(1001, question.ID, 1); err != nil {
		t.Fatal(err)
	}
	o.waitWaiting(t, "telegram:1001")
	for _, w := range o.retryWaits() {
		if w > 5*time.Second {
			t.Fatalf("the tap waited %v in place (waits %v)", w, o.retryWaits())
		}
	}
	if in := o.eng.inbound("telegram:1001"); len(in) != 2 || in[1].Text != menuOptions[0] {
		t.Fatalf("engine got %+v", in)
	}
}
