// Package httpapi serves clavebot's own HTTP endpoints (CONTRACT §4, §7):
// health, readiness, Prometheus metrics and key verification for the
// portal. Channels and the desk mount their routes beside these.
package httpapi

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"time"

	"github.com/clavebot/clavebot/registry"
)

// Verifier checks keys; *registry.Service implements it.
type Verifier interface {
	Verify(ctx context.Context, cuil registry.CUIL, key, channel string) (registry.VerifyResult, error)
}

// Pinger is a dependency /readyz checks.
type Pinger interface {
	Ping(ctx context.Context) error
}

// API holds the handlers' dependencies.
type API struct {
	verifier Verifier
	ready    map[string]Pinger
	metrics  http.Handler
	now      func() time.Time
}

// New returns the API. ready names each dependency /readyz checks.
func New(v Verifier, ready map[string]Pinger, metrics http.Handler, now func() time.Time) *API {
	if now == nil {
		now = time.Now
	}
	return &API{verifier: v, ready: ready, metrics: metrics, now: now}
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

func (a *API) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status, code := map[string]string{}, http.StatusOK
	for name, p := range a.ready {
		if err := p.Ping(ctx); err != nil {
			status[name], code = "unavailable", http.StatusServiceUnavailable
			continue
		}
		status[name] = "ok"
	}
	writeJSON(w, code, status)
}

type verifyRequest struct {
	CUIL string `json:"cuil"`
	Key  string `json:"key"`
}

// verify answers CONTRACT §4: 200 ok, 401 wrong, 404 unknown, 423 locked.
func (a *API) verify(w http.ResponseWriter, r *http.Request) {
	var req verifyRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": `body must be {"cuil":"...","key":"..."}`})
		return
	}
	cuil, err := registry.ParseCUIL(req.CUIL)
	if err != nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"status": string(registry.VerifyUnknown)})
		return
	}
	res, err := a.verifier.Verify(r.Context(), cuil, req.Key, "api")
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

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
