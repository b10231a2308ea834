package main

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/console"
	"github.com/clavebot/clavebot/dialog"
)

// cmdChat runs the terminal chat, or with --jsonl the JSON-lines chat.
func cmdChat(ctx context.Context, args []string, stdin *os.File, stdout, stderr io.Writer) error {
	fs, cfg := newFlags("chat", stderr)
	jsonl := fs.Bool("jsonl", false, "JSON lines on standard input and output, for scripts")
	if err := parseConfig(fs, cfg, args); err != nil {
		return err
	}
	// Logs go to stderr, quiet by default, so they never mix with the chat.
	if cfg.LogLevel == "info" {
		cfg.LogLevel = "warn"
	}
	// With a shared Redis, a person at the terminal can be handed over to
	// agents on a `serve` using the same Redis and database.
	var opts []dialog.Option
	late := &lateDesk{}
	if cfg.RedisURL != "" {
		opts = append(opts, dialog.WithDesk(late))
	}
	a, err := openApp(ctx, cfg, cfg.logger(stderr), nil, opts...)
	if err != nil {
		return err
	}
	defer a.Close()
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	if cfg.RedisURL != "" {
		core, err := openDesk(ctx, a, &deskConfig{Hours: env("CLAVEBOT_DESK_HOURS", ""), Zone: env("CLAVEBOT_DESK_TZ", "")}, late)
		if err != nil {
			return err
		}
		go core.relay.Run(rctx)
	}
	var ch interface {
		bot.Channel
		Run(context.Context, io.Reader) error
	}
	if *jsonl {
		ch = console.NewJSONL(a.bot, stdout)
	} else {
		ch = console.NewTerminal(a.bot, stdout)
	}
	a.outbox.Register(ch)
	go a.remind.Run(rctx, 5*time.Second, a.outbox, console.Name)
	return ch.Run(ctx, stdin)
}
