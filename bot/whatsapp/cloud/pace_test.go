package cloud

import (
	"slices"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
)

// TestPairRateLimitPacesTheOutbox: Meta lets a business write to one
// person about once every 6 s, and says nothing of when (131056 comes
// with no Retry-After). An agent's message refused for it was tried
// again by the outbox's backoff (2 s, 4 s by default: 1 s and 2 s here),
// each try refused again until the pace allowed it. It now waits the
// pace, as a turn's send does.
func TestPairRateLimitPacesTheOutbox(t *testing.T) {
	w := newWorld(t)
	w.g.Text(alice, "hablar con una persona")
	w.waitSent(t, 1)
	w.c.Close()
	w.g.FailNext(graphtest.PairRateLimit)
	w.deliver(t, "agent:a1", "Hola, soy Ana")
	w.drain(t)
	if st := w.delivery(t).Statuses["agent:a1"]; st.State != bot.Retrying || st.Code != "131056" {
		t.Fatalf("after the 131056: %+v", st)
	}
	w.clk.add(4 * time.Second) // past the backoff's first wait, before the pace
	w.drain(t)
	if got := w.g.Texts(alice); len(got) != 1 {
		t.Fatalf("Meta was asked again %v after a 131056: took %q", 4*time.Second, got)
	}
	w.clk.add(4 * time.Second) // past the pace, and its margin
	w.drain(t)
	if got, want := w.g.Texts(alice), []string{"echo hablar con una persona", "Hola, soy Ana"}; !slices.Equal(got, want) {
		t.Fatalf("Meta took %q, want %q", got, want)
	}
}
