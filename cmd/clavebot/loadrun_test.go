package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/internal/testenv"
)

// TestLoadtestServeLogs: the serve logs a run writes in
// /tmp/clavebot-loadtest-* stay only when they explain something (a failed
// run, or --keep), and the tool says where; a run that went well removes
// them, where every run used to leave its folder behind.
func TestLoadtestServeLogs(t *testing.T) {
	for _, tt := range []struct {
		name         string
		failed, keep bool
		kept         bool
	}{
		{"went well", false, false, false},
		{"failed", true, false, true},
		{"kept", false, true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "serve-0.log"), []byte("a serve's log\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			var log bytes.Buffer
			r := &loadRun{lc: &loadtestConfig{Keep: tt.keep}, log: &log, failed: tt.failed}
			r.dropServeLogs(dir)
			_, err := os.Stat(dir)
			if kept := err == nil; kept != tt.kept {
				t.Errorf("logs kept: %v, want %v (%v)", kept, tt.kept, err)
			}
			if said := strings.Contains(log.String(), dir); said != tt.kept {
				t.Errorf("the tool said %q: naming %s is %v, want %v", log.String(), dir, said, tt.kept)
			}
		})
	}
}

// TestLoadtestKeepsLogsOfAServeThatFailed: a serve that cannot start
// fails the run, and its log stays where the tool says; after a run that
// went well, with a real serve, no folder is left.
func TestLoadtestKeepsLogsOfAServeThatFailed(t *testing.T) {
	for _, tt := range []struct {
		name   string
		serve  func(t *testing.T) string
		failed bool
	}{
		{"serve cannot start", func(*testing.T) string { return "/bin/false" }, true},
		{"a run that went well", buildClavebot, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pg := testenv.PostgresDatabase(t)
			redisURL := serveRedis(t)
			bin := tt.serve(t)
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp)
			code, out, errs := runCLI(t, "", "loadtest", "--database-url", pg, "--redis-url", redisURL,
				"--fresh-database=false", "--serve-binary", bin, "--chats", "4", "--citizens", "4", "--mix", "faq=1",
				"--in-flight", "2", "--argon2", "0", "--redis-benchmark", "", "--floor", "0")
			if failed := code != 0; failed != tt.failed {
				t.Fatalf("status %d\n%s\n%s", code, out, errs)
			}
			dirs, _ := filepath.Glob(filepath.Join(tmp, "clavebot-loadtest-*"))
			if !tt.failed {
				if len(dirs) > 0 || strings.Contains(errs, "serve logs kept") {
					t.Fatalf("log folders %v left after a run that went well\n%s", dirs, errs)
				}
				return
			}
			if len(dirs) != 1 {
				t.Fatalf("%d log folders %v, want 1\n%s", len(dirs), dirs, errs)
			}
			if _, err := os.Stat(filepath.Join(dirs[0], "serve-0.log")); err != nil {
				t.Error(err)
			}
			if !strings.Contains(errs, "serve logs kept in "+dirs[0]) {
				t.Errorf("the tool did not say where the logs are:\n%s", errs)
			}
		})
	}
}

// TestLoadtestLeavesNoLimitCounts: serve counts the limits across chats of
// the run's people (their sources' new chats and CUILs, their CUILs'
// checks) in Redis for an hour; the tool deleted the run's chats but left
// those, some 110,000 keys after a session's runs in a shared Redis. A run
// leaves none now.
func TestLoadtestLeavesNoLimitCounts(t *testing.T) {
	pg := testenv.PostgresDatabase(t)
	redisURL := serveRedis(t)
	rdb := testenv.Redis(t)
	counters := func() map[string]bool {
		keys := map[string]bool{}
		iter := rdb.Scan(t.Context(), 0, keyPrefix+"limit:*", 1000).Iterator()
		for iter.Next(t.Context()) {
			keys[iter.Val()] = true
		}
		if err := iter.Err(); err != nil {
			t.Fatal(err)
		}
		return keys
	}
	before := counters()
	code, out, errs := runCLI(t, "", "loadtest", "--database-url", pg, "--redis-url", redisURL, "--api-token", "T",
		"--fresh-database=false", "--serve-binary", buildClavebot(t), "--chats", "6", "--citizens", "6", "--mix", "questions-cancel=1",
		"--in-flight", "2", "--argon2", "0", "--redis-benchmark", "", "--floor", "0")
	if code != 0 {
		t.Fatalf("status %d\n%s\n%s", code, out, errs)
	}
	var left []string
	for k := range counters() {
		if !before[k] {
			left = append(left, k)
		}
	}
	if len(left) > 0 {
		t.Errorf("the run left %d limit counters in Redis: %v", len(left), left)
	}
}
