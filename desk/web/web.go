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
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/i18n"
)

//go:embed static templates
var assets embed.FS

// Verifier checks an agent's password; *desk.Accounts is one.
type Verifier interface {
	Verify(ctx context.Context, name, password string) (bool, error)
}

// Sessions keeps signed-in agents; *redisdesk.Sessions is one.
type Sessions interface {
	Put(ctx context.Context, token string, s desk.Session, ttl time.Duration) error
	Get(ctx context.Context, token string) (desk.Session, error)
	Delete(ctx context.Context, token string) error
}

// Limiter counts sign-in attempts; *redisdesk.Limiter is one.
type Limiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error)
	Reset(ctx context.Context, key string) error
}

// Events delivers the desk's events from every process;
// *redisdesk.Queue is one.
type Events interface {
	Subscribe(ctx context.Context, f func(desk.Event)) error
}

// Config is the page's security settings.
type Config struct {
	SecureCookie bool          // set when clients reach clavebot over https
	SessionTTL   time.Duration // 12 h when zero
	NameLimit    int           // sign-in attempts per name per window; 5 when zero
	IPLimit      int           // per client address per window; 20 when zero
	Window       time.Duration // 15 min when zero
	Now          func() time.Time
	Log          *slog.Logger
	// Pairing shows the WhatsApp pairing codes on the page; nil when
	// WhatsApp (whatsmeow) is off.
	Pairing PairingSource
	// AnswerArgs fill the canned answers' placeholders, as the bot fills
	// them: "min", 8, "max", 15 for the key policy in force.
	AnswerArgs []any
}

// Handler serves the desk's page.
type Handler struct {
	cfg      Config
	desk     *desk.Desk
	verifier Verifier
	sessions Sessions
	limiter  Limiter
	stats    desk.StatsSource
	canned   []Canned
	hub      *hub
	events   Events
	tmpl     *template.Template
	delivery DeliverySource // nil until RegisterDelivery
}

// New returns the page. catalog and lang give the canned answers: the
// FAQ's answers in the agents' language.
func New(cfg Config, d *desk.Desk, v Verifier, s Sessions, l Limiter, stats desk.StatsSource, ev Events, catalog *i18n.Catalog, lang i18n.Lang) (*Handler, error) {
	cfg = withDefaults(cfg)
	tmpl, err := template.ParseFS(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	return &Handler{
		cfg: cfg, desk: d, verifier: v, sessions: s, limiter: l, stats: stats, events: ev,
		canned: cannedAnswers(catalog, lang, cfg.AnswerArgs), hub: newHub(), tmpl: tmpl,
	}, nil
}

func withDefaults(cfg Config) Config {
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.NameLimit == 0 {
		cfg.NameLimit = 5
	}
	if cfg.IPLimit == 0 {
		cfg.IPLimit = 20
	}
	if cfg.Window == 0 {
		cfg.Window = 15 * time.Minute
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
	mux.Handle("POST /desk/logout", h.secure(h.agent(h.logout)))
	mux.Handle("GET /desk/api/board", h.secure(h.agent(h.board)))
	mux.Handle("GET /desk/api/canned", h.secure(h.agent(h.cannedList)))
	mux.Handle("GET /desk/api/chats/{chat}", h.secure(h.agent(h.chat)))
	mux.Handle("POST /desk/api/chats/{chat}/take", h.secure(h.agent(h.take)))
	mux.Handle("POST /desk/api/chats/{chat}/reply", h.secure(h.agent(h.reply)))
	mux.Handle("POST /desk/api/chats/{chat}/close", h.secure(h.agent(h.closeChat)))
	mux.Handle("GET /desk/events", h.secure(h.agent(h.stream)))
	mux.Handle("GET /desk/api/whatsapp", h.secure(h.agent(h.whatsapp)))
	mux.Handle("GET /desk/api/whatsapp/qr.png", h.secure(h.agent(h.whatsappQR)))
}

// Run passes the desk's events to the open pages until ctx ends.
func (h *Handler) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		if err := h.events.Subscribe(ctx, h.hub.send); err != nil {
			h.cfg.Log.Warn("desk events", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
	return nil
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
