package metrics

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
)

// TestRedisDownIsADependencyEvent: a turn that finds Redis gone counts as
// the dependency event the critical alert ClavebotDependencyUnavailable
// watches (events_total{event="unavailable"}), as PostgreSQL's failures
// do. It was a turn error: the critical alert stayed silent for Redis,
// and the warning that fired sent the operator to roll the release back
// (a resilience probe).
func TestRedisDownIsADependencyEvent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // Redis went away: the port refuses
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond,
		MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}})
	t.Cleanup(func() { rdb.Close() })
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	rec := New(reg)
	eng := NewEngine(dialog.New(redisstore.New(rdb), nil, cat, dialog.WithRecorder(rec)), reg)
	eng.Handle(context.Background(), dialog.Inbound{Chat: "telegram:1", ID: "m1", Text: "hola", Channel: "telegram"})
	if n := testutil.ToFloat64(rec.events.WithLabelValues("unavailable", "", "telegram")); n != 1 {
		t.Errorf("unavailable events = %v, want 1", n)
	}
	if n := testutil.ToFloat64(eng.errors.WithLabelValues("telegram")); n != 0 {
		t.Errorf("turn errors = %v, want 0: the dependency is what failed", n)
	}
}
