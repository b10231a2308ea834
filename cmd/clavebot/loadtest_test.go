package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/loadtest"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

// serveForLoad starts serve on a fresh PostgreSQL database and the test
// Redis, stopped when the test ends, and returns the database's URL and
// serve's.
func serveForLoad(t *testing.T) (pg, target string) {
	t.Helper()
	pg = testenv.PostgresDatabase(t)
	cfg := &config{DatabaseURL: pg, RedisURL: serveRedis(t), Lang: "es", LogLevel: "error"}
	ctx, cancel := context.WithCancel(context.Background())
	s, err := startServer(ctx, cfg, &serveConfig{HTTPAddr: "127.0.0.1:0"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Wait(ctx) }()
	t.Cleanup(func() { cancel(); <-done; s.Close() })
	return pg, "http://" + s.Addr()
}

// readReport reads the report loadtest wrote with --json.
func readReport(t *testing.T, file string) loadtest.Report {
	t.Helper()
	var rep loadtest.Report
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestLoadtestDrivesServe runs `clavebot loadtest` against a serve on real
// PostgreSQL and Redis: every goal of the mix reaches its end through the
// REST chat, and the report has the round trips serve counted and the
// floor measured beside them.
func TestLoadtestDrivesServe(t *testing.T) {
	pg, target := serveForLoad(t)

	report := filepath.Join(t.TempDir(), "report.json")
	toolProfile := filepath.Join(t.TempDir(), "tool.prof")
	code, out, errs := runCLI(t, "", "loadtest", "--target", target, "--database-url", pg, "--redis-url", testenv.RedisURL(),
		"--chats", "40", "--citizens", "40", "--in-flight", "4", "--argon2", "0", "--redis-benchmark", "", "--floor", "300ms", "--json", report,
		"--mix", "create=1,recover=1,change=1,faq=1,mismatch=1,wander=1,questions-cancel=1", "--tool-profile", toolProfile)
	if code != 0 {
		t.Fatalf("loadtest: status %d\n%s\n%s", code, out, errs)
	}
	rep := readReport(t, report)
	if len(rep.Errors) > 0 || rep.Turns < 200 {
		t.Fatalf("%d turns, errors %v %v\n%s", rep.Turns, rep.Errors, rep.Samples, out)
	}
	for g, c := range rep.Goals {
		if !c.AllEnded() {
			t.Errorf("%s: %d of %d reached the end (%d turned away, %d failed)", g, c.Reached, c.People, c.Away, c.Failed)
		}
	}
	if rep.RedisRoundTrips < 1 || rep.PGRoundTrips <= 0 || rep.Memory.Chats == 0 || rep.RSS == 0 {
		t.Errorf("round trips Redis %.2f, PostgreSQL %.2f; %d chats in Redis; RSS %.0f: not measured", rep.RedisRoundTrips, rep.PGRoundTrips, rep.Memory.Chats, rep.RSS)
	}
	if !strings.Contains(out, "turns/s") {
		t.Errorf("the report lacks turns/s:\n%s", out)
	}
	// The tool's own profile, gzipped as pprof writes it.
	if p, err := os.ReadFile(toolProfile); err != nil || len(p) < 2 || p[0] != 0x1f || p[1] != 0x8b {
		t.Errorf("tool profile: %d bytes, %v", len(p), err)
	}
	// The floor, before and after the load, on the run's database.
	if f := rep.Ceilings.Floor; len(f) != 2 || f[0].TurnsPerSec <= 0 || f[1].TurnsPerSec <= 0 || !strings.Contains(out, "turns/s ÷ floor") {
		t.Errorf("floor %+v (%s):\n%s", f, rep.Ceilings.FloorNote, out)
	}
}

// TestLoadtestOpenLoop drives serve at a fixed rate, whatever the answers
// take (--rate): every person reaches their end, and every message sent is
// answered.
func TestLoadtestOpenLoop(t *testing.T) {
	pg, target := serveForLoad(t)

	report := filepath.Join(t.TempDir(), "report.json")
	code, out, errs := runCLI(t, "", "loadtest", "--target", target, "--database-url", pg, "--redis-url", testenv.RedisURL(),
		"--chats", "30", "--citizens", "30", "--rate", "300", "--max-awaiting", "8", "--argon2", "0", "--redis-benchmark", "", "--floor", "0",
		"--json", report, "--mix", "questions-cancel=1,faq=1,wander=1")
	if code != 0 {
		t.Fatalf("loadtest: status %d\n%s\n%s", code, out, errs)
	}
	rep := readReport(t, report)
	if len(rep.Errors) > 0 || rep.Turns < 100 {
		t.Fatalf("%d turns, errors %v %v\n%s", rep.Turns, rep.Errors, rep.Samples, out)
	}
	for g, c := range rep.Goals {
		if !c.AllEnded() {
			t.Errorf("%s: %d of %d reached the end (%d turned away, %d failed)", g, c.Reached, c.People, c.Away, c.Failed)
		}
	}
}

// TestLoadtestChannelsDriveServe plays people over each platform channel
// of the load tool (Telegram's webhook against the fake Bot API,
// WhatsApp Cloud's against the fake Graph API) into a serve on real
// PostgreSQL and Redis started with the flags the channel gives it: every
// person reaches their end and serve counted its round trips.
func TestLoadtestChannelsDriveServe(t *testing.T) {
	for _, name := range []string{"telegram", "whatsapp"} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			pg := testenv.PostgresDatabase(t)
			rdb := testenv.Redis(t)
			redisURL := serveRedis(t)
			texts, err := loadtest.NewTexts(i18n.ES)
			if err != nil {
				t.Fatal(err)
			}
			ch, err := loadtest.NewChannel(name, loadtest.ChannelOptions{Texts: texts, Conns: 4})
			if err != nil {
				t.Fatal(err)
			}
			defer ch.Close()
			// Chats of their own: the fakes number their messages from 1 each
			// time, and serve drops a message id its chat already handled.
			run := "lt" + name + strings.ToLower(rand.Text()[:8])
			mix := loadtest.Mix{loadtest.GoalCreate: 1, loadtest.GoalFAQ: 1, loadtest.GoalMismatch: 1, loadtest.GoalWander: 1, loadtest.GoalQuestions: 1}
			citizens := loadtest.Generate(10, 3)
			people, err := loadtest.People(10, mix, citizens, run, 3)
			if err != nil {
				t.Fatal(err)
			}
			db, err := sqlstore.Open(ctx, pg, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Import(ctx, bytes.NewReader(loadtest.CitizensFile(citizens)), nil); err != nil {
				t.Fatal(err)
			}
			db.Close()

			addr, err := loadtest.FreeAddr()
			if err != nil {
				t.Fatal(err)
			}
			m := NewMain(nil, io.Discard, io.Discard)
			args := append([]string{"--database-url", pg, "--redis-url", redisURL, "--http-addr", addr, "--log-level", "error"}, ch.ServeFlags("http://"+addr)...)
			if err := m.parseServe(args); err != nil {
				t.Fatal(err)
			}
			m.Command, m.Log = "serve", slog.New(slog.DiscardHandler)
			if err := m.Run(ctx); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- m.Wait(ctx) }()
			defer func() { cancel(); <-done; m.Close() }()
			if err := ch.Start(ctx, []string{"http://" + addr}); err != nil {
				t.Fatal(err)
			}

			rep, err := loadtest.Run(ctx, loadtest.Config{
				Channel: ch, ServeURLs: []string{"http://" + addr}, People: people, Texts: texts, RunID: run, Seed: 3,
				Load: loadtest.Load{InFlight: 4, Timeout: 30 * time.Second, RetryAfter: 200 * time.Millisecond},
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Errors) > 0 {
				t.Fatalf("errors %v: %v", rep.Errors, rep.Samples)
			}
			for g, c := range rep.Goals {
				if !c.AllEnded() {
					t.Errorf("%s: %d of %d reached the end (%d turned away, %d failed)", g, c.Reached, c.People, c.Away, c.Failed)
				}
			}
			if _, err := loadtest.Forget(context.Background(), rdb, ch, people); err != nil {
				t.Error(err)
			}
			if creators := rep.Goals[loadtest.GoalCreate].People; creators == 0 || rep.KeysCreated != creators || rep.RedisRoundTrips < 1 || rep.PGRoundTrips <= 0 {
				t.Errorf("%d keys created; round trips Redis %.2f, PostgreSQL %.2f", rep.KeysCreated, rep.RedisRoundTrips, rep.PGRoundTrips)
			}
		})
	}
}
