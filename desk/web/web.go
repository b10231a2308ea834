// Package web is the agents' page of the help desk, served by clavebot
// itself under /desk/: sign-in, the live queue, the conversation with a
// person, canned answers from the FAQ, and the desk's figures. Its HTML,
// CSS and JavaScript are embedded; nothing is fetched from elsewhere.
package web

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/clientip"
)

//go:embed static templates
var assets embed.FS

// Accounts checks agents' passwords and tells who an agent is now;
// *desk.Accounts is one.
type Accounts interface {
	Verify(ctx context.Context, name, password string) (desk.Agent, bool, error)
	// Current is the agent as the database has it now; NotFound once
	// removed.
	Current(ctx context.Context, name string) (desk.Agent, error)
	List(ctx context.Context) ([]desk.Agent, error)
}

// Sessions keeps signed-in agents, shared by every desk server, and the
// browsers they signed in from; *redisdesk.Sessions is one.
type Sessions interface {
	Put(ctx context.Context, token string, s desk.Session, ttl time.Duration) error
	Get(ctx context.Context, token string) (desk.Session, error)
	Delete(ctx context.Context, token string) error
	// Present reports whether agent has a session that has not ended,
	// on any desk server.
	Present(ctx context.Context, agent string) (bool, error)
	// Alive reports, for each token, whether its session still exists.
	Alive(ctx context.Context, tokens []string) ([]bool, error)
	// End deletes the session and tells every desk server.
	End(ctx context.Context, token string, s desk.Session) error
	// Watch calls f with every end of sessions, from any server, until ctx
	// ends; it returns an error when the subscription breaks.
	Watch(ctx context.Context, f func(desk.SessionEnd)) error
	RememberDevice(ctx context.Context, token, agent string, ttl time.Duration) error
	// DeviceAgent is who signed in from the browser holding token; "" when
	// nobody.
	DeviceAgent(ctx context.Context, token string) (string, error)
}

// Limiter counts failed sign-in attempts with progressive delays;
// *redisdesk.Limiter is one.
type Limiter interface {
	// Reserve counts an attempt if it may come now (returning 0), else
	// returns how long to wait.
	Reserve(ctx context.Context, key string, b desk.Backoff, now time.Time) (time.Duration, error)
	Refund(ctx context.Context, key string) error
	Reset(ctx context.Context, key string) error
}

// Events delivers the desk's events from every process;
// *redisdesk.Queue is one.
type Events interface {
	Subscribe(ctx context.Context, f func(desk.Event)) error
}

// config is the page's settings, each set by an Option.
type config struct {
	SecureCookie bool          // set when clients reach clavebot over https
	SessionTTL   time.Duration // the longest a sign-in lasts; 12 h when zero
	SessionIdle  time.Duration // a sign-in ends this long after the agent's last action; 1 h when zero
	SessionWarn  time.Duration // the page warns this long before the end; 5 min when zero
	// TrustedProxies are the proxies (an ingress) whose X-Forwarded-For
	// names the client; nil trusts none.
	TrustedProxies *clientip.Resolver
	// Sign-in limits (see signin.go); each has a default when zero.
	PairLimit    desk.Backoff // one account from one address
	AddressLimit desk.Backoff // one address, any account
	AccountLimit desk.Backoff // one account, from browsers it never signed in on
	// Recheck is how often open pages are checked against their sessions
	// and accounts, in case a notice of their end was missed; 1 s when zero.
	Recheck time.Duration
	// OrphanCheck is how often the desk gives back to the line the open
	// chats of agents signed in nowhere (their sign-in ended, their
	// account removed); 15 s when zero.
	OrphanCheck time.Duration
	Now         func() time.Time
	Log         *slog.Logger
	// FunnelStages orders the funnels' stages (dialog.FunnelStages); nil
	// orders them by how many reached each.
	FunnelStages desk.StageOrder
	// Pairing shows the WhatsApp pairing codes on the page; nil when
	// WhatsApp (whatsmeow) is off.
	Pairing PairingSource
	// Canned are the FAQ's answers offered to agents; none by default.
	Canned []Canned
	// Delivery tells what became of each message to a person; nil when
	// the desk has no outbox store.
	Delivery DeliverySource
	// Catalog and Lang are the page's words and their language: the
	// embedded catalogue in Spanish when nil.
	Catalog *i18n.Catalog
	Lang    i18n.Lang
}

// Option configures the page.
type Option func(*config)

// WithSecureCookie marks the page's cookies Secure (clients reach
// clavebot over https).
func WithSecureCookie(on bool) Option { return func(c *config) { c.SecureCookie = on } }

// WithSessionTTL is the longest a sign-in lasts, however active the agent
// (12 h by default).
func WithSessionTTL(d time.Duration) Option { return func(c *config) { c.SessionTTL = d } }

// WithSessionIdle ends a sign-in this long after the agent last did
// something on the page (1 h by default).
func WithSessionIdle(d time.Duration) Option { return func(c *config) { c.SessionIdle = d } }

// WithSessionWarn is how long before its sign-in ends the page warns the
// agent (5 minutes by default).
func WithSessionWarn(d time.Duration) Option { return func(c *config) { c.SessionWarn = d } }

// WithTrustedProxies trusts r's proxies to name the client in
// X-Forwarded-For; none are trusted by default.
func WithTrustedProxies(r *clientip.Resolver) Option {
	return func(c *config) { c.TrustedProxies = r }
}

// WithPairLimit limits the sign-in attempts on one account from one
// address (see signin.go for the defaults).
func WithPairLimit(b desk.Backoff) Option { return func(c *config) { c.PairLimit = b } }

// WithAddressLimit limits the sign-in attempts from one address, any
// account.
func WithAddressLimit(b desk.Backoff) Option { return func(c *config) { c.AddressLimit = b } }

// WithAccountLimit limits the sign-in attempts on one account from
// browsers it never signed in on.
func WithAccountLimit(b desk.Backoff) Option { return func(c *config) { c.AccountLimit = b } }

// WithRecheck is how often open pages are checked against their sessions
// and accounts, in case a notice of their end was missed (1 s by default).
func WithRecheck(d time.Duration) Option { return func(c *config) { c.Recheck = d } }

// WithOrphanCheck is how often the open chats of agents signed in nowhere
// go back to the line (15 s by default).
func WithOrphanCheck(d time.Duration) Option { return func(c *config) { c.OrphanCheck = d } }

// WithClock sets the page's clock (time.Now by default).
func WithClock(now func() time.Time) Option { return func(c *config) { c.Now = now } }

// WithLogger logs to log (nowhere by default).
func WithLogger(log *slog.Logger) Option { return func(c *config) { c.Log = log } }

// WithPairing shows the WhatsApp pairing codes of p on the page (when
// whatsmeow runs).
func WithPairing(p PairingSource) Option { return func(c *config) { c.Pairing = p } }

// WithCanned offers agents the FAQ's answers in lang from catalog, their
// placeholders filled with args as the bot fills them ("min", 8, "max",
// 15 for the key policy in force).
func WithCanned(catalog *i18n.Catalog, lang i18n.Lang, args ...any) Option {
	return func(c *config) { c.Canned = cannedAnswers(catalog, lang, args) }
}

// WithLanguage shows the page in lang, from catalog, as the bot speaks
// (--lang); Spanish by default.
func WithLanguage(catalog *i18n.Catalog, lang i18n.Lang) Option {
	return func(c *config) { c.Catalog, c.Lang = catalog, lang }
}

// WithDelivery shows what became of each message to a person, and the
// messages the outbox gave up on, from src (see registerDelivery).
func WithDelivery(src DeliverySource) Option { return func(c *config) { c.Delivery = src } }

// WithFunnelStages orders the stats' funnel stages as the engine lists
// its flows' steps (dialog.FunnelStages).
func WithFunnelStages(order desk.StageOrder) Option {
	return func(c *config) { c.FunnelStages = order }
}

// Handler serves the desk's page.
type Handler struct {
	cfg      config
	desk     *desk.Desk
	accounts Accounts
	sessions Sessions
	limiter  Limiter
	stats    desk.StatsSource
	hub      *hub
	events   Events
	tmpl     *template.Template
	texts    texts
	// proxyHint tells the operator once that a proxy's X-Forwarded-For is
	// ignored for want of --trusted-proxies.
	proxyHint sync.Once
}

// New returns the page over the desk, the agents' accounts and sessions,
// the sign-in limiter, the desk's figures and its events.
func New(d *desk.Desk, acc Accounts, s Sessions, l Limiter, stats desk.StatsSource, ev Events, opts ...Option) (*Handler, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	cfg = withDefaults(cfg)
	if cfg.Catalog == nil {
		c, err := i18n.Load()
		if err != nil {
			return nil, err
		}
		cfg.Catalog, cfg.Lang = c, i18n.ES
	}
	words := newTexts(cfg.Catalog, cfg.Lang)
	tmpl, err := template.New("").Funcs(words.funcs()).ParseFS(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	return &Handler{
		cfg: cfg, desk: d, accounts: acc, sessions: s, limiter: l, stats: stats, events: ev,
		hub: newHub(), tmpl: tmpl, texts: words,
	}, nil
}

func withDefaults(cfg config) config {
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.SessionIdle == 0 {
		cfg.SessionIdle = time.Hour
	}
	cfg.SessionIdle = min(cfg.SessionIdle, cfg.SessionTTL)
	if cfg.SessionWarn == 0 {
		cfg.SessionWarn = 5 * time.Minute
	}
	cfg = withLimits(cfg)
	if cfg.Canned == nil {
		cfg.Canned = []Canned{}
	}
	if cfg.Recheck == 0 {
		cfg.Recheck = time.Second
	}
	if cfg.OrphanCheck == 0 {
		cfg.OrphanCheck = 15 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	cfg.Log = cfg.Log.With("component", "desk-web")
	return cfg
}

// Register mounts the page under /desk/ on mux.
func (h *Handler) Register(mux *http.ServeMux) {
	static, _ := fs.Sub(assets, "static")
	mux.Handle("GET /desk/static/", h.secure(http.StripPrefix("/desk/static/", http.FileServerFS(static))))
	mux.Handle("GET /desk/{$}", h.secure(http.HandlerFunc(h.page)))
	mux.Handle("GET /desk", http.RedirectHandler("/desk/", http.StatusMovedPermanently))
	mux.Handle("POST /desk/login", h.secure(http.HandlerFunc(h.login)))
	mux.Handle("POST /desk/logout", h.secure(h.agentForm(h.logout)))
	mux.Handle("GET /desk/api/session", h.secure(h.agent(h.sessionInfo)))
	mux.Handle("POST /desk/api/session", h.secure(h.agent(h.touch)))
	mux.Handle("GET /desk/api/board", h.secure(h.agent(h.board)))
	mux.Handle("GET /desk/api/canned", h.secure(h.agent(h.cannedList)))
	mux.Handle("GET /desk/api/chats/{chat}", h.secure(h.agent(h.chat)))
	mux.Handle("POST /desk/api/chats/{chat}/take", h.secure(h.agent(h.take)))
	mux.Handle("POST /desk/api/chats/{chat}/takeover", h.secure(h.agent(h.takeOver)))
	mux.Handle("POST /desk/api/chats/{chat}/reply", h.secure(h.agent(h.reply)))
	mux.Handle("POST /desk/api/chats/{chat}/close", h.secure(h.agent(h.closeChat)))
	mux.Handle("GET /desk/events", h.secure(h.agent(h.stream)))
	mux.Handle("GET /desk/api/whatsapp", h.secure(h.agent(h.whatsapp)))
	mux.Handle("GET /desk/api/whatsapp/qr.png", h.secure(h.agent(h.whatsappQR)))
	if h.cfg.Delivery != nil {
		h.registerDelivery(mux, h.cfg.Delivery)
	}
}

// Run passes the desk's events to the open pages, and ends the pages
// whose session or account ended, until ctx ends.
func (h *Handler) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	wg.Go(func() {
		h.keep(ctx, "desk events", func(ctx context.Context) error {
			return h.events.Subscribe(ctx, func(e desk.Event) { h.hub.send(h.desk.Complete(ctx, e)) })
		})
	})
	wg.Go(func() {
		h.keep(ctx, "session ends", func(ctx context.Context) error { return h.sessions.Watch(ctx, h.ended) })
	})
	wg.Go(func() { h.recheck(ctx) })
	wg.Go(func() { h.orphans(ctx) })
	wg.Wait()
	return nil
}

// keep runs a subscription again whenever it breaks, until ctx ends.
func (h *Handler) keep(ctx context.Context, what string, sub func(context.Context) error) {
	for ctx.Err() == nil {
		if err := sub(ctx); err != nil {
			h.cfg.Log.Warn(what, "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
}

// secure sets the headers every desk response carries: no framing, no
// scripts or styles but the desk's own.
func (h *Handler) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}
