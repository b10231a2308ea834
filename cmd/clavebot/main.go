// Command clavebot runs the Clave de la Seguridad Social chatbot: the
// terminal chat, the server with its channels, and the registry's tools.
// It only reads configuration and wires the packages together: Main
// (main.go) parses a command's flags, builds what the command needs in
// dependency order (wire.go), runs it, and closes it in reverse.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // lockout times are shown in Argentina's time zone on any machine

	"github.com/redis/go-redis/v9"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// exitError carries a command's exit status and one-line message.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

const usage = `usage: clavebot <command> [flags]

commands:
  chat [--jsonl]            chat in the terminal (or JSON lines for scripts)
  serve                     run the bot: HTTP API, desk, Telegram, WhatsApp
  registry import FILE|-    load citizens from a JSON-lines file
  registry migrate          apply database migrations
  key verify --cuil CUIL    check a key read from standard input
  faq classify | export     the FAQ classifier
  agent add|list|remove     help-desk agents (password on standard input)
  retention                 delete desk records and audit events past their retention
  loadtest                  drive simulated people through serve and measure

Run "clavebot <command> -h" for a command's flags.`

// run executes one command and returns the process's exit status. Errors
// are one line on stderr: never a panic or a stack trace.
func run(ctx context.Context, args []string, stdin *os.File, stdout, stderr io.Writer) int {
	if len(args) == 1 && args[0] == hashWorkerCommand {
		return runHashWorker(stdin, stdout, stderr)
	}
	// go-redis logs through a package-level logger; this process is its
	// only user, so it is set here, once, rather than in a library.
	redis.SetLogger(redisLog{slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	m := NewMain(stdin, stdout, stderr)
	err := m.ParseFlags(args)
	if err == nil {
		err = m.Run(ctx)
	}
	if err == nil {
		err = m.Wait(ctx)
	}
	// A failure to close is no failure of the command (its work is done
	// or its error is told): it is logged at debug level only.
	if cerr := m.Close(); cerr != nil {
		m.log().Debug("not everything closed cleanly", "err", cerr)
	}
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		if ee.msg != "" {
			fmt.Fprintln(stderr, ee.msg)
		}
		return ee.code
	default:
		fmt.Fprintln(stderr, "clavebot:", err)
		return 1
	}
}

// redisLog routes go-redis' own messages (retries, pool dials) to slog at
// debug level, so a down server gives one line, not a stream of them.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, fmt.Sprintf(format, v...), "component", "go-redis")
}
