package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/bot/rest"
	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/httpapi"
	"github.com/clavebot/clavebot/metrics"
)

// serveConfig is serve's own configuration.
type serveConfig struct {
	HTTPAddr string
	APIToken string
	channelConfig
	deskConfig
	perfConfig
}

// server is a running `clavebot serve`: tests build it with ":0" addresses
// and temporary databases.
type server struct {
	app     *app
	http    *http.Server
	ln      net.Listener
	log     *slog.Logger
	jobs    []runner
	closers []func() error
	desk    *desk.Desk
	pairing *redisdesk.Pairing   // WhatsApp's pairing codes, when whatsmeow runs here
	prom    *prometheus.Registry // what /metrics exports (deploy/monitoring/metrics.txt lists it)
	// delivery counts what becomes of out-of-turn messages; onRelay wires
	// the channels that report receipts once the outbox's store exists.
	delivery *metrics.Delivery
	onRelay  []func(*relay.Relay)
}

// onClose runs f when the server closes, before the app.
func (s *server) onClose(f func() error) { s.closers = append(s.closers, f) }

func cmdServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs, cfg := newFlags("serve", stderr)
	sc := &serveConfig{}
	fs.StringVar(&sc.HTTPAddr, "http-addr", env("CLAVEBOT_HTTP_ADDR", "127.0.0.1:8080"), "HTTP listen address")
	fs.StringVar(&sc.APIToken, "api-token", env("CLAVEBOT_API_TOKEN", ""), "bearer token required by every /v1/ endpoint (the REST chat and key verification); needed to listen beyond loopback")
	sc.channelConfig.register(fs)
	sc.deskConfig.register(fs)
	sc.perfConfig.register(fs)
	if err := parseConfig(fs, cfg, args); err != nil {
		return err
	}
	if err := sc.perfConfig.check(); err != nil {
		return &exitError{code: 2, msg: "clavebot: " + err.Error()}
	}
	s, err := startServer(ctx, cfg, sc, cfg.logger(stderr))
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Run(ctx)
}

// startServer wires the bot and listens; Run serves until ctx ends.
func startServer(ctx context.Context, cfg *config, sc *serveConfig, log *slog.Logger) (*server, error) {
	if err := checkExposure(sc); err != nil {
		return nil, err
	}
	promReg := prometheus.NewRegistry()
	promReg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	rec := metrics.New(promReg)
	late := &lateDesk{}
	funnel := desk.NewFunnel(desk.Location(sc.deskConfig.Zone), log)
	a, err := openApp(ctx, cfg, log, admitted(promReg, &sc.perfConfig), dialog.WithRecorder(metrics.Tee{rec, funnel}), dialog.WithDesk(late))
	if err != nil {
		return nil, err
	}
	if sc.WhatsApp {
		a.codes.phone = whatsAppCodes{outbox: a.outbox, cloud: sc.WhatsAppMode == "cloud"}
	}
	if cfg.SMTP.URL == "" {
		log.Warn("no --smtp-url: one-time codes for e-mail addresses are written to this log, not sent; set --smtp-url (CLAVEBOT_SMTP_URL) in production")
	}
	registerRoundTrips(promReg, &a.trips)
	mux := http.NewServeMux()
	api := httpapi.New(a.reg, httpapi.WithReady(map[string]httpapi.Pinger{"database": a.db, "redis": redisPinger{a.redis}}),
		httpapi.WithMetrics(promhttp.HandlerFor(promReg, promhttp.HandlerOpts{})), httpapi.WithToken(sc.APIToken))
	api.Register(mux)
	restCh := rest.New(a.bot, sc.APIToken, rest.NewRedisMailbox(a.redis, keyPrefix, 24*time.Hour),
		rest.WithSecrets(rest.NewRedisSecrets(a.redis, keyPrefix)))
	restCh.Register(mux)
	a.outbox.Register(restCh)
	s := &server{app: a, log: log, prom: promReg, delivery: metrics.NewDelivery(promReg)}
	s.jobs = append(s.jobs, s.reminders(rest.Name))
	if sc.PprofAddr != "" {
		job, err := startPprof(sc.PprofAddr)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.jobs = append(s.jobs, job)
	}
	jobs, err := s.startChannels(ctx, &sc.channelConfig, mux)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.jobs = append(s.jobs, jobs...)
	if jobs, err = s.startDesk(ctx, &sc.deskConfig, late, funnel, mux); err != nil {
		s.Close()
		return nil, err
	}
	s.jobs = append(s.jobs, jobs...)
	if s.ln, err = net.Listen("tcp", sc.HTTPAddr); err != nil {
		s.Close()
		return nil, fmt.Errorf("http: listen on %s: %w", sc.HTTPAddr, err)
	}
	s.http = &http.Server{
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second,
	}
	s.http.Handler = streamsEndOnShutdown(s.http, mux)
	log.Info("serving", "addr", s.ln.Addr().String())
	return s, nil
}

// Addr is the HTTP address actually listened on.
func (s *server) Addr() string { return s.ln.Addr().String() }

// Run serves until ctx ends, then shuts down gracefully (see drain).
func (s *server) Run(ctx context.Context) error {
	jctx, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	var jobs sync.WaitGroup
	for _, job := range s.jobs {
		jobs.Go(func() {
			if err := job(jctx); err != nil {
				s.log.Error("background job stopped", "err", err)
			}
		})
	}
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	return s.drain(ctx, &jobs)
}

// Close releases the channels, then the app.
func (s *server) Close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i]())
	}
	errs = append(errs, s.app.Close())
	return errors.Join(errs...)
}
