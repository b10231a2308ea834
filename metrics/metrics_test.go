package metrics

import (
	"context"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/clavebot/clavebot/dialog"
)

func TestRecorderCounts(t *testing.T) {
	r := New(prometheus.NewRegistry())
	ctx := context.Background()
	for _, ev := range []dialog.Event{
		{Name: "start", Flow: dialog.FlowCreate, Channel: "telegram"},
		{Name: "step", Flow: dialog.FlowCreate, Step: dialog.StepCUIL, Channel: "telegram"},
		{Name: "step", Flow: dialog.FlowCreate, Step: dialog.StepCUIL, Channel: "rest"},
		{Name: "faq_rating", Intent: "key.what", Value: 1},
		{Name: "faq_rating", Intent: "key.what", Value: 0},
		{Name: "faq_rating", Intent: "key.what", Value: 1},
	} {
		r.Record(ctx, ev)
	}
	if n := testutil.ToFloat64(r.steps.WithLabelValues("create", "cuil")); n != 2 {
		t.Errorf("cuil steps = %v, want 2", n)
	}
	if n := testutil.ToFloat64(r.ratings.WithLabelValues("key.what", "yes")); n != 2 {
		t.Errorf("useful ratings = %v, want 2", n)
	}
	if n := testutil.ToFloat64(r.events.WithLabelValues("start", "create", "telegram")); n != 1 {
		t.Errorf("start events = %v, want 1", n)
	}
}

type flaky struct{ fail bool }

func (f flaky) Handle(context.Context, dialog.Inbound) (dialog.Result, error) {
	if f.fail {
		return dialog.Result{}, errors.New("redis down")
	}
	return dialog.Result{}, nil
}

func TestEngineMeasuresTurns(t *testing.T) {
	reg := prometheus.NewRegistry()
	ok := NewEngine(flaky{}, reg)
	ok.Handle(context.Background(), dialog.Inbound{Channel: "telegram"})
	bad := &Engine{next: flaky{fail: true}, seconds: ok.seconds, errors: ok.errors}
	if _, err := bad.Handle(context.Background(), dialog.Inbound{Channel: "telegram"}); err == nil {
		t.Fatal("the error was swallowed")
	}
	if n := testutil.CollectAndCount(ok.seconds); n != 1 {
		t.Errorf("%d histogram series, want 1", n)
	}
	if n := testutil.ToFloat64(ok.errors.WithLabelValues("telegram")); n != 1 {
		t.Errorf("errors = %v, want 1", n)
	}
}
