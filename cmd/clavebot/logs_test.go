package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/clavebot/clavebot/bot/whatsapp/cloud"
	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
)

// syncBuffer is a log written by many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestServeLogsNoPhoneNumber: serve's log, at debug, over a WhatsApp
// conversation that goes to the desk, never holds the person's phone
// number (their chat id).
func TestServeLogsNoPhoneNumber(t *testing.T) {
	g := graphtest.New()
	t.Cleanup(g.Close)
	sc := &serveConfig{}
	sc.Hours = "mon-sun 00:00-24:00"
	sc.WhatsApp, sc.WhatsAppMode = true, "cloud"
	sc.Cloud = cloud.Config{PhoneNumberID: g.PhoneNumberID, AccessToken: g.Token, AppSecret: g.AppSecret,
		VerifyToken: "v", APIURL: g.URL, GraphVersion: cloud.DefaultGraphVersion}
	sc.HTTPAddr = "127.0.0.1:0"
	cfg := &config{DatabaseURL: testDB(t), Lang: "es", LogLevel: "debug"}
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	s, err := startServer(ctx, cfg, sc, cfg.logger(&logs))
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
	g.SetWebhook("http://" + s.Addr() + "/whatsapp/webhook")

	const person = "5491155550077"
	for i, text := range []string{"hola", "1", "20-31456789-8", "hablar con una persona", "gracias"} {
		g.Text(person, text)
		waitUntil(t, "the answer to "+text, func() bool { return len(g.Texts(person)) > i })
	}
	waitUntil(t, "the hand-over", func() bool { b, _ := s.Desk.Board(ctx, supervisor); return len(b) == 1 })
	out := logs.String()
	if strings.Contains(out, person) || strings.Contains(out, "55550077") {
		t.Fatalf("the log holds the person's phone number:\n%s", out)
	}
	if !strings.Contains(out, "level=") {
		t.Fatalf("nothing was logged: %q", out)
	}
}
