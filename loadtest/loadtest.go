// Package loadtest drives many simulated people through clavebot's real
// entry points (the REST chat, the Telegram webhook against the fake Bot
// API) of running `serve` processes on real PostgreSQL and Redis, and
// measures what running it for a country needs to know: turns a second,
// latency percentiles, errors, round trips to Redis and PostgreSQL per
// turn, Redis bytes per chat, key creations a second and serve's memory,
// beside the machine's own ceilings (redis-benchmark's GET rate, argon2id
// hashes a second) measured in the same run.
//
// `clavebot loadtest` wires it: it generates and imports the citizens,
// starts the serve processes (or takes their URLs) and prints the Report.
package loadtest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/schollz/progressbar/v3"

	"github.com/clavebot/clavebot/registry"
)

// Config is one run.
type Config struct {
	Channel   Channel
	ServeURLs []string // the serve processes, already started
	People    []Person
	Load      Load
	Texts     *Texts
	RunID     string // in every chat id of the run
	Seed      uint64

	Redis          redis.UniversalClient // for memory sampling; nil skips it
	RedisURL       string                // for redis-benchmark
	RedisBenchmark string                // its path; "" skips it
	Postgres       *sql.DB               // serve's database, for its counters; nil skips them
	Argon2For      time.Duration         // how long to measure argon2id; 0 skips it
	Argon2KDF      registry.KDF          // where the ceiling hashes (serve's one-P children); nil: in this process
	Floor          *FloorConfig          // the floor's; nil skips it
	Progress       io.Writer             // a terminal for the progress bar, or nil
	OnLoad         func()                // called as the load starts (after the ceilings), or nil
}

// Run measures the ceilings, plays every person, and reports.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	rep := &Report{Channel: cfg.Channel.Name(), Chats: len(cfg.People), Load: cfg.Load, Serves: len(cfg.ServeURLs), Mix: mixOf(cfg.People)}
	rep.LoadBefore = loadAverage()
	// Uncompressed: gzip would cost serve CPU the people's turns need.
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	measureCeilings(ctx, cfg, &rep.Ceilings)
	before, err := scrapeAll(ctx, client, cfg.ServeURLs)
	if err != nil {
		return nil, err
	}
	pgBefore, pgErr := pgRead(ctx, cfg.Postgres)
	w := &watcher{rss: map[string]float64{}, client: client, urls: cfg.ServeURLs, db: cfg.Postgres}
	wctx, stopWatch := context.WithCancel(ctx)
	watched := make(chan struct{})
	go func() { w.run(wctx, time.Second); close(watched) }()

	if cfg.OnLoad != nil {
		cfg.OnLoad()
	}
	bar := newBar(cfg.Progress, len(cfg.People))
	r := newRunner(cfg.Channel, cfg.Texts, cfg.Load, cfg.People, cfg.Seed, func() { bar.Add(1) })
	start, cpu0, m0 := time.Now(), ownCPU(), readMachine("/proc")
	r.run(ctx)
	rep.Duration, rep.ToolCPU = time.Since(start), ownCPU()-cpu0
	m1 := readMachine("/proc")
	bar.Finish()
	stopWatch()
	<-watched

	after, err := scrapeAll(context.WithoutCancel(ctx), client, cfg.ServeURLs)
	if err != nil {
		return nil, err
	}
	pgAfter, _ := pgRead(context.WithoutCancel(ctx), cfg.Postgres)
	measureCeilings(context.WithoutCancel(ctx), cfg, &rep.Ceilings)
	rep.LoadAfter = loadAverage()
	rep.fill(r, after.minus(before), w)
	rep.Machine = share(m0, m1, rep.Duration, rep.Turns, rep.CPUPerTurn*time.Duration(rep.Turns), rep.ToolCPU)
	if pgErr == nil && cfg.Postgres != nil {
		rep.PGXactsPerTurn = (pgAfter.Xacts - pgBefore.Xacts) / float64(max(rep.Turns, 1))
	}
	if cfg.Redis != nil {
		ids := map[string]bool{}
		for _, p := range cfg.People {
			ids[cfg.Channel.ChatID(p.Chat)] = true
		}
		mem, err := chatMemory(context.WithoutCancel(ctx), cfg.Redis, cfg.Channel.Name(), ids, 500)
		if err != nil {
			rep.Notes = append(rep.Notes, "redis memory: "+err.Error())
		}
		rep.Memory = mem
	}
	return rep, nil
}

func measureCeilings(ctx context.Context, cfg Config, c *Ceilings) {
	if cfg.RedisBenchmark != "" {
		if rate, err := redisBenchmark(ctx, cfg.RedisBenchmark, cfg.RedisURL, 200_000); err != nil {
			c.RedisNote = err.Error()
		} else {
			c.RedisGET = append(c.RedisGET, rate)
		}
	}
	if cfg.Argon2For > 0 {
		rate, par := argon2Rate(ctx, cfg.Argon2For, cfg.Argon2KDF)
		c.Argon2, c.Argon2Para = append(c.Argon2, rate), par
	}
	if cfg.Floor != nil {
		if f, err := MeasureFloor(ctx, *cfg.Floor); err != nil {
			c.FloorNote = err.Error()
		} else {
			c.Floor = append(c.Floor, f)
		}
	}
}

func pgRead(ctx context.Context, db *sql.DB) (pgCounters, error) {
	if db == nil {
		return pgCounters{}, nil
	}
	return readPG(ctx, db)
}

func mixOf(people []Person) string {
	m := Mix{}
	for _, p := range people {
		m[p.Goal]++
	}
	return m.String()
}

// ownCPU is the CPU time this process has used (user and system).
func ownCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAverage is the machine's load as uptime prints it.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// newBar shows people done on w (a terminal), or nothing.
func newBar(w io.Writer, total int) *progressbar.ProgressBar {
	if w == nil {
		return progressbar.NewOptions(total, progressbar.OptionSetVisibility(false))
	}
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("people"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("people"),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

// String is for errors: the run's shape.
func (c Config) String() string {
	return fmt.Sprintf("%d people over %s, %d in flight", len(c.People), c.Channel.Name(), c.Load.InFlight)
}
