package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/clavebot/clavebot/loadtest"
)

// loadtestConfig is `clavebot loadtest`'s own configuration.
type loadtestConfig struct {
	Chats, InFlight, Citizens, Serves int
	Rate                              float64
	Mix, Channel, Targets, ServeBin   string
	ServeFlags                        multiFlag
	APIToken, RedisBenchmark, JSON    string
	Profile                           string
	ProfileFor, Timeout, Argon2For    time.Duration
	RetryAfter                        time.Duration
	Fresh, Keep                       bool
	Seed                              uint64
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func (lc *loadtestConfig) register(fs *flag.FlagSet) {
	fs.IntVar(&lc.Chats, "chats", 10_000, "simulated people, one chat each")
	fs.IntVar(&lc.InFlight, "in-flight", 64, "closed loop: turns sent at once, each as soon as one is answered")
	fs.Float64Var(&lc.Rate, "rate", 0, "open loop: turns a second offered whatever the answers take (0: closed loop)")
	fs.StringVar(&lc.Mix, "mix", loadtest.Realistic, "what the people do: GOAL=WEIGHT,... of "+fmt.Sprint(loadtest.Goals)+", or one goal")
	fs.StringVar(&lc.Channel, "channel", "rest", "entry point: "+strings.Join(loadtest.ChannelNames(), " or "))
	fs.IntVar(&lc.Citizens, "citizens", 20_000, "citizens generated and imported for the run (at least --chats)")
	fs.IntVar(&lc.Serves, "serves", 1, "serve processes started for the run")
	fs.StringVar(&lc.Targets, "target", "", "drive running serve processes instead (comma-separated base URLs; REST only)")
	fs.StringVar(&lc.ServeBin, "serve-binary", "", "the clavebot binary whose serve is started (default: this one)")
	fs.Var(&lc.ServeFlags, "serve-flag", "a flag for the started serve processes (repeatable), e.g. --serve-flag=--max-turns-in-flight=128")
	fs.BoolVar(&lc.Fresh, "fresh-database", true, "with started serve processes: create a database for the run on the --database-url server, dropped afterwards")
	fs.BoolVar(&lc.Keep, "keep", false, "keep the run's database and Redis keys")
	fs.StringVar(&lc.APIToken, "api-token", env("CLAVEBOT_API_TOKEN", ""), "serve's --api-token")
	fs.StringVar(&lc.RedisBenchmark, "redis-benchmark", "redis-benchmark", "redis-benchmark binary for the Redis ceiling (\"\" skips it)")
	fs.DurationVar(&lc.Argon2For, "argon2", 3*time.Second, "how long to measure the argon2id ceiling, before and after (0 skips it)")
	fs.DurationVar(&lc.Timeout, "timeout", 30*time.Second, "a turn not answered within this is an error")
	fs.DurationVar(&lc.RetryAfter, "retry-after", 2*time.Second, "a person told the system is busy writes the same message again after this")
	fs.StringVar(&lc.JSON, "json", "", "also write the report as JSON to this file")
	fs.StringVar(&lc.Profile, "profile", "", "write a CPU profile of the first serve under load to this file")
	fs.DurationVar(&lc.ProfileFor, "profile-for", 20*time.Second, "how long the profile samples, from the start of the load")
	fs.Uint64Var(&lc.Seed, "seed", 0, "seed of the citizens and the people (0: a new one each run)")
}

func cmdLoadtest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfg := newFlags("loadtest", stderr)
	lc := &loadtestConfig{}
	lc.register(fs)
	if err := parseConfig(fs, cfg, args); err != nil {
		return err
	}
	if err := lc.check(cfg); err != nil {
		return &exitError{code: 2, msg: "clavebot loadtest: " + err.Error()}
	}
	if lc.Seed == 0 {
		lc.Seed = mrand.Uint64()
	}
	run, err := newLoadRun(ctx, cfg, lc, stderr)
	if err != nil {
		return err
	}
	defer run.close()
	rep, err := run.measure(ctx)
	if err != nil {
		return err
	}
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
