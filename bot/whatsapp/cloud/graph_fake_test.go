package cloud

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"unicode/utf8"
)

// fakeGraph is the Graph API's /messages endpoint as Meta documents it:
// bearer token, JSON body, the interactive limits, errors in Graph's
// envelope. It records what it accepted and can refuse for rate first.
type fakeGraph struct {
	phoneID, token string

	mu       sync.Mutex
	accepted []map[string]any
	refusals []refusal // answered, in order, to the next replies
	invalid  []string  // payloads refused for breaking a rule
}

type refusal struct {
	status     int
	code       int
	retryAfter string
}

func newFakeGraph(t *testing.T) (*fakeGraph, *httptest.Server) {
	g := &fakeGraph{phoneID: "1065", token: "test-token"}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return g, srv
}

func (g *fakeGraph) refuse(r ...refusal) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.refusals = append(g.refusals, r...)
}

func (g *fakeGraph) Accepted() []map[string]any {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]map[string]any(nil), g.accepted...)
}

func (g *fakeGraph) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/"+g.phoneID+"/messages" {
		graphFail(w, http.StatusNotFound, 100, "Unsupported post request")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+g.token {
		graphFail(w, http.StatusUnauthorized, 190, "Invalid OAuth access token")
		return
	}
	var body map[string]any
	if r.Header.Get("Content-Type") != "application/json" || json.NewDecoder(r.Body).Decode(&body) != nil {
		graphFail(w, http.StatusBadRequest, 100, "Invalid parameter")
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.refusals) > 0 && body["status"] != "read" { // refusals hit replies
		f := g.refusals[0]
		g.refusals = g.refusals[1:]
		if f.retryAfter != "" {
			w.Header().Set("Retry-After", f.retryAfter)
		}
		graphFail(w, f.status, f.code, "rate limit hit")
		return
	}
	if problem := checkPayload(body); problem != "" {
		g.invalid = append(g.invalid, problem)
		graphFail(w, http.StatusBadRequest, 131009, "Parameter value is not valid: "+problem)
		return
	}
	g.accepted = append(g.accepted, body)
	if body["status"] == "read" {
		fmt.Fprint(w, `{"success":true}`)
		return
	}
	fmt.Fprintf(w, `{"messaging_product":"whatsapp","contacts":[{"input":%q,"wa_id":%q}],"messages":[{"id":"wamid.out%d"}]}`,
		body["to"], body["to"], len(g.accepted))
}

func graphFail(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"message":%q,"type":"OAuthException","code":%d,"fbtrace_id":"Atrace"}}`, msg, code)
}

// checkPayload applies Meta's documented rules; "" when the body is valid.
func checkPayload(b map[string]any) string {
	if b["messaging_product"] != "whatsapp" {
		return "messaging_product"
	}
	if b["status"] == "read" {
		if s, _ := b["message_id"].(string); s == "" {
			return "message_id"
		}
		return ""
	}
	if s, _ := b["to"].(string); s == "" {
		return "to"
	}
	switch b["type"] {
	case "text":
		body, _ := dig(b, "text", "body").(string)
		if body == "" || utf8.RuneCountInString(body) > 4096 {
			return "text.body"
		}
		return ""
	case "interactive":
		return checkInteractive(b["interactive"].(map[string]any))
	}
	return "type"
}

func checkInteractive(in map[string]any) string {
	body, _ := dig(in, "body", "text").(string)
	if body == "" || utf8.RuneCountInString(body) > 1024 {
		return "interactive.body.text"
	}
	switch in["type"] {
	case "button":
		bs, _ := dig(in, "action", "buttons").([]any)
		if len(bs) < 1 || len(bs) > 3 {
			return "buttons count"
		}
		for _, b := range bs {
			if dig(b, "type") != "reply" || !within(dig(b, "reply", "title"), 20) || !within(dig(b, "reply", "id"), 256) {
				return "button"
			}
		}
		return ""
	case "list":
		if !within(dig(in, "action", "button"), 20) {
			return "list button"
		}
		secs, _ := dig(in, "action", "sections").([]any)
		if len(secs) != 1 {
			return "sections" // one section needs no title
		}
		rows, _ := dig(secs[0], "rows").([]any)
		if len(rows) < 1 || len(rows) > 10 {
			return "rows count"
		}
		for _, r := range rows {
			d, hasDesc := dig(r, "description").(string)
			if !within(dig(r, "title"), 24) || !within(dig(r, "id"), 200) || (hasDesc && utf8.RuneCountInString(d) > 72) {
				return "row"
			}
		}
		return ""
	}
	return "interactive.type"
}

func within(v any, n int) bool {
	s, _ := v.(string)
	return s != "" && utf8.RuneCountInString(s) <= n
}

// dig walks nested JSON objects.
func dig(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func itoa(i int) string { return strconv.Itoa(i) }
