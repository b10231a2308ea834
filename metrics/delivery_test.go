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
	if n := testutil.ToFloat64(d.sent.WithLabelValues("whatsapp", "agent")); n != 2 {
		t.Errorf("sent = %v, want 2", n)
	}
	if n := testutil.ToFloat64(d.dead.WithLabelValues("telegram", "reminder", "403")); n != 1 {
		t.Errorf("dead letters = %v, want 1", n)
	}
	if n := testutil.ToFloat64(d.replies.WithLabelValues("whatsapp", "131026")); n != 1 {
		t.Errorf("undelivered replies = %v, want 1", n)
	}
	if n, _ := testutil.GatherAndCount(reg); n != 5 {
		t.Errorf("%d series gathered, want 5", n)
	}
}
