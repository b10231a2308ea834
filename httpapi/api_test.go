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
	res registry.VerifyResult
	err error
}

func (f fakeVerifier) Verify(context.Context, registry.CUIL, string, string) (registry.VerifyResult, error) {
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			New(tt.v, nil, nil, func() time.Time { return now }).Register(mux)
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
			New(fakeVerifier{}, tt.ready, nil, nil).Register(mux)
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
