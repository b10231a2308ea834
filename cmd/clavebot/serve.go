package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/bot/rest"
	"github.com/clavebot/clavebot/bot/telegram"
	"github.com/clavebot/clavebot/bot/whatsapp"
	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/desk/web"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/httpapi"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/clientip"
	"github.com/clavebot/clavebot/metrics"
	"github.com/clavebot/clavebot/registry"
)

func (m *Main) parseServe(args []string) error {
	fs, cfg := newFlags("serve", m.stderr)
	cfg.serveConfig.register(fs)
	if err := parseConfig(fs, cfg, args); err != nil {
		return err
	}
	if err := cfg.perfConfig.check(); err != nil {
		return &exitError{code: 2, msg: "clavebot: " + err.Error()}
	}
	m.Config = *cfg
	return nil
}

// runServe builds the bot with its channels, the desk and its page, and
// the HTTP API, listens, and starts serving and the background jobs.
func (m *Main) runServe(ctx context.Context) error {
	cfg := &m.Config
	if m.Log == nil {
		m.Log = cfg.logger(m.stderr)
	}
	if err := checkExposure(&cfg.serveConfig); err != nil {
		return err
	}
	if err := cfg.checkQuestionSecret(); err != nil {
		return err
	}
	restoreGC, err := cfg.perfConfig.tuneGC()
	if err != nil {
		return err
	}
	if restoreGC != nil {
		m.onClose("collector settings", func() error { restoreGC(); return nil })
	}
	m.Prom = prometheus.NewRegistry()
	m.Prom.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	rec := metrics.New(m.Prom)
	funnel := desk.NewFunnel(desk.Location(cfg.Zone), m.Log)
	measure := admitted(m.Prom, &cfg.perfConfig)
	if err := m.openStores(ctx); err != nil {
		return err
	}
	ds, err := m.openDeskStores(ctx)
	if err != nil {
		return err
	}
	stops := desk.NewStops()
	m.delivery = metrics.NewDelivery(m.Prom)
	if err := m.openOutbox(ds, stops, relay.WithMeter(m.delivery), relay.WithChannels(cfg.channelNames()...)); err != nil {
		return err
	}
	if err := m.openHandoffs(cfg.deskConfig, ds, stops); err != nil {
		return err
	}
	if err := m.openEngine(ctx, append(m.deskOptions(), dialog.WithRecorder(metrics.Tee{rec, funnel}))...); err != nil {
		return err
	}
	m.Bot = bot.New(measure(m.Engine), m.printer(), m.Log, bot.WithOutbox(m.Outbox))
	if cfg.SMTP.URL == "" {
		m.Log.Warn("no --smtp-url: one-time codes for e-mail addresses are written to this log, not sent; set --smtp-url (CLAVEBOT_SMTP_URL) in production")
	}
	registerRoundTrips(m.Prom, &m.trips)
	registerHashing(m.Prom, m.Registry, m.hashChild)
	mux := http.NewServeMux()
	m.openAPI(mux)
	if cfg.PprofAddr != "" {
		job, err := startPprof(cfg.PprofAddr)
		if err != nil {
			return err
		}
		m.jobs = append(m.jobs, job)
	}
	pairing, err := m.openChannels(ctx, &cfg.channelConfig, mux)
	if err != nil {
		return err
	}
	m.Desk = desk.New(m.Handoffs, m.Engine)
	if err := m.openDeskPage(ctx, ds, pairing, mux); err != nil {
		return err
	}
	m.jobs = append(m.jobs, func(ctx context.Context) error { funnel.Run(ctx, ds.records, 5*time.Second); return nil })
	return m.listen(ctx, mux)
}

// channelNames are the channels whose dead letters the desk lists: all
// of them, whichever this replica runs. Replicas may run different
// channels (WhatsApp's device on one), and an agent's page served by
// another listed none of that channel's (the last session's handoff). A
// resend from any replica reaches the one running the channel: it goes
// through the channel's due set and notice in Redis.
func (c *config) channelNames() []string {
	return []string{rest.Name, telegram.Name, whatsapp.Name}
}

// openAPI mounts the health, readiness, metrics and key verification API
// and the REST chat.
func (m *Main) openAPI(mux *http.ServeMux) {
	cfg := &m.Config
	api := httpapi.New(m.Registry, httpapi.WithReady(map[string]httpapi.Pinger{"database": m.DB, "redis": m.States}),
		httpapi.WithMetrics(promhttp.HandlerFor(m.Prom, promhttp.HandlerOpts{})), httpapi.WithToken(cfg.APIToken))
	api.Register(mux)
	restCh := rest.New(m.Bot, cfg.APIToken, rest.NewRedisMailbox(m.Redis, keyPrefix, 24*time.Hour),
		rest.WithSecrets(rest.NewRedisSecrets(m.Redis, keyPrefix)))
	restCh.Register(mux)
	m.Local.Register(restCh)
	m.jobs = append(m.jobs, m.reminders(rest.Name))
}

// openDeskPage mounts the agents' page on mux.
func (m *Main) openDeskPage(ctx context.Context, ds deskStores, pairing *redisdesk.Pairing, mux *http.ServeMux) error {
	dc := &m.Config.deskConfig
	proxies, err := clientip.Parse(dc.TrustedProxies)
	if err != nil {
		return err
	}
	sessions := redisdesk.NewSessions(m.Redis, keyPrefix)
	acc, err := desk.NewAccounts(ctx, ds.records, registry.NewHasher(hashParams, runtime.GOMAXPROCS(0)), desk.WithRevoker(sessions))
	if err != nil {
		return err
	}
	pol := m.Registry.Policy()
	opts := []web.Option{
		web.WithSecureCookie(dc.SecureCookie), web.WithTrustedProxies(proxies), web.WithLogger(m.Log),
		web.WithCanned(m.Catalog, i18n.Lang(m.Config.Lang), pol.MessageArgs()...),
		web.WithLanguage(m.Catalog, i18n.Lang(m.Config.Lang)),
		web.WithDelivery(m.Relay),
		web.WithFunnelStages(func(flow string) []string { return dialog.FunnelStages(dialog.Flow(flow)) }),
	}
	if pairing != nil {
		opts = append(opts, web.WithPairing(pairing))
	}
	w, err := web.New(m.Desk, acc, sessions, redisdesk.NewLimiter(m.Redis, keyPrefix), ds.records, ds.queue, opts...)
	if err != nil {
		return err
	}
	w.Register(mux)
	m.jobs = append(m.jobs, w.Run)
	return nil
}

// listen opens serve's listener and starts serving and the jobs.
func (m *Main) listen(ctx context.Context, mux *http.ServeMux) error {
	addr := m.Config.HTTPAddr
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("http: listen on %s: %w", addr, err)
	}
	m.ln = ln
	m.http = &http.Server{
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second,
	}
	m.http.Handler = streamsEndOnShutdown(m.http, mux)
	m.Log.Info("serving", "addr", ln.Addr().String())
	m.start(ctx)
	m.served = make(chan error, 1)
	go func() {
		if err := m.http.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			m.served <- err
		}
	}()
	return nil
}

// Addr is the HTTP address serve listens on.
func (m *Main) Addr() string { return m.ln.Addr().String() }
