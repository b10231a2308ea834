package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/bot/remind"
	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/metrics"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/argonproc"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

// Main is one run of clavebot: the command and its configuration, what
// Run built for it, and what Close releases. Run builds each object once
// what it needs exists (configuration, stores, the outbox, the desk's
// hand-overs, the engine, the bot, the channels, the agents' desk), so
// nothing is attached later. End-to-end tests build a Main with ":0"
// addresses and temporary databases and call Run, Wait and Close as
// main does.
type Main struct {
	Command string   // "serve", "chat", "registry import"...
	Args    []string // the command's arguments after its flags
	Config  config

	stdin          *os.File
	stdout, stderr io.Writer

	// What Run built, for the commands that build them.
	Log      *slog.Logger
	Catalog  *i18n.Catalog
	DB       *sqlstore.DB
	Registry *registry.Service
	Redis    redis.UniversalClient
	States   *redisstore.Store // the chats' states, in Redis
	Local    *bot.Local        // the channels this process runs
	Relay    *relay.Relay      // the outbox's store, when there is a desk (serve; chat with --redis-url)
	Outbox   *bot.Outbox
	Remind   *remind.Scheduler
	Handoffs *desk.Handoffs // what the engine hands chats to
	Engine   *dialog.Engine
	Bot      *bot.Bot
	Desk     *desk.Desk           // the agents' desk
	Prom     *prometheus.Registry // what serve's /metrics exports
	delivery *metrics.Delivery    // serve's delivery counters
	trips    roundTrips
	// hashChild runs serve's argon2id at a low priority (--hash-priority).
	hashChild *argonproc.Proc

	http   *http.Server
	ln     net.Listener
	served chan error // http.Server.Serve's end

	jobs     []runner // started by Run, stopped by Close
	jobsDone sync.WaitGroup
	stopJobs context.CancelFunc
	stopOnce sync.Once
	stopErr  error
	closers  []closer // released by Close, last first
}

// runner is a background job.
type runner func(ctx context.Context) error

// closer is something Close releases, named for its error.
type closer struct {
	name  string
	close func() error
}

// NewMain returns a Main reading stdin and writing stdout and stderr.
func NewMain(stdin *os.File, stdout, stderr io.Writer) *Main {
	return &Main{stdin: stdin, stdout: stdout, stderr: stderr}
}

// onClose has Close release what name is, before what was opened earlier.
func (m *Main) onClose(name string, f func() error) {
	m.closers = append(m.closers, closer{name, f})
}

// ParseFlags reads the command and its flags (and their environment
// variables) into Command, Args and Config. Tests set those themselves.
func (m *Main) ParseFlags(args []string) error {
	args = commandFirst(args)
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "--help" {
		return &exitError{code: 2, msg: usage}
	}
	if args[0] == "-h" || args[0] == "--help" {
		args = append([]string{"help"}, args[1:]...)
	}
	if c, n, ok := commandOf(args); ok {
		m.Command = c.name
		return c.parse(m, args[n:])
	}
	name := args[0]
	if _, two := firstWord(name); two && len(args) > 1 && !strings.HasPrefix(args[1], "-") {
		name += " " + args[1]
	}
	return &exitError{code: 2, msg: fmt.Sprintf("clavebot: unknown command %q\n%s", name, usage)}
}

// commandFirst moves flags written before the command after it:
// `clavebot --lang en chat` is `clavebot chat --lang en` (every command
// reads the same configuration flags, and its flags may come anywhere
// after it). Before, it was the bare usage, with no word of why. The
// command is the first argument that names one; a flag's value that
// happens to be a command's name ("--lang chat") is no command anyone
// writes.
func commandFirst(args []string) []string {
	if len(args) == 0 || !strings.HasPrefix(args[0], "-") || args[0] == "-h" || args[0] == "--help" {
		return args
	}
	for i, a := range args {
		if a == "--" {
			return args
		}
		isFirst, two := firstWord(a)
		if !isFirst {
			continue
		}
		words := 1
		if two && i+1 < len(args) {
			words = 2
		}
		out := append([]string{}, args[i:i+words]...)
		out = append(out, args[:i]...)
		return append(out, args[i+words:]...)
	}
	return args
}

// Run runs the command. serve returns once it listens, its jobs started;
// Wait serves until the context ends. The other commands do their work
// here.
func (m *Main) Run(ctx context.Context) error {
	c, ok := commandNamed(m.Command)
	if !ok {
		return &exitError{code: 2, msg: usage}
	}
	return c.run(m, ctx)
}

// start runs the jobs until Close (or ctx's end).
func (m *Main) start(ctx context.Context) {
	jctx, stop := context.WithCancel(ctx)
	m.stopJobs = stop
	for _, job := range m.jobs {
		m.jobsDone.Go(func() {
			if err := job(jctx); err != nil {
				m.Log.Error("background job stopped", "err", err)
			}
		})
	}
}

// Wait serves until ctx ends, then shuts down gracefully (see stop); it
// returns at once for the commands that do not serve.
func (m *Main) Wait(ctx context.Context) error {
	if m.http == nil {
		return nil
	}
	select {
	case err := <-m.served:
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	return m.stop(ctx)
}

// Close stops serving and the jobs (see stop), then releases what Run
// opened, last first: channels, Redis, the database.
func (m *Main) Close() error {
	errs := []error{m.stop(context.Background())}
	for i := len(m.closers) - 1; i >= 0; i-- {
		if err := m.closers[i].close(); err != nil {
			errs = append(errs, fmt.Errorf("close %s: %w", m.closers[i].name, err))
		}
	}
	m.closers = nil
	return errors.Join(errs...)
}

// log is the command's logger, or a silent one before Run made it.
func (m *Main) log() *slog.Logger {
	if m.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return m.Log
}
