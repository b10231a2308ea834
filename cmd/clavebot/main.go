// Command clavebot runs the Clave de la Seguridad Social chatbot: the
// terminal chat, the server with its channels, and the registry's tools.
// It only reads configuration and wires the packages together.
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

	_ "time/tzdata"

	"github.com/redis/go-redis/v9" // lockout times are shown in Argentina's time zone on any machine
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
	// go-redis logs through a package-level logger; this process is its
	// only user, so it is set here, once, rather than in a library.
	redis.SetLogger(redisLog{slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	err := dispatch(ctx, args, stdin, stdout, stderr)
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

func dispatch(ctx context.Context, args []string, stdin *os.File, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return &exitError{code: 2, msg: usage}
	}
	cmd, rest := args[0], args[1:]
	sub := ""
	if len(rest) > 0 {
		sub = rest[0]
	}
	switch {
	case cmd == "chat":
		return cmdChat(ctx, rest, stdin, stdout, stderr)
	case cmd == "serve":
		return cmdServe(ctx, rest, stderr)
	case cmd == "registry" && sub == "import":
		return cmdImport(ctx, rest[1:], stdin, stdout, stderr)
	case cmd == "registry" && sub == "migrate":
		return cmdMigrate(ctx, rest[1:], stdout, stderr)
	case cmd == "key" && sub == "verify":
		return cmdVerify(ctx, rest[1:], stdin, stdout, stderr)
	case cmd == "faq" && sub == "classify":
		return cmdFAQClassify(ctx, rest[1:], stdin, stdout, stderr)
	case cmd == "faq" && sub == "export":
		return cmdFAQExport(rest[1:], stdout, stderr)
	case cmd == "agent":
		return cmdAgent(ctx, rest, stdin, stdout, stderr)
	case cmd == "retention":
		return cmdRetention(ctx, rest, stdout, stderr)
	case cmd == "loadtest":
		return cmdLoadtest(ctx, rest, stdout, stderr)
	case cmd == "help" || cmd == "-h" || cmd == "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return &exitError{code: 2, msg: usage}
}
