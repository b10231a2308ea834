package main

import (
	"context"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"strings"
)

func (m *Main) parseLoadtest(args []string) error {
	fs, cfg := newFlags("loadtest", m.stderr)
	cfg.Loadtest.register(fs.FlagSet)
	if err := parseConfig(fs, cfg, args); err != nil {
		return err
	}
	if err := cfg.Loadtest.check(cfg); err != nil {
		return &exitError{code: 2, msg: "clavebot loadtest: " + err.Error()}
	}
	m.Config = *cfg
	return nil
}

// runLoadtest drives simulated people through serve and reports.
func (m *Main) runLoadtest(ctx context.Context) error {
	cfg, lc, stdout := &m.Config, &m.Config.Loadtest, m.stdout
	if lc.Seed == 0 {
		lc.Seed = mrand.Uint64()
	}
	run, err := newLoadRun(ctx, cfg, lc, m.stderr)
	if err != nil {
		return err
	}
	m.onClose("loadtest", func() error { run.close(); return nil })
	rep, err := run.measure(ctx)
	if err != nil {
		run.failed = true
		return err
	}
	run.failed = len(rep.Errors) > 0
	rep.Print(stdout)
	if lc.JSON != "" {
		b, _ := json.MarshalIndent(rep, "", "  ")
		if err := os.WriteFile(lc.JSON, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func (lc *loadtestConfig) check(cfg *config) error {
	switch {
	case !strings.HasPrefix(cfg.DatabaseURL, "postgres"):
		return fmt.Errorf("--database-url must be a postgres:// URL: the load runs on real PostgreSQL")
	case !strings.HasPrefix(cfg.RedisURL, "redis"):
		return fmt.Errorf("--redis-url must be a redis:// URL: the load runs on real Redis")
	case lc.Chats < 1 || lc.InFlight < 1 || lc.Serves < 1 || lc.Rate < 0:
		return fmt.Errorf("--chats, --in-flight and --serves must be at least 1")
	case lc.Citizens < lc.Chats:
		return fmt.Errorf("--citizens must be at least --chats: each person is a different citizen")
	case lc.Targets != "" && lc.Channel != "rest":
		return fmt.Errorf("--target drives the REST chat only: other channels need serve pointed at the tool's fake platform")
	}
	return nil
}
