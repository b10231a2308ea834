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

// TestLateResendKeepsTheTurnsOrder: a turn's reply Meta took and later
// reported failed for a reason that may pass went again alone, after the
// replies sent since: the turn's later replies (its question last) came
// before it, and the reply of a turn since answered came before the old
// one, which the person read as the bot's last word. It goes again with
// the rest of its turn, so the turn reads as it was, while its turn is
// still the chat's latest; a reply a newer turn has since answered past
// is not sent again (a question too, see Undelivered).
func TestLateResendKeepsTheTurnsOrder(t *testing.T) {
	for _, tc := range []struct {
		name  string
		say   []string
		fail  int // the index of the reply Meta reports failed
		taken []string
		want  []string
	}{
		{"its turn the latest", []string{"uno | dos | tres"}, 0,
			[]string{"echo uno", "echo dos", "echo tres"},
			[]string{"echo uno", "echo dos", "echo tres", "echo uno", "echo dos", "echo tres"}},
		{"the middle one", []string{"uno | dos | tres"}, 1,
			[]string{"echo uno", "echo dos", "echo tres"},
			[]string{"echo uno", "echo dos", "echo tres", "echo dos", "echo tres"}},
		{"a turn answered since", []string{"uno", "dos"}, 0,
			[]string{"echo uno", "echo dos"},
			[]string{"echo uno", "echo dos"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, graphtest.WithoutStatuses())
			for i, text := range tc.say {
				if _, code, err := w.g.Text(alice, text); err != nil || code != 200 {
					t.Fatal(code, err)
				}
				w.waitSent(t, i+1)
			}
			w.waitSent(t, len(tc.taken))
			sent := w.g.Sent(alice)
			w.failLater(t, graphtest.RateLimit, sent[tc.fail])
			w.failLater(t, graphtest.RateLimit, sent[tc.fail]) // Meta may post a failure twice
			w.settle(t, len(tc.want))
			if got := w.g.Texts(alice); !slices.Equal(got, tc.want) {
				t.Fatalf("Meta took %q, want %q", got, tc.want)
			}
		})
	}
}

// TestTurnReplyFailedForTheWindowIsHeld: a person's message Meta
// delivers again after an outage of the bot's, a day and more later,
// gets its answer after the 24-hour window closed, and Meta can take the
// reply and report 131047 only by a failed status. The reply was only
// logged: the person never got it, and no template asked them to come
// back. It goes to the outbox, which holds it, sends the template, and
// delivers it when the person writes again.
func TestTurnReplyFailedForTheWindowIsHeld(t *testing.T) {
	w := newWorld(t, graphtest.WithoutStatuses(), graphtest.WithLateWindowFailures())
	old := graphtest.TextMessage(alice, "wamid.old", "uno", w.clk.now().Add(-30*time.Hour))
	body := w.harness.delivery(old)
	if rec := w.post(body, graphtest.Sign(w.g.AppSecret, body)); rec.Code != 200 {
		t.Fatalf("answered %d", rec.Code)
	}
	w.waitSent(t, 1)
	w.settle(t, 2)
	if got, want := w.g.Texts(alice), []string{"echo uno", "template:aviso_mesa"}; !slices.Equal(got, want) {
		t.Fatalf("Meta took %q, want %q", got, want)
	}
	if _, code, err := w.g.Text(alice, "dos"); err != nil || code != 200 {
		t.Fatal(code, err)
	}
	w.settle(t, 4)
	if got, want := w.g.Texts(alice), []string{"echo uno", "template:aviso_mesa", "echo uno", "echo dos"}; !slices.Equal(got, want) {
		t.Fatalf("after the person wrote again Meta took %q, want %q", got, want)
	}
}
