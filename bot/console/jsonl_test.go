package console

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

// echo answers each text with itself and an option list on "menu".
type echo struct{}

func (echo) Handle(_ context.Context, in convo.Inbound) (convo.Result, error) {
	r := convo.Reply{Msg: i18n.Raw(in.Chat + ":" + in.Text), Expect: convo.ExpectText}
	if in.Text == "menu" {
		r.Options = []i18n.Message{i18n.Raw("uno"), i18n.Raw("dos")}
		r.Expect = convo.ExpectMenu
	}
	return convo.Result{Replies: []convo.Reply{r}}, nil
}

func TestJSONL(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(echo{}, cat.Printer(i18n.ES), slog.New(slog.DiscardHandler))
	in := strings.Join([]string{
		`{"chat":"a","text":"hola"}`,
		`{"chat":"b","text":"menu"}`,
		``,
		`not json`,
		`{"chat":"a","text":"chau"}`,
	}, "\n")
	var out bytes.Buffer
	if err := NewJSONL(b, &out).Run(context.Background(), strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`{"chat":"a","text":"console:a:hola","expect":"text"}`,
		`{"chat":"a","end":true}`,
		`{"chat":"b","text":"console:b:menu","options":["uno","dos"],"expect":"menu"}`,
		`{"chat":"b","end":true}`,
		`{"chat":"","error":"each line must be {\"chat\":\"<id>\",\"text\":\"...\"}"}`,
		`{"chat":"","end":true}`,
		`{"chat":"a","text":"console:a:chau","expect":"text"}`,
		`{"chat":"a","end":true}`,
	}
	got := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(got), len(want), out.String())
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, got[i], want[i])
		}
		if !json.Valid([]byte(got[i])) {
			t.Errorf("line %d is not JSON", i+1)
		}
	}
}

func TestJSONLOverlongLineIsAnsweredAndReadingGoesOn(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(echo{}, cat.Printer(i18n.ES), slog.New(slog.DiscardHandler))
	in := `{"chat":"a","text":"` + strings.Repeat("x", 2<<20) + `"}` + "\n" + `{"chat":"a","text":"sigo"}` + "\n" +
		`{"text":"` + strings.Repeat("x", 2<<20) + `","chat":"b"}`
	var out bytes.Buffer
	if err := NewJSONL(b, &out).Run(context.Background(), strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSpace(out.String()), "\n")
	// The line's chat, read in its head, has its answer and its end line:
	// a script waiting for chat a's end line waited forever on "chat":"".
	// A chat id after the part read cannot be told.
	want := []string{
		`{"chat":"a","error":"line too long: at most 1 MiB"}`,
		`{"chat":"a","end":true}`,
		`{"chat":"a","text":"console:a:sigo","expect":"text"}`,
		`{"chat":"a","end":true}`,
		`{"chat":"","error":"line too long: at most 1 MiB"}`,
		`{"chat":"","end":true}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s", strings.Join(got, "\n"))
	}
}

// A message id given as a number, as scripts number their lines, is an
// id: the line was refused as not {"chat","text"} and the message lost
// (the REST channel took numbers already).
func TestJSONLNumericID(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(echo{}, cat.Printer(i18n.ES), slog.New(slog.DiscardHandler))
	in := `{"chat":"a","text":"hola","id":7}` + "\n" + `{"chat":"a","text":"x","id":{}}` + "\n"
	var out bytes.Buffer
	if err := NewJSONL(b, &out).Run(context.Background(), strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		`{"chat":"a","text":"console:a:hola","expect":"text"}`,
		`{"chat":"a","end":true}`,
		`{"chat":"a","error":"each line must be {\"chat\":\"<id>\",\"text\":\"...\"}"}`,
		`{"chat":"a","end":true}`,
	}, "\n")
	if got := strings.TrimSpace(out.String()); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}

// A byte-order mark before a line (Notepad and PowerShell write one at the
// start of a UTF-8 file) is not part of it: the first line was refused as
// not JSON, and the person's first message lost.
func TestJSONLByteOrderMark(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(echo{}, cat.Printer(i18n.ES), slog.New(slog.DiscardHandler))
	in := "\ufeff" + `{"chat":"a","text":"hola"}` + "\r\n" + `{"chat":"a","text":"chau"}` + "\r\n"
	var out bytes.Buffer
	if err := NewJSONL(b, &out).Run(context.Background(), strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		`{"chat":"a","text":"console:a:hola","expect":"text"}`,
		`{"chat":"a","end":true}`,
		`{"chat":"a","text":"console:a:chau","expect":"text"}`,
		`{"chat":"a","end":true}`,
	}, "\n")
	if got := strings.TrimSpace(out.String()); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}

// A JSON-lines chat whose input stays open (a driver that keeps the pipe
// to type later) stops when it is told to (SIGTERM, Ctrl-C): the read it
// waits on does not hold it, and stopping is not an error, as for the
// terminal chat and serve.
func TestJSONLStopsWhileWaitingForInput(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(echo{}, cat.Printer(i18n.ES), slog.New(slog.DiscardHandler))
	in, typing := io.Pipe()
	defer typing.Close()
	answers, out := io.Pipe()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- NewJSONL(b, out).Run(ctx, in) }()
	if _, err := io.WriteString(typing, `{"chat":"a","text":"hola"}`+"\n"); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(answers)
	for lines.Scan() && lines.Text() != `{"chat":"a","end":true}` {
	}
	go func() { _, _ = io.Copy(io.Discard, answers) }()
	stop() // nothing more is typed, and the pipe stays open
	if err := <-done; err != nil {
		t.Fatalf("Run: %v, want nil when stopped", err)
	}
}

// A message pushed outside a turn (an agent's reply, a place in the
// queue, a reminder) is a reply line as CONTRACT §3 draws it, with what
// the chat waits for: it had no "expect" (a contract probe of chat
// --jsonl handed to the desk), where the REST chat says "text". It has
// no end line, which answers an input, and says it was pushed.
func TestJSONLPushedLines(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	j := NewJSONL(bot.New(echo{}, cat.Printer(i18n.ES), slog.New(slog.DiscardHandler)), &out)
	ctx := context.Background()
	if err := j.SendText(ctx, "a", "ana (mesa de ayuda): hola"); err != nil {
		t.Fatal(err)
	}
	if err := j.SendOptions(ctx, "a", bot.Message{Text: "¿Te ayudo con algo más?", Options: []string{"uno"}, Expect: "menu"}); err != nil {
		t.Fatal(err)
	}
	want := `{"chat":"a","text":"ana (mesa de ayuda): hola","expect":"text","pushed":true}` + "\n" +
		`{"chat":"a","text":"¿Te ayudo con algo más?","options":["uno"],"expect":"menu","pushed":true}` + "\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

// A line that is not the contract's object is answered on the chat it
// names when its "chat" can be read: a script waits for its own chat's end
// line, and got one of chat "" for `{"chat":"a","text":"x",}` (a contract
// probe). A chat id that is not UTF-8 is refused, as the REST chat refuses
// it: "f\xff" and "f\xfe" were both read as "f\uFFFD", one chat. A line of
// spaces is an empty line.
func TestJSONLBadLinesAnswerTheirChat(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(echo{}, cat.Printer(i18n.ES), slog.New(slog.DiscardHandler))
	in := strings.Join([]string{
		`{"chat":"a","text":"x",}`,
		`{"chat":"b","text":"hola"} y más`,
		"   \t",
		"{\"chat\":\"f\xff\",\"text\":\"hola\"}",
		`{"chat":"c","text":"hola"}`,
	}, "\n")
	var out bytes.Buffer
	if err := NewJSONL(b, &out).Run(context.Background(), strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`{"chat":"a","error":"each line must be {\"chat\":\"<id>\",\"text\":\"...\"}"}`,
		`{"chat":"a","end":true}`,
		`{"chat":"b","error":"each line must be {\"chat\":\"<id>\",\"text\":\"...\"}"}`,
		`{"chat":"b","end":true}`,
		"{\"chat\":\"f\ufffd\",\"error\":\"chat must be valid UTF-8\"}",
		"{\"chat\":\"f\ufffd\",\"end\":true}",
		`{"chat":"c","text":"console:c:hola","expect":"text"}`,
		`{"chat":"c","end":true}`,
	}
	got := strings.Split(strings.TrimSpace(out.String()), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// held is an engine whose turn starts, then waits to be let go, and fails
// as a turn does when its context has ended.
type held struct{ started, release chan struct{} }

func (h held) Handle(ctx context.Context, in convo.Inbound) (convo.Result, error) {
	close(h.started)
	<-h.release
	if err := ctx.Err(); err != nil {
		return convo.Result{}, err
	}
	return convo.Result{Replies: []convo.Reply{{Msg: i18n.Raw("guardada"), Expect: convo.ExpectMenu}}}, nil
}

// SIGTERM while a turn runs (a contract probe: the key's confirmation,
// hashed and stored when the signal came) cut the turn: the person read
// "el sistema está con mucha demanda" and the key was not stored. The
// turn in flight now ends as it would have, its replies and end line
// written; then the chat stops.
func TestJSONLStopLetsTheTurnInFlightEnd(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	h := held{started: make(chan struct{}), release: make(chan struct{})}
	b := bot.New(h, cat.Printer(i18n.ES), slog.New(slog.DiscardHandler))
	in, typing := io.Pipe()
	defer typing.Close()
	var out bytes.Buffer
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- NewJSONL(b, &out).Run(ctx, in) }()
	if _, err := io.WriteString(typing, `{"chat":"a","text":"Clave2026x"}`+"\n"); err != nil {
		t.Fatal(err)
	}
	<-h.started
	stop()
	close(h.release)
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	want := `{"chat":"a","text":"guardada","expect":"menu"}` + "\n" + `{"chat":"a","end":true}` + "\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

// A message pushed through the outbox (the reminder that a lockout is
// over, a queue's place) is a reply line with the expect it was given:
// the reminder, which leaves the person at the menu, came out "text"
// (a contract probe), as only messages with options kept theirs.
func TestJSONLPushedThroughTheOutboxKeepsItsExpect(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	var out bytes.Buffer
	j := NewJSONL(bot.New(echo{}, cat.Printer(i18n.ES), log), &out)
	local := bot.NewLocal(log)
	local.Register(j)
	box := bot.NewOutbox(cat.Printer(i18n.ES), local)
	if err := j.Run(context.Background(), strings.NewReader(`{"chat":"a","text":"hola"}`)); err != nil {
		t.Fatal(err) // the chat is this process's once it wrote
	}
	out.Reset()
	replies := []convo.Reply{
		{Msg: i18n.Raw("Ya podés volver a intentar."), Expect: convo.ExpectMenu},
		{Msg: i18n.Raw("¿Qué necesitás?"), Options: []i18n.Message{i18n.Raw("uno")}, Expect: convo.ExpectMenu},
	}
	if err := box.Deliver(context.Background(), Name+":a", "reminder:1", replies); err != nil {
		t.Fatal(err)
	}
	want := `{"chat":"a","text":"Ya podés volver a intentar.","expect":"menu","pushed":true}` + "\n" +
		`{"chat":"a","text":"¿Qué necesitás?","options":["uno"],"expect":"menu","pushed":true}` + "\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}
