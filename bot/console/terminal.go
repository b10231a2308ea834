package console

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog/convo"
)

// Terminal is the interactive chat for a person at a terminal. When the bot
// waits for a key and standard input is a terminal, typing is not echoed.
type Terminal struct {
	bot  *bot.Bot
	out  io.Writer
	mu   sync.Mutex
	chat string
}

var _ bot.Channel = (*Terminal)(nil)

var _ bot.Owner = (*Terminal)(nil)

// NewTerminal returns a terminal chat writing to out. Each terminal is a
// chat of its own (id terminal-<random>), so several can share one Redis.
func NewTerminal(b *bot.Bot, out io.Writer) *Terminal {
	return &Terminal{bot: b, out: out, chat: "terminal-" + strings.ToLower(rand.Text()[:10])}
}

// Owns implements bot.Owner: a terminal reaches only its own chat.
func (t *Terminal) Owns(chat string) bool { return chat == t.chat }

// Run chats until EOF, "salir" or ctx ends. in is read line by line; when
// in is the process's terminal, secrets are read without echo. Ending ctx
// (Ctrl-C, SIGTERM) stops it at once, even while waiting for a line: the
// read runs apart and is left behind, and the terminal is given back as
// it was found (echo on, were a key being typed).
func (t *Terminal) Run(ctx context.Context, in io.Reader) error {
	r := bufio.NewReader(in)
	f, isFile := in.(*os.File)
	tty := isFile && term.IsTerminal(int(f.Fd()))
	if tty {
		if st, err := term.GetState(int(f.Fd())); err == nil {
			defer term.Restore(int(f.Fd()), st)
		}
	}
	expect := ""
	t.print(t.turn(ctx, "hola", &expect))
	for {
		if ctx.Err() != nil {
			return nil
		}
		read := make(chan readResult, 1)
		secret := convo.Expect(expect).Secret()
		go func() {
			line, err := t.read(r, f, tty, secret)
			read <- readResult{line, err}
		}()
		var line string
		var err error
		select {
		case <-ctx.Done():
			return nil
		case res := <-read:
			line, err = res.line, res.err
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read terminal: %w", err)
		}
		if l := strings.ToLower(strings.TrimSpace(line)); l == "salir" || l == "exit" {
			return nil
		}
		t.print(t.turn(ctx, line, &expect))
	}
}

// readResult is one line read from the terminal, or why none was.
type readResult struct {
	line string
	err  error
}

func (t *Terminal) turn(ctx context.Context, text string, expect *string) []bot.Message {
	msgs, _ := t.bot.Handle(ctx, convo.Inbound{Chat: bot.ChatID(Name, t.chat), Text: text, Channel: Name})
	if len(msgs) > 0 {
		*expect = msgs[len(msgs)-1].Expect
	}
	return msgs
}

func (t *Terminal) read(r *bufio.Reader, in *os.File, tty, secret bool) (string, error) {
	t.mu.Lock()
	fmt.Fprint(t.out, "\n> ")
	t.mu.Unlock()
	if tty && secret {
		b, err := term.ReadPassword(int(in.Fd()))
		fmt.Fprintln(t.out, "••••••••")
		return string(b), err
	}
	line, err := r.ReadString('\n')
	if err == io.EOF && line != "" {
		err = nil
	}
	return strings.TrimRight(line, "\r\n"), err
}

func (t *Terminal) print(msgs []bot.Message) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, m := range msgs {
		fmt.Fprintf(t.out, "\nclavebot: %s\n", strings.ReplaceAll(bot.NumberedText(m), "\n", "\n          "))
	}
}

// Name implements bot.Channel.
func (t *Terminal) Name() string { return Name }

// SendText implements bot.Channel, for messages pushed outside a turn.
func (t *Terminal) SendText(_ context.Context, _ string, text string) error {
	t.print([]bot.Message{{Text: text}})
	return nil
}
