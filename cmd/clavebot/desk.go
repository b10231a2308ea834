package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/desk/sqldesk"
	"github.com/clavebot/clavebot/desk/web"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/clientip"
	"github.com/clavebot/clavebot/registry"
)

// deskConfig is the help desk's settings of serve.
type deskConfig struct {
	Hours          string
	Zone           string
	SecureCookie   bool
	TrustedProxies string
}

func (dc *deskConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&dc.Hours, "desk-hours", env("CLAVEBOT_DESK_HOURS", desk.DefaultHours), `when agents answer, e.g. "mon-fri 08:00-20:00, sat 09:00-13:00"`)
	fs.StringVar(&dc.Zone, "desk-tz", env("CLAVEBOT_DESK_TZ", desk.DefaultZone), "time zone of --desk-hours")
	fs.BoolVar(&dc.SecureCookie, "desk-secure-cookie", envBool("CLAVEBOT_DESK_SECURE_COOKIE"), "mark the desk's cookies Secure (when served over https)")
	fs.StringVar(&dc.TrustedProxies, "trusted-proxies", env("CLAVEBOT_TRUSTED_PROXIES", ""), "CIDRs of the proxies (ingress) whose X-Forwarded-For names the client, comma-separated; none by default")
}

// lateDesk is the desk the engine is built with: the desk needs the
// engine, the database, Redis and the outbox, which openApp makes, so it
// is attached once they exist.
type lateDesk struct {
	mu sync.RWMutex
	d  *desk.Desk
}

var _ dialog.Desk = (*lateDesk)(nil)

var errNoDesk = errors.New("desk: not started")

func (l *lateDesk) get() (*desk.Desk, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.d == nil {
		return nil, errNoDesk
	}
	return l.d, nil
}

func (l *lateDesk) Enqueue(ctx context.Context, h dialog.Handoff) (dialog.Ticket, error) {
	d, err := l.get()
	if err != nil {
		return dialog.Ticket{}, err
	}
	return d.Enqueue(ctx, h)
}

func (l *lateDesk) Relay(ctx context.Context, chat, text string) error {
	d, err := l.get()
	if err != nil {
		return err
	}
	return d.Relay(ctx, chat, text)
}

func (l *lateDesk) Leave(ctx context.Context, chat string) error {
	d, err := l.get()
	if err != nil {
		return err
	}
	return d.Leave(ctx, chat)
}

func (l *lateDesk) Rate(ctx context.Context, chat string, useful bool) error {
	d, err := l.get()
	if err != nil {
		return err
	}
	return d.Rate(ctx, chat, useful)
}

// deskCore is the desk without its web page: what a terminal chat needs
// to hand a person over to agents on a serve sharing its Redis and database.
type deskCore struct {
	desk  *desk.Desk
	store *sqldesk.DB
	queue *redisdesk.Queue
	relay *relay.Relay
	log   *slog.Logger
}

// openDesk opens the desk's tables and Redis state, attaches the desk to
// late, and makes the outbox keep every out-of-turn message in Redis
// until it is sent, from whichever process runs the chat's channel.
func openDesk(ctx context.Context, a *app, dc *deskConfig, late *lateDesk, ropts ...relay.Option) (*deskCore, error) {
	if dc.Hours == "" {
		dc.Hours = desk.DefaultHours
	}
	if dc.Zone == "" {
		dc.Zone = desk.DefaultZone
	}
	hours, err := desk.ParseHours(dc.Hours, dc.Zone)
	if err != nil {
		return nil, err
	}
	if err := a.db.MigrateSet(ctx, sqldesk.SetName, sqldesk.Migrations()); err != nil {
		return nil, fmt.Errorf("desk tables: %w", err)
	}
	c := &deskCore{
		store: sqldesk.New(a.db.DB()),
		queue: redisdesk.New(a.redis, keyPrefix),
		log:   a.log,
	}
	c.relay = relay.New(a.redis, keyPrefix, a.outbox, a.log, append(c.deliveryHooks(), ropts...)...)
	a.outbox.SetQueue(c.relay)
	c.desk = desk.New(desk.Config{Hours: hours, Printer: a.catalog.Printer(i18n.Lang(a.cfg.Lang)), Log: a.log}, c.queue, c.store, a.outbox)
	c.desk.SetEngine(a.engine)
	late.mu.Lock()
	late.d = c.desk
	late.mu.Unlock()
	return c, nil
}

// startDesk opens the desk, mounts its page on mux, and returns the
// background loops.
func (s *server) startDesk(ctx context.Context, dc *deskConfig, late *lateDesk, funnel *desk.Funnel, mux *http.ServeMux) ([]runner, error) {
	a := s.app
	c, err := openDesk(ctx, a, dc, late, relay.WithMeter(s.delivery), relay.WithChannels(a.outbox.Registered()...))
	if err != nil {
		return nil, err
	}
	s.desk = c.desk
	proxies, err := clientip.Parse(dc.TrustedProxies)
	if err != nil {
		return nil, err
	}
	sessions := redisdesk.NewSessions(a.redis, keyPrefix)
	acc, err := desk.NewAccounts(ctx, c.store, registry.NewHasher(registry.DefaultHashParams, runtime.GOMAXPROCS(0)), desk.WithRevoker(sessions))
	if err != nil {
		return nil, err
	}
	pol := a.reg.Policy()
	wcfg := web.Config{SecureCookie: dc.SecureCookie, TrustedProxies: proxies, Log: s.log, AnswerArgs: []any{"min", pol.KeyMinLen, "max", pol.KeyMaxLen}}
	if s.pairing != nil {
		wcfg.Pairing = s.pairing
	}
	w, err := web.New(wcfg, c.desk, acc,
		sessions, redisdesk.NewLimiter(a.redis, keyPrefix), c.store, c.queue, a.catalog, i18n.Lang(a.cfg.Lang))
	if err != nil {
		return nil, err
	}
	w.Register(mux)
	w.RegisterDelivery(mux, c.relay)
	for _, f := range s.onRelay {
		f(c.relay)
	}
	return []runner{
		func(ctx context.Context) error { c.relay.Run(ctx); return nil },
		w.Run,
		func(ctx context.Context) error { funnel.Run(ctx, c.store, 5*time.Second); return nil },
	}, nil
}
