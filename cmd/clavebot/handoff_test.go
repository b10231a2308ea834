package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/internal/testenv"
)

// lockedBuffer is an output both the chat and the test touch.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestTerminalPersonReachesAgentOnServe runs two processes' worth of
// clavebot sharing real Redis and one database: `chat --jsonl` for the
// person and `serve` for the desk. The person asks for a human, the agent
// takes the chat and answers on serve, and the answer reaches the person's
// terminal; the person's reply reaches the agent; closing hands the person
// back to the bot.
func TestTerminalPersonReachesAgentOnServe(t *testing.T) {
	// serve and chat use clavebot's own key prefix in the test Redis the
	// environment names, beside other tests' data: the person's chat id is
	// this run's, its keys are deleted when the test ends (serveRedis
	// deletes the deployment's lasting ones), and whoever else waits in the
	// desk's line does not matter.
	redisURL := serveRedis(t)
	rdb := testenv.Redis(t)
	id := "t-" + strings.ToLower(rand.Text()[:10])
	t.Cleanup(func() {
		if err := testenv.DeleteKeys(context.Background(), rdb, "*"+id+"*"); err != nil {
			t.Errorf("delete the chat's keys: %v", err)
		}
	})
	dbURL := testDB(t)
	cfg := &config{DatabaseURL: dbURL, RedisURL: redisURL, Lang: "es", LogLevel: "error"}
	sc := &serveConfig{HTTPAddr: "127.0.0.1:0"}
	sc.Hours = "mon-sun 00:00-24:00"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := startServer(ctx, cfg, sc, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Wait(ctx) }()
	defer func() { cancel(); <-served; srv.Close() }()

	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	out := &lockedBuffer{}
	chatted := make(chan int, 1)
	t.Setenv("CLAVEBOT_DESK_HOURS", "mon-sun 00:00-24:00")
	go func() {
		chatted <- run(ctx, []string{"chat", "--jsonl", "--database-url", dbURL, "--redis-url", redisURL}, pr, out, &bytes.Buffer{})
	}()
	say := func(text string) {
		b, _ := json.Marshal(map[string]string{"chat": id, "text": text})
		pw.Write(append(b, '\n'))
	}
	waitOut := func(want string) {
		t.Helper()
		// Generous: the chat starts (catalogs, the FAQ's index, the
		// registry) while the first messages wait, and under -race on a
		// loaded CI machine that once took more than 10 s.
		deadline := time.Now().Add(30 * time.Second)
		for !strings.Contains(out.String(), want) {
			if time.Now().After(deadline) {
				t.Fatalf("the terminal never showed %q:\n%s", want, out.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	say("hola")
	say("hablar con una persona")
	waitOut("Te comunico con una persona")

	chat := "console:" + id
	if _, err := srv.Desk.Take(ctx, "ana", chat); err != nil {
		t.Fatal(err)
	}
	if err := srv.Desk.Reply(ctx, "ana", chat, "Hola, soy Ana"); err != nil {
		t.Fatal(err)
	}
	waitOut("Hola, soy Ana")
	say("gracias, ya entendí")
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, msgs, err := srv.Desk.Chat(ctx, desk.Agent{Name: "ana"}, chat)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) > 0 && strings.Contains(msgs[len(msgs)-1].Text, "ya entendí") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the agent never got the person's reply: %+v", msgs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := srv.Desk.Close(ctx, "ana", chat); err != nil {
		t.Fatal(err)
	}
	waitOut("¿Te sirvió la ayuda que recibiste?")
	pw.Close()
	if code := <-chatted; code != 0 {
		t.Fatalf("chat exited %d", code)
	}
	assertJSONLines(t, out.String())
}

func assertJSONLines(t *testing.T, out string) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if !json.Valid(sc.Bytes()) {
			t.Fatalf("not a JSON line: %q", sc.Text())
		}
	}
}
