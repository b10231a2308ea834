package cloud

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
)

// TestLateFailureThatMayPassIsSentAgainOnce: Meta took a message and
// reported later, by a failed status, that it could not deliver it for a
// reason that may pass (its rate limits, a failure on its side). A turn's
// reply was only counted, an agent's reply only shown failed: the person
// never got either. Each goes again, once, through the outbox, in order;
// Meta delivering the failure twice, or failing the second copy too,
// sends no more. A failure that will not pass (131026) sends a plain
// text nothing more.
func TestLateFailureThatMayPassIsSentAgainOnce(t *testing.T) {
	for _, tc := range []struct {
		f    graphtest.Failure
		sent bool // sent again
	}{
		{graphtest.ServerError, true},
		{graphtest.Temporary, true},
		{graphtest.ServiceUnavailable, true},
		{graphtest.RateLimit, true},
		{graphtest.PairRateLimit, true},
		{graphtest.Undeliverable, false},
	} {
		t.Run(strconv.Itoa(tc.f.Code), func(t *testing.T) {
			w := newWorld(t, graphtest.WithoutStatuses()) // never delivered
			if _, code, err := w.g.Text(alice, "uno"); err != nil || code != 200 {
				t.Fatal(code, err)
			}
			w.waitSent(t, 1)
			w.deliver(t, "agent:a1", "Hola, soy Ana")
			w.drain(t)
			w.waitSent(t, 2)
			first := w.g.Sent(alice)
			w.failLater(t, tc.f, first...)
			w.failLater(t, tc.f, first...) // Meta may post a failure twice
			want := []string{"echo uno", "Hola, soy Ana"}
			if tc.sent {
				want = append(want, "echo uno", "Hola, soy Ana")
			}
			w.settle(t, len(want))
			if got := w.g.Texts(alice); !slices.Equal(got, want) {
				t.Fatalf("Meta took %q, want %q", got, want)
			}
			w.failLater(t, tc.f, w.g.Sent(alice)[len(first):]...)
			w.settle(t, len(want))
			if got := w.g.Texts(alice); !slices.Equal(got, want) {
				t.Fatalf("after the copies failed too Meta took %q, want %q", got, want)
			}
		})
	}
}

// failLater has Meta report each of msgs failed, and waits for the
// webhook to have answered the reports.
func (w *world) failLater(t *testing.T, f graphtest.Failure, msgs ...graphtest.Message) {
	t.Helper()
	before := len(w.g.WebhookStatuses())
	for _, m := range msgs {
		if err := w.g.FailLater(m.ID, f); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.g.WaitUntil(ctx, func() bool { return len(w.g.WebhookStatuses()) >= before+len(msgs) }); err != nil {
		t.Fatalf("the failures were not posted: %v", err)
	}
}

// settle drains alice's outbox until Meta took n messages, then once
// more.
func (w *world) settle(t *testing.T, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.g.WaitUntil(ctx, func() bool {
		w.drain(t)
		return len(w.g.Sent(alice)) >= n
	}); err != nil {
		t.Fatalf("Meta took %q, want %d messages", w.g.Texts(alice), n)
	}
	w.drain(t)
}
