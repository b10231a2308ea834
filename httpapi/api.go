// Package httpapi serves clavebot's own HTTP endpoints (CONTRACT §4, §7):
// health, readiness, Prometheus metrics and key verification for the
// portal. Channels and the desk mount their routes beside these.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/clavebot/clavebot/internal/httpjson"
	"github.com/clavebot/clavebot/registry"
)

// Verifier checks keys; *registry.Service implements it. source is an
// opaque identifier of the person's device or address ("" when unknown).
type Verifier interface {
	VerifyFrom(ctx context.Context, cuil registry.CUIL, key, channel, source string) (registry.VerifyResult, error)
}

// SourceHeader is where the portal passes an identifier of the person
// whose key it verifies: their address, or better a long-lived id of their
// device. Wrong keys from a source that logged in before are counted apart
// from strangers' (see registry.Service.VerifyFrom), so a stranger cannot
// lock a citizen out of their own device. It is believed only with the API
// token.
const SourceHeader = "X-Clavebot-Source"

// Pinger is a dependency /readyz checks.
type Pinger interface {
	Ping(ctx context.Context) error
}

var _ Verifier = (*registry.Service)(nil)

// API holds the handlers' dependencies.
type API struct {
	verifier Verifier
	ready    map[string]Pinger
	metrics  http.Handler
	now      func() time.Time
	token    string // "" when verification is open
}

// Option configures the API.
type Option func(*API)

// WithToken makes key verification answer only requests that carry
// "Authorization: Bearer <token>": it is for the portal, not the public.
// An empty token leaves it open (serve then listens on loopback only).
func WithToken(token string) Option {
	return func(a *API) {
		a.token = token
	}
}

// WithReady names each dependency /readyz checks (none by default: ready
// as soon as it answers).
func WithReady(ready map[string]Pinger) Option { return func(a *API) { a.ready = ready } }

// WithMetrics serves h on /metrics (not served by default).
func WithMetrics(h http.Handler) Option { return func(a *API) { a.metrics = h } }

// WithClock sets the API's clock (default time.Now).
func WithClock(now func() time.Time) Option { return func(a *API) { a.now = now } }

// New returns the API over the registry's key verification.
func New(v Verifier, opts ...Option) *API {
	a := &API{verifier: v, now: time.Now}
	for _, o := range opts {
		o(a)
	}
	return a
}

// Register mounts the routes on mux.
func (a *API) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", a.readyz)
	if a.metrics != nil {
		mux.Handle("GET /metrics", a.metrics)
	}
	mux.HandleFunc("POST /v1/keys/verify", a.verify)
}

// readyBudget is how long /readyz gives each dependency, and so itself.
const readyBudget = 2 * time.Second

// readyz checks every dependency at once, each with readyBudget of its
// own, and answers within that budget: one that has not answered by then
// is unavailable, whether or not it gives up on its context (lib/pq
// waits for a server that stopped sending). They were checked one after
// the other under one budget: a slow PostgreSQL spent Redis' budget, and
// Redis was reported unavailable (a resilience probe).
func (a *API) readyz(w http.ResponseWriter, r *http.Request) {
	type result struct {
		name string
		err  error
	}
	results := make(chan result, len(a.ready)) // a late answer is dropped there
	for name, p := range a.ready {
		go func() {
			ctx, cancel := context.WithTimeout(r.Context(), readyBudget)
			defer cancel()
			results <- result{name, p.Ping(ctx)}
		}()
	}
	status, code := map[string]string{}, http.StatusOK
	for name := range a.ready {
		status[name] = "unavailable"
	}
	timer := time.NewTimer(readyBudget)
	defer timer.Stop()
wait:
	for range a.ready {
		select {
		case res := <-results:
			if res.err == nil {
				status[res.name] = "ok"
			}
		case <-timer.C:
			break wait
		case <-r.Context().Done():
			break wait
		}
	}
	for _, s := range status {
		if s != "ok" {
			code = http.StatusServiceUnavailable
		}
	}
	writeJSON(w, code, status)
}

type verifyRequest struct {
	CUIL string `json:"cuil"`
	Key  string `json:"key"`
}

// verify answers CONTRACT §4: 200 ok, 401 wrong, 404 unknown, 423 locked;
// 403 without the token, before the body is read, so that the answer says
// nothing of the CUIL or the key.
func (a *API) verify(w http.ResponseWriter, r *http.Request) {
	source, ok := a.caller(r)
	if !ok {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "forbidden"})
		return
	}
	var req verifyRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&req); err != nil {
		if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
			writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": "body too large: at most 4096 bytes"})
			return
		}
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": `body must be {"cuil":"...","key":"..."}`})
		return
	}
	if req.Key == "" {
		// Nothing to compare, and nothing counted: a portal's bug must
		// not lock a citizen out.
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "key is empty"})
		return
	}
	cuil, err := registry.ParseCUIL(req.CUIL)
	if err != nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"status": string(registry.VerifyUnknown)})
		return
	}
	res, err := a.verifier.VerifyFrom(r.Context(), cuil, req.Key, "api", source)
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "try again later"})
		return
	}
	switch res.Status {
	case registry.VerifyOK:
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	case registry.VerifyWrong:
		writeJSON(w, http.StatusUnauthorized, map[string]string{"status": "wrong"})
	case registry.VerifyLocked:
		secs := int(math.Ceil(res.Until.Sub(a.now()).Seconds()))
		w.Header().Set("Retry-After", itoa(max(secs, 1)))
		writeJSON(w, http.StatusLocked, map[string]any{"status": "locked", "retry_after_s": max(secs, 1)})
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"status": "unknown"})
	}
}

// caller checks the token and returns the person's source the portal
// passed. Without a token configured there is no portal to believe: the
// source is unknown.
func (a *API) caller(r *http.Request) (source string, ok bool) {
	if a.token == "" {
		return "", true
	}
	if !httpjson.Bearer(r, a.token) {
		return "", false
	}
	return strings.TrimSpace(r.Header.Get(SourceHeader)), true
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
