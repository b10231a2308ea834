package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/mail/smtptest"
)

// codeRe finds the code in a code e-mail's plain text.
var codeRe = regexp.MustCompile(`(?m)^Tu código es: (\d{6})`)

// mailedCode waits for the n-th e-mail and returns its code and recipient.
func mailedCode(t *testing.T, srv *smtptest.Server, n int) (string, string) {
	t.Helper()
	m := srv.Wait(t, n)
	found := codeRe.FindStringSubmatch(smtptest.PlainText(t, m))
	if found == nil {
		t.Fatalf("no code in e-mail %d:\n%s", n, m.Data)
	}
	return found[1], m.To[0]
}

// startServeSMTP runs serve with --smtp-url pointing at smtpURL.
func startServeSMTP(t *testing.T, smtpURL string) (*Main, string) {
	t.Helper()
	cfg := &config{DatabaseURL: testDB(t), Lang: "es", LogLevel: "error", SMTP: smtpConfig{URL: smtpURL}}
	ctx, cancel := context.WithCancel(context.Background())
	s, err := startServer(ctx, cfg, &serveConfig{HTTPAddr: "127.0.0.1:0"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Wait(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		s.Close()
	})
	return s, "http://" + s.Addr()
}

// TestServeEmailSecondFactor is the outside check of issue 10 over REST: an
// e-mail registered through a real SMTP server, then a recovery that takes
// the code e-mailed to it.
func TestServeEmailSecondFactor(t *testing.T) {
	smtp := smtptest.Start(t)
	srv, base := startServeSMTP(t, smtp.URL())
	send := func(chat, text string) map[string]any {
		t.Helper()
		code, body, _ := call(t, "POST", base+"/v1/chat", "", map[string]string{"chat": chat, "text": text})
		rs, _ := body["replies"].([]any)
		if code != 200 || len(rs) == 0 {
			t.Fatalf("%q: %d %v", text, code, body)
		}
		return rs[len(rs)-1].(map[string]any)
	}
	expect := func(chat, text, want string) map[string]any {
		t.Helper()
		r := send(chat, text)
		if r["expect"] != want {
			t.Fatalf("after %q: expect %v, want %s (%v)", text, r["expect"], want, r)
		}
		return r
	}
	createKey(t, srv, base, "Mate2025amargo")
	expect("creator", "7", "choice")
	expect("creator", "1", "email")
	expect("creator", "maria.gomez@gmail.com", "code")
	code, to := mailedCode(t, smtp, 1)
	if to != "maria.gomez@gmail.com" {
		t.Fatalf("code went to %s", to)
	}
	if r := expect("creator", code, "choice"); !strings.Contains(r["text"].(string), "m***@gmail.com (verificado)") {
		t.Fatalf("contacts after the code: %v", r)
	}

	for _, s := range []string{"hola", "2", "20-31456789-8", "31456789", "14/03/1985"} {
		send("rec", s)
	}
	ctx := context.Background()
	c, _ := srv.Registry.Citizen(ctx, "20314567898")
	qs, _ := srv.Registry.Questions(ctx, c)
	var last map[string]any
	for _, q := range qs {
		last = send("rec", strconv.Itoa(q.Answer+1))
	}
	if last["expect"] != "code" {
		t.Fatalf("recovery after the questions: %v", last)
	}
	code, _ = mailedCode(t, smtp, 2)
	expect("rec", code, "new_key")
	expect("rec", "Yerba2026dulce", "confirm_key")
	expect("rec", "Yerba2026dulce", "menu")
	if status, body, _ := call(t, "POST", base+"/v1/keys/verify", "", map[string]string{"cuil": "20314567898", "key": "Yerba2026dulce"}); status != 200 {
		t.Fatalf("the recovered key: %d %v", status, body)
	}
}

// TestServeSMTPDown: with the relay unreachable the person is told, and
// keeps their place at the code step, from where they can ask again. The
// relay goes down after the start, which checks it.
func TestServeSMTPDown(t *testing.T) {
	relay := smtptest.Start(t)
	srv, base := startServeSMTP(t, relay.URL())
	relay.Close()
	createKey(t, srv, base, "Mate2025amargo")
	var last map[string]any
	for _, s := range []string{"7", "1", "maria.gomez@gmail.com"} {
		_, body, _ := call(t, "POST", base+"/v1/chat", "", map[string]string{"chat": "creator", "text": s})
		rs := body["replies"].([]any)
		last = rs[len(rs)-1].(map[string]any)
	}
	text := fmt.Sprint(last)
	if last["expect"] != "code" || !strings.Contains(text, "Reenviar el código") {
		t.Fatalf("relay down: %v", last)
	}
	_, body, _ := call(t, "POST", base+"/v1/chat", "", map[string]string{"chat": "creator", "text": "reenviar"})
	if !strings.Contains(fmt.Sprint(body), "No pudimos enviar el código") {
		t.Fatalf("resend with the relay down: %v", body)
	}
}

// jsonlChat drives `clavebot chat --jsonl` a line at a time.
type jsonlChat struct {
	t   *testing.T
	in  *os.File
	out *bufio.Scanner
}

func startJSONL(t *testing.T, args ...string) *jsonlChat {
	t.Helper()
	inR, inW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	outR, outW := io.Pipe()
	errR, errW := io.Pipe()
	go io.Copy(io.Discard, errR)
	done := make(chan int, 1)
	go func() {
		done <- run(context.Background(), append([]string{"chat", "--jsonl"}, args...), inR, outW, errW)
		outW.Close()
		errW.Close()
	}()
	t.Cleanup(func() {
		inW.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("chat --jsonl did not end")
		}
		inR.Close()
	})
	sc := bufio.NewScanner(outR)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	return &jsonlChat{t: t, in: inW, out: sc}
}

// say sends text on chat and returns the turn's last reply.
func (j *jsonlChat) say(chat, text string) line {
	j.t.Helper()
	b, _ := json.Marshal(map[string]string{"chat": chat, "text": text})
	if _, err := j.in.Write(append(b, '\n')); err != nil {
		j.t.Fatal(err)
	}
	var last line
	for j.out.Scan() {
		var l line
		if err := json.Unmarshal(j.out.Bytes(), &l); err != nil {
			j.t.Fatalf("bad line %s: %v", j.out.Text(), err)
		}
		if l.End {
			return last
		}
		last = l
	}
	j.t.Fatalf("chat ended after %q", text)
	return last
}

func (j *jsonlChat) expect(chat, text, want string) line {
	j.t.Helper()
	l := j.say(chat, text)
	if l.Expect != want {
		j.t.Fatalf("after %q: expect %q, want %q (%q)", text, l.Expect, want, l.Text)
	}
	return l
}

// TestChatJSONLEmailSecondFactor is the same check through `clavebot chat
// --jsonl --smtp-url`: create a key, register an e-mail with the code it
// receives, recover the key with the code e-mailed then.
func TestChatJSONLEmailSecondFactor(t *testing.T) {
	smtp := smtptest.Start(t)
	db := testDB(t)
	j := startJSONL(t, "--database-url", db, "--smtp-url", smtp.URL())
	answers := questionAnswers(t, db)
	for _, s := range []string{"hola", "1", "20-31456789-8", "María Belén", "Gómez Ruiz", "14/03/1985", "31456789"} {
		j.say("a", s)
	}
	for _, a := range answers {
		j.say("a", a)
	}
	j.expect("a", "Mate2025amargo", "confirm_key")
	j.expect("a", "Mate2025amargo", "menu")
	j.expect("a", "7", "choice")
	j.expect("a", "1", "email")
	j.expect("a", "maria.gomez@gmail.com", "code")
	code, _ := mailedCode(t, smtp, 1)
	j.expect("a", code, "choice")

	for _, s := range []string{"hola", "2", "20-31456789-8", "31456789", "14/03/1985"} {
		j.say("b", s)
	}
	var last line
	for _, a := range answers {
		last = j.say("b", a)
	}
	if last.Expect != "code" {
		t.Fatalf("recovery after the questions: %+v", last)
	}
	code, _ = mailedCode(t, smtp, 2)
	j.expect("b", code, "new_key")
	j.expect("b", "Yerba2026dulce", "confirm_key")
	j.expect("b", "Yerba2026dulce", "menu")
}

// questionAnswers are the right answers (option numbers) to María's
// identity questions in the registry at url.
func questionAnswers(t *testing.T, url string) []string {
	t.Helper()
	ctx := context.Background()
	cfg := &config{DatabaseURL: url}
	db, reg, err := openRegistry(ctx, cfg, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := reg.Citizen(ctx, "20314567898")
	if err != nil {
		t.Fatal(err)
	}
	qs, err := reg.Questions(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, q := range qs {
		out = append(out, strconv.Itoa(q.Answer+1))
	}
	return out
}

// TestChatWritesCodesToTheLog: with no --smtp-url, the terminal chat's
// log (stderr, at its default level) holds the code, so that a newcomer
// can try the flow.
func TestChatWritesCodesToTheLog(t *testing.T) {
	db := testDB(t)
	answers := questionAnswers(t, db)
	var in []string
	for _, s := range append(append([]string{"hola", "1", "20-31456789-8", "María Belén", "Gómez Ruiz", "14/03/1985", "31456789"}, answers...),
		"Mate2025amargo", "Mate2025amargo", "7", "1", "maria.gomez@gmail.com") {
		b, _ := json.Marshal(map[string]string{"chat": "a", "text": s})
		in = append(in, string(b))
	}
	code, out, errOut := runCLI(t, strings.Join(in, "\n")+"\n", "chat", "--jsonl", "--database-url", db)
	if code != 0 || !strings.Contains(out, `"expect":"code"`) {
		t.Fatalf("chat: %d\n%s\n%s", code, out, errOut)
	}
	m := regexp.MustCompile(`code=(\d{6})`).FindStringSubmatch(errOut)
	if m == nil || !strings.Contains(errOut, "m***@gmail.com") || strings.Contains(errOut, "maria.gomez@") {
		t.Fatalf("the log lacks the code or shows the address:\n%s", errOut)
	}
}
