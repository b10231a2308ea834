package cloud

import (
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
	"github.com/clavebot/clavebot/metrics"
)

// TestAccountFailuresCounted: Meta refused the business account, not one
// message (a token expired, an account blocked, locked or unpaid, a
// number not registered, a permission removed): every chat's messages
// waited, logged at warn, and the only alert came after half an hour
// (ClavebotOutboxStalled), since the retries were counted without a code
// (a probe against serve with the fake Graph API). Each failed try is
// counted now by Meta's code, the account's apart (scope "account"), for
// ClavebotChannelAccountFailing to page within minutes; one person's
// failure stays "message".
func TestAccountFailuresCounted(t *testing.T) {
	for _, tt := range []struct {
		f     graphtest.Failure
		scope string
	}{
		{graphtest.TokenExpired, "account"},
		{graphtest.PolicyBlock, "account"},
		{graphtest.AccountLocked, "account"},
		{graphtest.PaymentIssue, "account"},
		{graphtest.NotRegistered, "account"},
		{graphtest.PermissionDenied, "account"},
		{graphtest.Undeliverable, "message"},
		{graphtest.ServerError, "message"},
	} {
		t.Run(strconv.Itoa(tt.f.Code), func(t *testing.T) {
			reg := prometheus.NewRegistry()
			w := newWorldWith(t, []relay.Option{relay.WithMeter(metrics.NewDelivery(reg))})
			if _, code, err := w.g.Text(alice, "hablar con una persona"); err != nil || code != 200 {
				t.Fatal(code, err)
			}
			w.waitSent(t, 1)
			w.g.Refuse(tt.f)
			w.deliver(t, "agent:a1", "Buen día, soy Ana.")
			w.drain(t)
			w.clk.add(time.Minute)
			w.drain(t)
			want := strconv.Itoa(tt.f.Code)
			if n, err := testutil.GatherAndCount(reg, "clavebot_send_failures_total"); err != nil || n == 0 {
				t.Fatalf("no send failure counted (%v)", err)
			}
			mfs, err := reg.Gather()
			if err != nil {
				t.Fatal(err)
			}
			for _, mf := range mfs {
				if mf.GetName() != "clavebot_send_failures_total" {
					continue
				}
				for _, m := range mf.GetMetric() {
					labels := map[string]string{}
					for _, l := range m.GetLabel() {
						labels[l.GetName()] = l.GetValue()
					}
					if labels["channel"] != "whatsapp" || labels["code"] != want || labels["scope"] != tt.scope {
						t.Errorf("counted %v, want whatsapp, code %s, scope %s", labels, want, tt.scope)
					}
				}
			}
		})
	}
}
