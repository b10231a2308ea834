package main

import (
	"context"
	"io"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/console"
	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/dialog"
)

func (m *Main) parseChat(args []string) error {
	fs, cfg := newFlags("chat", m.stderr)
	fs.BoolVar(&cfg.JSONL, "jsonl", false, "JSON lines on standard input and output, for scripts")
	if err := parseConfig(fs, cfg, args); err != nil {
		return err
	}
	// Logs go to stderr, quiet by default, so they never mix with the chat.
	if cfg.LogLevel == "info" {
		cfg.LogLevel = "warn"
	}
	cfg.deskConfig.fromEnv()
	m.Config = *cfg
	return nil
}

// runChat runs the terminal chat, or with --jsonl the JSON-lines chat,
// until standard input ends. With a shared Redis, a person at the
// terminal can be handed over to agents on a `serve` using the same Redis
// and database: the chat then builds the desk's hand-overs and the outbox
// in Redis as serve does.
func (m *Main) runChat(ctx context.Context) error {
	cfg := &m.Config
	if m.Log == nil {
		m.Log = cfg.logger(m.stderr)
	}
	if err := m.openStores(ctx); err != nil {
		return err
	}
	var opts []dialog.Option
	if cfg.RedisURL == "" {
		m.openLocalOutbox()
	} else {
		ds, err := m.openDeskStores(ctx)
		if err != nil {
			return err
		}
		stops := desk.NewStops()
		if err := m.openOutbox(ds, stops); err != nil {
			return err
		}
		if err := m.openHandoffs(cfg.deskConfig, ds, stops); err != nil {
			return err
		}
		opts = append(opts, m.deskOptions()...)
	}
	if err := m.openEngine(ctx, opts...); err != nil {
		return err
	}
	m.Bot = bot.New(m.Engine, m.printer(), m.Log, bot.WithOutbox(m.Outbox))
	var ch interface {
		bot.Channel
		Run(context.Context, io.Reader) error
	}
	if cfg.JSONL {
		ch = console.NewJSONL(m.Bot, m.stdout)
	} else {
		ch = console.NewTerminal(m.Bot, m.stdout)
	}
	m.Local.Register(ch)
	m.jobs = append(m.jobs, m.reminders(console.Name))
	m.start(ctx)
	return ch.Run(ctx, m.stdin)
}
