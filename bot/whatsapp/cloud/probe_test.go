package cloud

import (
	"context"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot/bottest"
)

// TestProbeCountsRevokedToken: the access token revoked on a quiet night
// (nobody writes, the outbox has nothing to send) was found only at the
// next send, in the morning, by the first person who wrote and got no
// answer: nothing else called the Graph API. The channel now reads its
// phone number every ProbeEvery, and a refusal of the account counts as
// the sends' do (clavebot_send_failures_total{scope="account"}), which
// pages (ClavebotChannelAccountFailing); a healthy read counts nothing.
func TestProbeCountsRevokedToken(t *testing.T) {
	f := &bottest.Failures{}
	h := newHarnessBot(t, nil, nil, func(c *Config) { c.ProbeEvery, c.Failures = time.Millisecond, f })
	t.Cleanup(h.c.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.g.WaitUntil(ctx, func() bool { return len(h.g.Probes()) > 0 }); err != nil {
		t.Fatalf("the phone number was never read: %v", err)
	}
	if f.Total() != 0 {
		t.Fatalf("a healthy token counted failures: %v", f)
	}
	h.g.Revoke()
	if err := h.g.WaitUntil(ctx, func() bool { return f.Count("whatsapp", "account", "190") > 0 }); err != nil {
		t.Fatalf("the revoked token was not counted as the account's failure (probes %v): %v", h.g.Probes(), err)
	}
}

// TestProbeCountsTheAccountsOwn: the probe reads the phone number, which
// needs a permission sends do not (whatsapp_business_management); a
// permission refused to the read alone must not page as the account's.
func TestProbeCountsTheAccountsOwn(t *testing.T) {
	for _, tt := range []struct {
		status, code int
		want         bool
	}{
		{401, 190, true}, {401, 0, true}, {400, 368, true}, {400, 131031, true}, {400, 131042, true}, {400, 133010, true},
		{403, 10, false}, {403, 200, false}, {400, 3, false}, {400, 131005, false},
		{500, 2, false}, {429, 4, false}, {400, 100, false},
	} {
		ge := &GraphError{Status: tt.status, Code: tt.code}
		if got := ge.probeCounts(); got != tt.want {
			t.Errorf("status %d code %d: counted %v, want %v", tt.status, tt.code, got, tt.want)
		}
	}
}
