package console

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/i18n"
)

// lockedBuffer is a bytes.Buffer safe to write from the chat and read from
// the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) prompts() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), "\n> ")
}

// TestTerminalStopsWhileWaitingForInput: Ctrl-C or SIGTERM ends the
// terminal chat at once, though the person has typed nothing and the
// input stays open, as for the JSON-lines chat.
func TestTerminalStopsWhileWaitingForInput(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(echo{}, cat.Printer(i18n.ES), slog.New(slog.DiscardHandler))
	in, typing := io.Pipe()
	defer typing.Close()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	out := &lockedBuffer{}
	go func() { done <- NewTerminal(b, out).Run(ctx, in) }()
	if _, err := io.WriteString(typing, "hola\n"); err != nil {
		t.Fatal(err)
	}
	for out.prompts() < 2 { // answered, and waiting for the next line
		runtime.Gosched()
	}
	stop() // nothing more is typed, and the pipe stays open
	if err := <-done; err != nil {
		t.Fatalf("Run: %v, want nil when stopped", err)
	}
}
