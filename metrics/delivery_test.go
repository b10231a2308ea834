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
