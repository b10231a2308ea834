// Package httpjson writes JSON answers the way clavebot's HTTP APIs (the
// REST channel, the agents' page) give them: UTF-8, and text as written,
// "<" and "&" included, since the readers are programs and the page's
// script, never an HTML parser.
package httpjson

import (
	"encoding/json"
	"net/http"
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
