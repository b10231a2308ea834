package httpjson

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestWrite(t *testing.T) {
	tests := []struct {
		name   string
		status int
		v      any
		want   string
	}{
		{"object", http.StatusOK, map[string]string{"status": "ok"}, "{\"status\":\"ok\"}\n"},
		{"text as written", http.StatusBadRequest, map[string]string{"error": "a <b> & c"}, "{\"error\":\"a <b> & c\"}\n"},
		{"accents", http.StatusOK, []string{"Ñandú"}, "[\"Ñandú\"]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			Write(rec, tt.status, tt.v)
			if rec.Code != tt.status || rec.Body.String() != tt.want {
				t.Errorf("got %d %q, want %d %q", rec.Code, rec.Body.String(), tt.status, tt.want)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

// The scheme's case does not matter (RFC 7235); the token does.
func TestBearer(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{"Bearer s3cret", true}, {"bearer s3cret", true}, {"BEARER  s3cret ", true},
		{"Bearer s3cre", false}, {"Bearer S3cret", false}, {"Basic s3cret", false}, {"s3cret", false}, {"", false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Authorization", tt.header)
		if got := Bearer(r, "s3cret"); got != tt.want {
			t.Errorf("Bearer(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}
