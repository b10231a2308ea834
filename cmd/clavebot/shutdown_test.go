package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot/whatsapp/cloud"
)

// TestServeDrainWaitsForJobs: Wait returns only once the background jobs
// have stopped, so that Close does not close Redis under the WhatsApp
// lease's release.
func TestServeDrainWaitsForJobs(t *testing.T) {
	m := NewMain(nil, io.Discard, io.Discard)
	m.Command, m.Log = "serve", slog.New(slog.DiscardHandler)
	m.Config = config{DatabaseURL: testDB(t), Lang: "es", LogLevel: "error"}
	m.Config.HTTPAddr = "127.0.0.1:0"
	var released atomic.Bool
	m.jobs = append(m.jobs, func(ctx context.Context) error {
		<-ctx.Done()
		time.Sleep(100 * time.Millisecond) // a release's round trip
		err := m.Redis.Set(context.WithoutCancel(ctx), "clavebot:released", "1", 0).Err()
		released.Store(err == nil)
		return err
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	done := make(chan error, 1)
	go func() { done <- m.Wait(ctx) }()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Wait = %v", err)
	}
	if !released.Load() {
		t.Fatal("Wait returned before the job finished stopping")
	}
}

// TestMainCloseOrder: Close alone (no Wait) stops serving, lets the jobs
// finish stopping while Redis and the database are still open, and then
// closes what Run opened, last first. A second Close does nothing more.
func TestMainCloseOrder(t *testing.T) {
	m := NewMain(nil, io.Discard, io.Discard)
	m.Command, m.Log = "serve", slog.New(slog.DiscardHandler)
	m.Config = config{DatabaseURL: testDB(t), Lang: "es", LogLevel: "error"}
	m.Config.HTTPAddr = "127.0.0.1:0"
	m.Config.WhatsApp, m.Config.WhatsAppMode = true, "cloud"
	m.Config.Cloud = cloud.Config{PhoneNumberID: "1", AccessToken: "t", AppSecret: "s", VerifyToken: "v", APIURL: "http://127.0.0.1:1"}
	var order []string
	var stores atomic.Bool // Redis and the database answered as the job stopped
	m.jobs = append(m.jobs, func(ctx context.Context) error {
		<-ctx.Done()
		bg := context.WithoutCancel(ctx)
		stores.Store(m.Redis.Ping(bg).Err() == nil && m.DB.DB().PingContext(bg) == nil)
		order = append(order, "job")
		return nil
	})
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	base := "http://" + m.Addr()
	if res, err := http.Get(base + "/healthz"); err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz before Close: %v %v", res, err)
	}
	var names []string
	for _, c := range m.closers {
		names = append(names, c.name)
		c := c
		m.closers[len(names)-1].close = func() error { order = append(order, c.name); return c.close() }
	}
	// The argon2id children (--hash-priority low) before the database: the
	// registry's hasher is built with them, and they go last.
	if want := []string{"argon2id children", "database", "redis", "whatsapp"}; !slices.Equal(names, want) {
		t.Fatalf("Run opened %v, want %v in this order", names, want)
	}
	if err := m.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if want := []string{"job", "whatsapp", "redis", "database", "argon2id children"}; !slices.Equal(order, want) {
		t.Fatalf("Close went %v, want %v", order, want)
	}
	if !stores.Load() {
		t.Fatal("Redis or the database was closed before the jobs stopped")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Fatal("still serving after Close")
	}
	if err := m.DB.DB().PingContext(context.Background()); err == nil {
		t.Fatal("the database is still open after Close")
	}
	if err := m.Close(); err != nil {
		t.Fatalf("a second Close = %v", err)
	}
}

// TestStreamsEndOnShutdown: an open event stream does not hold the
// shutdown for the whole grace period, and a request in flight finishes.
func TestStreamsEndOnShutdown(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	mux.HandleFunc("/turn", func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		if r.Context().Err() != nil {
			http.Error(w, "cancelled", 500)
			return
		}
		io.WriteString(w, "answered")
	})
	srv := &http.Server{}
	srv.Handler = streamsEndOnShutdown(srv, mux)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	base := "http://" + ln.Addr().String()

	req, _ := http.NewRequest("GET", base+"/stream", nil)
	req.Header.Set("Accept", "text/event-stream")
	stream, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	turn := make(chan string, 1)
	go func() {
		res, err := http.Get(base + "/turn")
		if err != nil {
			turn <- err.Error()
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		turn <- string(b)
	}()
	<-entered

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	shut := make(chan error, 1)
	go func() { shut <- srv.Shutdown(ctx) }()
	ended := make(chan struct{})
	go func() { io.Copy(io.Discard, stream.Body); close(ended) }()
	select {
	case <-ended:
	case <-time.After(3 * time.Second):
		srv.Close()
		t.Fatal("the event stream still runs after the shutdown began")
	}
	close(release)
	if got := <-turn; got != "answered" {
		t.Fatalf("the turn in flight got %q", got)
	}
	if err := <-shut; err != nil {
		t.Fatalf("Shutdown = %v", err)
	}
}
