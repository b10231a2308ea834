package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/loadtest"
)

// TestLoadtestDrivesServe runs `clavebot loadtest` against a serve on real
// PostgreSQL and Redis: every goal of the mix reaches its end through the
// REST chat, and the report has the round trips serve counted and the
// floor measured beside them.
func TestLoadtestDrivesServe(t *testing.T) {
	pg := testenv.PostgresDatabase(t)
	testenv.Redis(t)
	cfg := &config{DatabaseURL: pg, RedisURL: testenv.RedisURL(), Lang: "es", LogLevel: "error"}
	ctx, cancel := context.WithCancel(context.Background())
	s, err := startServer(ctx, cfg, &serveConfig{HTTPAddr: "127.0.0.1:0"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Wait(ctx) }()
	defer func() { cancel(); <-done; s.Close() }()

	report := filepath.Join(t.TempDir(), "report.json")
	code, out, errs := runCLI(t, "", "loadtest", "--target", "http://"+s.Addr(), "--database-url", pg, "--redis-url", testenv.RedisURL(),
		"--chats", "40", "--citizens", "40", "--in-flight", "4", "--argon2", "0", "--redis-benchmark", "", "--floor", "300ms", "--json", report,
		"--mix", "create=1,recover=1,change=1,faq=1,mismatch=1,wander=1,questions-cancel=1")
	if code != 0 {
		t.Fatalf("loadtest: status %d\n%s\n%s", code, out, errs)
	}
	var rep loadtest.Report
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) > 0 || rep.Turns < 200 {
		t.Fatalf("%d turns, errors %v %v\n%s", rep.Turns, rep.Errors, rep.Samples, out)
	}
	for g, c := range rep.Goals {
		if c.Reached != c.People {
			t.Errorf("%s: %d of %d reached the end", g, c.Reached, c.People)
		}
	}
	if rep.RedisRoundTrips < 1 || rep.PGRoundTrips <= 0 || rep.Memory.Chats == 0 || rep.RSS == 0 {
		t.Errorf("round trips Redis %.2f, PostgreSQL %.2f; %d chats in Redis; RSS %.0f: not measured", rep.RedisRoundTrips, rep.PGRoundTrips, rep.Memory.Chats, rep.RSS)
	}
	if !strings.Contains(out, "turns/s") {
		t.Errorf("the report lacks turns/s:\n%s", out)
	}
	// The floor, before and after the load, on the run's database.
	if f := rep.Ceilings.Floor; len(f) != 2 || f[0].TurnsPerSec <= 0 || f[1].TurnsPerSec <= 0 || !strings.Contains(out, "turns/s ÷ floor") {
		t.Errorf("floor %+v (%s):\n%s", f, rep.Ceilings.FloorNote, out)
	}
}
