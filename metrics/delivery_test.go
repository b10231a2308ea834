package metrics

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestDeliveryCounts(t *testing.T) {
	reg := prometheus.NewRegistry()
	d := NewDelivery(reg)
	d.Sent("whatsapp", "agent")
	d.Sent("whatsapp", "agent")
	d.Dead("telegram", "reminder", "403")
	d.Retried("whatsapp", "unsure")
	d.Template("whatsapp", "sent")
	d.ReplyUndelivered("whatsapp", "131026")
	d.TemplateFailed("whatsapp", "132001")
	d.TemplateFailed("whatsapp", "")
	if n := testutil.ToFloat64(d.sent.WithLabelValues("whatsapp", "agent")); n != 2 {
		t.Errorf("sent = %v, want 2", n)
	}
	if n := testutil.ToFloat64(d.dead.WithLabelValues("telegram", "reminder", "403")); n != 1 {
		t.Errorf("dead letters = %v, want 1", n)
	}
	if n := testutil.ToFloat64(d.replies.WithLabelValues("whatsapp", "131026")); n != 1 {
		t.Errorf("undelivered replies = %v, want 1", n)
	}
	if n := testutil.ToFloat64(d.tplFailed.WithLabelValues("whatsapp", "132001")); n != 1 {
		t.Errorf("failed templates = %v, want 1", n)
	}
	if n := testutil.ToFloat64(d.tplFailed.WithLabelValues("whatsapp", "unknown")); n != 1 {
		t.Errorf("failed templates without a code = %v, want 1", n)
	}
	if n, _ := testutil.GatherAndCount(reg); n != 7 {
		t.Errorf("%d series gathered, want 7", n)
	}
}

// TestSendFailuresBounded: a failure is counted by the platform's code
// when it is a known one, else as "other" (Meta adds codes; nothing a
// chat's id or a message could put in a label grows the series), and the
// account's failures apart from one message's.
func TestSendFailuresBounded(t *testing.T) {
	for _, tt := range []struct {
		channel, code string
		account       bool
		wantCode      string
		wantScope     string
	}{
		{"whatsapp", "190", true, "190", "account"},
		{"whatsapp", "131031", true, "131031", "account"},
		{"whatsapp", "131026", false, "131026", "message"},
		{"telegram", "401", true, "401", "account"},
		{"telegram", "403", false, "403", "message"},
		{"whatsapp", "987654", true, "other", "account"},
		{"telegram", "5491155550101", false, "other", "message"},
		{"whatsapp", "", false, "none", "message"},
	} {
		t.Run(tt.channel+"/"+tt.code, func(t *testing.T) {
			d := NewDelivery(prometheus.NewRegistry())
			d.Failed(tt.channel, tt.code, tt.account)
			if n := testutil.ToFloat64(d.failures.WithLabelValues(tt.channel, tt.wantCode, tt.wantScope)); n != 1 {
				t.Errorf("clavebot_send_failures_total{code=%q,scope=%q} = %v, want 1", tt.wantCode, tt.wantScope, n)
			}
			if n := testutil.CollectAndCount(d.failures); n != 1 {
				t.Errorf("%d series, want 1", n)
			}
		})
	}
}
