package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// shutdownGrace bounds the drain after SIGTERM: turns in flight finish (a
// turn lasts at most bot's 20 s turn timeout) and the background jobs
// stop, the WhatsApp device lease released for another replica, within
// Kubernetes' default 30 s termination grace period.
const shutdownGrace = 25 * time.Second

// stop ends what Run started, once: the jobs (channels, the lease, the
// relay) are told to stop, serve's listener closes and the requests in
// flight are answered; stop waits for both, up to shutdownGrace, so that
// Close does not pull Redis and the database from under them.
func (m *Main) stop(ctx context.Context) error {
	m.stopOnce.Do(func() { m.stopErr = m.shutdown(ctx) })
	return m.stopErr
}

func (m *Main) shutdown(ctx context.Context) error {
	if m.stopJobs == nil && m.http == nil {
		return nil // nothing was started
	}
	if m.http != nil {
		m.Log.Info("shutting down", "grace", shutdownGrace)
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if m.stopJobs != nil {
		m.stopJobs()
	}
	var herr error
	if m.http != nil {
		herr = m.http.Shutdown(sctx)
	}
	stopped := make(chan struct{})
	go func() { m.jobsDone.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-sctx.Done():
		m.Log.Warn("background jobs still running after the grace period")
	}
	if m.http == nil {
		return nil
	}
	if herr != nil && !errors.Is(herr, http.ErrServerClosed) {
		return fmt.Errorf("http shutdown: %w", herr)
	}
	m.Log.Info("stopped")
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
