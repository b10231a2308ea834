// Package console is the terminal channel: an interactive chat for a person
// and a JSON-lines chat for scripts (CONTRACT §3), on the same engine.
package console

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog/convo"
)

// Name is the channel's name and chat id prefix.
const Name = "console"

// maxLine bounds one input line; longer lines are answered kindly by the
// engine's own length check after truncation.
const maxLine = 1 << 20

// JSONL serves the JSON-lines chat. Each input line is handled in order;
// its replies, then an end line, are written before the next line is read.
type JSONL struct {
	bot   *bot.Bot
	mu    sync.Mutex // one writer: turns and pushed messages interleave by line
	enc   *json.Encoder
	chats sync.Map // chat ids seen on this process's input
}

var (
	_ bot.Channel      = (*JSONL)(nil)
	_ bot.Owner        = (*JSONL)(nil)
	_ bot.OptionSender = (*JSONL)(nil)
	_ bot.KeyedSender  = (*JSONL)(nil)
)

// Owns implements bot.Owner: a JSON-lines process reaches only the chats
// of its own input, so several can share one Redis.
func (j *JSONL) Owns(chat string) bool {
	_, ok := j.chats.Load(chat)
	return ok
}

// NewJSONL returns a JSON-lines chat writing to w.
func NewJSONL(b *bot.Bot, w io.Writer) *JSONL {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &JSONL{bot: b, enc: enc}
}

type inLine struct {
	Chat string        `json:"chat"`
	Text string        `json:"text"`
	ID   bot.MessageID `json:"id,omitempty"` // optional message id: a repeated id is not handled twice
}

type outLine struct {
	Chat    string   `json:"chat"`
	Text    string   `json:"text,omitempty"`
	Options []string `json:"options,omitempty"`
	Expect  string   `json:"expect,omitempty"`
	Error   string   `json:"error,omitempty"`
	End     bool     `json:"end,omitempty"`
	// Pushed marks a message sent outside a turn (an agent's reply, a
	// place in the queue, a reminder): no end line follows it.
	Pushed bool `json:"pushed,omitempty"`
}

// Run reads r until EOF or ctx ends. A line longer than maxLine is
// answered with an error line, and the lines after it are still read.
// Ending ctx (SIGTERM, Ctrl-C) stops it at once, between turns, even while
// the input stays open with nothing typed: the read runs apart, so it
// cannot hold the process; stopping so is not an error.
func (j *JSONL) Run(ctx context.Context, r io.Reader) error {
	lines := make(chan input)
	go readLines(ctx, r, lines)
	for {
		var in input
		select {
		case <-ctx.Done():
			return nil
		case in = <-lines:
		}
		if ctx.Err() != nil {
			return nil
		}
		switch {
		case in.tooLong:
			chat := chatOf(in.line)
			j.write(outLine{Chat: chat, Error: "line too long: at most 1 MiB"}, outLine{Chat: chat, End: true})
		case len(bytes.TrimSpace(in.line)) > 0:
			j.turn(ctx, in.line)
		}
		if in.err == io.EOF {
			return nil
		}
		if in.err != nil {
			return fmt.Errorf("read chat input: %w", in.err)
		}
	}
}

// input is one line read (of a line too long, its first maxLine bytes), or
// how reading ended.
type input struct {
	line    []byte
	tooLong bool
	err     error
}

// readLines sends r's lines to out, the last one with the error that ended
// the reading (io.EOF at the end), until ctx ends. A read that never
// returns (an open pipe) leaves this goroutine waiting; the process exits
// around it.
func readLines(ctx context.Context, r io.Reader, out chan<- input) {
	br := bufio.NewReaderSize(r, 64*1024)
	for {
		line, tooLong, err := readLine(br)
		select {
		case out <- input{line: line, tooLong: tooLong, err: err}:
		case <-ctx.Done():
			return
		}
		if err != nil {
			return
		}
	}
}

// readLine reads one line without its newline and without a byte-order
// mark before it (Notepad and PowerShell begin a UTF-8 file with one);
// past maxLine it keeps the line's head, discards the rest and reports it
// too long.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > maxLine {
			tooLong = true
		} else {
			line = append(line, chunk...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		line = bytes.TrimPrefix(line, []byte("\ufeff"))
		if tooLong {
			return line, true, err
		}
		return bytes.TrimRight(line, "\r\n"), false, err
	}
}

// chatOf returns the "chat" of head, the start of a line too long to read
// whole, so that the line's answer and end line reach the chat that sent
// it (a script waits for its own chat's end line); "" when head does not
// hold it before the part cut off.
func chatOf(head []byte) string {
	dec := json.NewDecoder(bytes.NewReader(head))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return ""
	}
	for {
		k, err := dec.Token()
		if err != nil {
			return ""
		}
		if k == "chat" {
			v, _ := dec.Token()
			chat, _ := v.(string)
			return chat
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return ""
		}
	}
}

// turn handles one input line. A turn begun runs to its end even when ctx
// ends meanwhile (SIGTERM): cut, it would leave the person "try again"
// for a key already typed; the bot's own turn timeout bounds it.
func (j *JSONL) turn(ctx context.Context, line []byte) {
	var in inLine
	if err := json.Unmarshal(line, &in); err != nil || in.Chat == "" {
		// The error goes to the chat the line names, when it can be
		// read: its script waits for that chat's end line.
		chat := in.Chat
		if chat == "" {
			chat = chatOf(line)
		}
		j.write(outLine{Chat: chat, Error: `each line must be {"chat":"<id>","text":"..."}`}, outLine{Chat: chat, End: true})
		return
	}
	if strings.ContainsRune(in.Chat, utf8.RuneError) {
		// encoding/json reads every byte that is not UTF-8 as U+FFFD:
		// "f\xff" and "f\xfe" would be one chat (as in the REST chat).
		j.write(outLine{Chat: in.Chat, Error: "chat must be valid UTF-8"}, outLine{Chat: in.Chat, End: true})
		return
	}
	j.chats.Store(in.Chat, true)
	msgs, _ := j.bot.Handle(context.WithoutCancel(ctx), convo.Inbound{
		Chat: bot.ChatID(Name, in.Chat), ID: string(in.ID), Text: in.Text, Channel: Name,
	})
	out := make([]outLine, 0, len(msgs)+1)
	for _, m := range msgs {
		out = append(out, outLine{Chat: in.Chat, Text: m.Text, Options: m.Options, Expect: m.Expect})
	}
	j.write(append(out, outLine{Chat: in.Chat, End: true})...)
}

func (j *JSONL) write(lines ...outLine) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, l := range lines {
		_ = j.enc.Encode(l)
	}
}

// Name implements bot.Channel.
func (j *JSONL) Name() string { return Name }

// SendText implements bot.Channel, for messages pushed outside a turn.
func (j *JSONL) SendText(ctx context.Context, chat, text string) error {
	return j.SendOptions(ctx, chat, bot.Message{Text: text})
}

// SendKeyed implements bot.KeyedSender, the way the outbox hands over
// what it delivers (a reminder that a lockout is over, a place in the
// desk's line): the whole message, with the expect it was given, where
// SendText would have only its text and answer "text" for a reminder
// that leaves the person at the menu. The key needs no keeping: the line
// is written at once.
func (j *JSONL) SendKeyed(ctx context.Context, chat string, m bot.Message, _ string) error {
	return j.SendOptions(ctx, chat, m)
}

// SendOptions implements bot.OptionSender, keeping options structured. A
// pushed line is a reply line of CONTRACT §3, marked pushed; one pushed
// without a step (an agent's, from the desk) expects "text", what the
// chat waits for then, as the REST chat answers it.
func (j *JSONL) SendOptions(_ context.Context, chat string, m bot.Message) error {
	l := outLine{Chat: chat, Text: m.Text, Options: m.Options, Expect: m.Expect, Pushed: true}
	if l.Expect == "" {
		l.Expect = string(convo.ExpectText)
	}
	j.write(l)
	return nil
}
