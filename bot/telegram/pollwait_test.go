package telegram_test

import (
	"testing"
	"time"
)

// TestPollingWaitsRetryAfter: Telegram answered a getUpdates 429 with
// parameters.retry_after (a bot polling too often, a Bot API server
// protecting itself), and the library's polling loop asked again after
// 100 ms, 200 ms, 400 ms…, never more than 5 s: each early call prolongs
// the wait Telegram asked for. The next getUpdates now leaves only once
// retry_after has passed (by the channel's clock, which the harness's
// waits move on; the fake stamps calls by the same clock).
func TestPollingWaitsRetryAfter(t *testing.T) {
	h, _ := newHarness(t, newFakeEngine())
	h.api.Now = h.now
	const retryAfter = 7
	h.api.FailNext("getUpdates", 2, retryAfter)
	h.run(t)
	h.waitFor(t, "a getUpdates answered after the 429s", func() bool { return len(h.api.OK("getUpdates")) > 0 })
	calls := h.api.Calls("getUpdates")
	for i := 1; i < len(calls); i++ {
		if calls[i-1].Status != 429 {
			continue
		}
		if gap := calls[i].At.Sub(calls[i-1].At); gap < retryAfter*time.Second {
			t.Errorf("getUpdates %d left %v after a 429 with retry_after %d s", i+1, gap, retryAfter)
		}
	}
	if n := len(calls); n < 3 || calls[0].Status != 429 || calls[1].Status != 429 {
		t.Fatalf("want two 429s then an answer, got %d calls: %+v", n, calls)
	}
}
