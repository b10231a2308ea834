package telegram_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
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
