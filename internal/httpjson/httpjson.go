// Package httpjson writes JSON answers the way clavebot's HTTP APIs (the
// REST channel, the agents' page) give them: UTF-8, and text as written,
// "<" and "&" included, since the readers are programs and the page's
// script, never an HTML parser.
package httpjson

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"
)

// Write answers status with v in JSON. An error encoding v can only be the
// connection's, too late to answer otherwise, so it is dropped.
func Write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// Bearer reports whether r carries "Authorization: Bearer <token>". The
// scheme's case does not matter (RFC 7235: "bearer" is refused by no
// server that follows it); the token is compared in constant time.
func Bearer(r *http.Request, token string) bool {
	scheme, got, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	ok = ok && strings.EqualFold(scheme, "Bearer")
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(token)) == 1 && ok
}
