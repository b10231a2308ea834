package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// TestServeDrainWaitsForJobs: Run returns only once the background jobs
// have stopped, so that Close does not close Redis under the WhatsApp
// lease's release.
func TestServeDrainWaitsForJobs(t *testing.T) {
	cfg := &config{DatabaseURL: testDB(t), Lang: "es", LogLevel: "error"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := startServer(ctx, cfg, &serveConfig{HTTPAddr: "127.0.0.1:0"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var released atomic.Bool
	s.jobs = append(s.jobs, func(ctx context.Context) error {
		<-ctx.Done()
		time.Sleep(100 * time.Millisecond) // a release's round trip
		err := s.app.redis.Set(context.WithoutCancel(ctx), "clavebot:released", "1", 0).Err()
		released.Store(err == nil)
		return err
	})
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	if !released.Load() {
		t.Fatal("Run returned before the job finished stopping")
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
