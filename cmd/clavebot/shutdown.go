package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// shutdownGrace bounds the drain after SIGTERM: turns in flight finish (a
// turn lasts at most bot's 20 s turn timeout) and the background jobs
// stop, the WhatsApp device lease released for another replica, within
// Kubernetes' default 30 s termination grace period.
const shutdownGrace = 25 * time.Second

// drain stops serve once ctx has ended: the jobs (channels, the lease,
// the relay) were told to stop with ctx; the listener closes, requests in
// flight are answered, and drain waits for both, up to shutdownGrace, so
// that Close does not pull Redis and the database from under them.
func (s *server) drain(ctx context.Context, jobs *sync.WaitGroup) error {
	s.log.Info("shutting down", "grace", shutdownGrace)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	herr := s.http.Shutdown(sctx)
	stopped := make(chan struct{})
	go func() { jobs.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-sctx.Done():
		s.log.Warn("background jobs still running after the grace period")
	}
	if herr != nil && !errors.Is(herr, http.ErrServerClosed) {
		return fmt.Errorf("http shutdown: %w", herr)
	}
	s.log.Info("stopped")
	return nil
}

// streamsEndOnShutdown ends server-sent event streams (the desk's live
// page) when shutdown begins: http.Server.Shutdown waits for every
// request, and a stream lasts as long as its page is open. The browser
// reconnects, to a replica still running. Other requests keep their
// context and finish.
func streamsEndOnShutdown(srv *http.Server, next http.Handler) http.Handler {
	closing, closeStreams := context.WithCancel(context.Background())
	srv.RegisterOnShutdown(closeStreams)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
			next.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		stop := context.AfterFunc(closing, cancel)
		defer stop()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
