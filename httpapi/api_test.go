package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

type fakeVerifier struct {
	res     registry.VerifyResult
	err     error
	sources *[]string // where to record the sources verified from, if not nil
}

func (f fakeVerifier) VerifyFrom(_ context.Context, _ registry.CUIL, _, _, source string) (registry.VerifyResult, error) {
	if f.sources != nil {
		*f.sources = append(*f.sources, source)
	}
	return f.res, f.err
}

type pinger struct{ err error }

func (p pinger) Ping(context.Context) error { return p.err }

func TestVerify(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		body     string
		v        fakeVerifier
		code     int
		response string
	}{
		{"ok", `{"cuil":"20-31456789-8","key":"k"}`, fakeVerifier{res: registry.VerifyResult{Status: registry.VerifyOK}}, 200, `{"status":"ok"}`},
		{"wrong", `{"cuil":"20314567898","key":"k"}`, fakeVerifier{res: registry.VerifyResult{Status: registry.VerifyWrong}}, 401, `{"status":"wrong"}`},
		{"unknown", `{"cuil":"20314567898","key":"k"}`, fakeVerifier{res: registry.VerifyResult{Status: registry.VerifyUnknown}}, 404, `{"status":"unknown"}`},
		{"malformed cuil", `{"cuil":"123","key":"k"}`, fakeVerifier{}, 404, `{"status":"unknown"}`},
		{"locked", `{"cuil":"20314567898","key":"k"}`, fakeVerifier{res: registry.VerifyResult{Status: registry.VerifyLocked, Until: now.Add(90 * time.Second)}}, 423, `{"retry_after_s":90,"status":"locked"}`},
		{"database down", `{"cuil":"20314567898","key":"k"}`, fakeVerifier{err: errs.E(errs.Unavailable, "x", errors.New("down"))}, 503, `{"error":"try again later"}`},
		{"not json", `cuil=1`, fakeVerifier{}, 400, ""},
		// Found by a probe: an empty key was compared (and counted); a
		// large body got the malformed-body answer.
		{"empty key", `{"cuil":"20314567898","key":""}`, fakeVerifier{res: registry.VerifyResult{Status: registry.VerifyWrong}}, 400, `{"error":"key is empty"}`},
		{"too large", `{"cuil":"20314567898","key":"` + strings.Repeat("k", 8000) + `"}`, fakeVerifier{}, 413, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			New(tt.v, WithClock(func() time.Time { return now })).Register(mux)
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest("POST", "/v1/keys/verify", strings.NewReader(tt.body)))
			if rec.Code != tt.code {
				t.Fatalf("status %d, want %d (%s)", rec.Code, tt.code, rec.Body)
			}
			if tt.response != "" && strings.TrimSpace(rec.Body.String()) != tt.response {
				t.Fatalf("body %s, want %s", rec.Body, tt.response)
			}
		})
	}
}

func TestReadyz(t *testing.T) {
	tests := []struct {
		name  string
		ready map[string]Pinger
		code  int
	}{
		{"all up", map[string]Pinger{"database": pinger{}, "redis": pinger{}}, 200},
		{"redis down", map[string]Pinger{"database": pinger{}, "redis": pinger{errors.New("refused")}}, 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			New(fakeVerifier{}, WithReady(tt.ready)).Register(mux)
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
			var body map[string]string
			json.Unmarshal(rec.Body.Bytes(), &body)
			if rec.Code != tt.code || len(body) != len(tt.ready) {
				t.Fatalf("status %d, body %v", rec.Code, body)
			}
		})
	}
}

// TestVerifyToken: with a token, verification answers only the portal, and
// believes the person's source only from it.
func TestVerifyToken(t *testing.T) {
	var sources []string
	ok := fakeVerifier{res: registry.VerifyResult{Status: registry.VerifyOK}, sources: &sources}
	tests := []struct {
		name, token, auth, source string
		code                      int
		wantSource                string
	}{
		{"no token configured", "", "", "10.0.0.1", 200, ""},
		{"no token configured, one sent", "", "Bearer x", "10.0.0.1", 200, ""},
		{"token missing", "s3cret", "", "", 403, "-"},
		{"token wrong", "s3cret", "Bearer s3cre", "10.0.0.1", 403, "-"},
		{"token as basic", "s3cret", "Basic s3cret", "", 403, "-"},
		{"token right", "s3cret", "Bearer s3cret", "", 200, ""},
		{"token right, source", "s3cret", "Bearer s3cret", " device-42 ", 200, "device-42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sources = nil
			mux := http.NewServeMux()
			New(ok, WithToken(tt.token)).Register(mux)
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("POST", "/v1/keys/verify", strings.NewReader(`{"cuil":"20-31456789-8","key":"k"}`))
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			if tt.source != "" {
				req.Header.Set(SourceHeader, tt.source)
			}
			mux.ServeHTTP(rec, req)
			if rec.Code != tt.code {
				t.Fatalf("status %d, want %d (%s)", rec.Code, tt.code, rec.Body)
			}
			if tt.code == 403 {
				if body := strings.TrimSpace(rec.Body.String()); body != `{"error":"forbidden"}` || len(sources) != 0 {
					t.Fatalf("403 body %s, verified %d times", body, len(sources))
				}
				return
			}
			if len(sources) != 1 || sources[0] != tt.wantSource {
				t.Fatalf("verified from %q, want %q", sources, tt.wantSource)
			}
		})
	}
}
