package graphtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func send(t *testing.T, s *Server, version string, body map[string]any) (int, map[string]any, http.Header) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/"+version+"/"+s.PhoneNumberID+"/messages", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+s.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out, resp.Header
}

func text(to, body string) map[string]any {
	return map[string]any{"messaging_product": "whatsapp", "to": to, "type": "text", "text": map[string]any{"body": body}, "biz_opaque_callback_data": "agent:k"}
}

// hook is a bot's webhook that checks Meta's signature.
type hook struct {
	mu     sync.Mutex
	bodies []map[string]any
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	if r.Header.Get("X-Hub-Signature-256") != Sign("app-secret", b) {
		http.Error(w, "bad signature", 401)
		return
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	h.mu.Lock()
	h.bodies = append(h.bodies, m)
	h.mu.Unlock()
}

func (h *hook) statuses() []map[string]any {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []map[string]any
	for _, b := range h.bodies {
		ss, _ := dig(b["entry"].([]any)[0], "changes").([]any)
		list, _ := dig(ss[0], "value", "statuses").([]any)
		for _, st := range list {
			out = append(out, st.(map[string]any))
		}
	}
	return out
}

func TestMetaAnswers(t *testing.T) {
	s := New()
	defer s.Close()
	h := &hook{}
	srv := httptest.NewServer(h)
	defer srv.Close()
	s.SetWebhook(srv.URL)

	status, out, _ := send(t, s, "v25.0", text("549111", "hola"))
	if status != 400 || dig(out, "error", "code") != float64(131047) || !strings.Contains(dig(out, "error", "error_data", "details").(string), "24 hours") {
		t.Fatalf("free text to someone who never wrote: %d %v", status, out)
	}
	if _, code, err := s.Text("549111", "hola"); err != nil || code != 200 {
		t.Fatalf("person's message: %d %v", code, err)
	}
	status, out, _ = send(t, s, "v25.0", text("549111", "hola"))
	id, _ := dig(out["messages"].([]any)[0], "id").(string)
	if status != 200 || !strings.HasPrefix(id, "wamid.") {
		t.Fatalf("inside the window: %d %v", status, out)
	}
	s.Now = func() time.Time { return time.Now().Add(25 * time.Hour) }
	if status, _, _ = send(t, s, "v25.0", text("549111", "hola")); status != 400 {
		t.Fatalf("25 hours later: %d", status)
	}
	s.Now = time.Now

	s.FailNext(RateLimit, Failure{Status: 429, Code: 4, Message: "(#4) Application request limit reached", RetryAfter: "2"}, Temporary, ServerError)
	for _, want := range []struct{ status, code int }{{400, 130429}, {429, 4}, {503, 2}, {500, 131000}} {
		status, out, hdr := send(t, s, "v25.0", text("549111", "x"))
		if status != want.status || dig(out, "error", "code") != float64(want.code) || (want.code == 4 && hdr.Get("Retry-After") != "2") {
			t.Fatalf("injected failure: %d %v, want %d code %d", status, out, want.status, want.code)
		}
	}
	// Statuses: sent and delivered, signed, with the key echoed.
	deadline := time.Now().Add(5 * time.Second)
	for len(h.statuses()) < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	st := h.statuses()
	if len(st) != 2 || st[0]["status"] != "sent" || st[1]["status"] != "delivered" || st[0]["id"] != id || st[0]["biz_opaque_callback_data"] != "agent:k" || st[0]["recipient_id"] != "549111" {
		t.Fatalf("statuses %v", st)
	}
	if s.Versions()["v25.0"] != 7 {
		t.Fatalf("versions %v", s.Versions())
	}
}

func TestTapsNameTheirMessage(t *testing.T) {
	s := New()
	defer s.Close()
	var got []map[string]any
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		json.NewDecoder(r.Body).Decode(&m)
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
	}))
	defer srv.Close()
	s.SetWebhook(srv.URL)
	s.Text("549111", "menu")
	body := map[string]any{"messaging_product": "whatsapp", "to": "549111", "type": "interactive", "interactive": map[string]any{
		"type": "button", "body": map[string]any{"text": "elegí"},
		"action": map[string]any{"buttons": []any{map[string]any{"type": "reply", "reply": map[string]any{"id": "q.1", "title": "Crear"}}}}}}
	_, out, _ := send(t, s, "v25.0", body)
	id := dig(out["messages"].([]any)[0], "id").(string)
	if _, _, err := s.Tap("549111", id, "q.9"); err != ErrNoOption {
		t.Fatalf("tap on a button the message lacks: %v", err)
	}
	if _, code, err := s.Tap("549111", id, "q.1"); err != nil || code != 200 {
		t.Fatalf("tap: %d %v", code, err)
	}
	mu.Lock()
	defer mu.Unlock()
	msg := dig(got[len(got)-1]["entry"].([]any)[0], "changes").([]any)[0]
	m := dig(msg, "value", "messages").([]any)[0]
	if dig(m, "context", "id") != id || dig(m, "interactive", "button_reply", "id") != "q.1" {
		t.Fatalf("tap delivered as %v", m)
	}
}

func TestPayloadRules(t *testing.T) {
	long := strings.Repeat("x", 25)
	tests := []struct {
		name string
		body map[string]any
		want string
	}{
		{"text", text("1", "hola"), ""},
		{"empty text", text("1", ""), "text.body"},
		{"callback too long", map[string]any{"messaging_product": "whatsapp", "to": "1", "type": "text", "text": map[string]any{"body": "x"}, "biz_opaque_callback_data": strings.Repeat("k", 513)}, "biz_opaque_callback_data"},
		{"row title too long", map[string]any{"messaging_product": "whatsapp", "to": "1", "type": "interactive", "interactive": map[string]any{
			"type": "list", "body": map[string]any{"text": "b"}, "action": map[string]any{"button": "Ver", "sections": []any{map[string]any{"rows": []any{map[string]any{"id": "1", "title": long}}}}}}}, "row"},
		{"template", map[string]any{"messaging_product": "whatsapp", "to": "1", "type": "template", "template": map[string]any{"name": "aviso", "language": map[string]any{"code": "es_AR"}}}, ""},
	}
	for _, tt := range tests {
		if got := Valid(tt.body); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestParallelWebhooks: with WithParallelWebhooks, one person's message
// does not wait behind another's at the webhook (two people write; the
// webhook answers the first only once the second has arrived, which one
// post at a time would never deliver), and the statuses of what the bot
// sent still all arrive.
func TestParallelWebhooks(t *testing.T) {
	var arrived sync.WaitGroup
	arrived.Add(2)
	var mu sync.Mutex
	statuses := 0
	bot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if bytes.Contains(b, []byte(`"statuses"`)) {
			mu.Lock()
			statuses++
			mu.Unlock()
			return
		}
		arrived.Done()
		done := make(chan struct{})
		go func() { arrived.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer bot.Close()
	s := New(WithParallelWebhooks(4))
	defer s.Close()
	s.SetWebhook(bot.URL)

	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i, from := range []string{"5491100000001", "5491100000002"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, codes[i], _ = s.Text(from, "hola")
		}()
	}
	wg.Wait()
	if codes[0] != http.StatusOK || codes[1] != http.StatusOK {
		t.Fatalf("webhook answers %v: the two people's messages did not reach it together", codes)
	}
	for i := range 6 {
		if st, _, _ := send(t, s, "v25.0", text("5491100000001", "respuesta "+string(rune('a'+i)))); st != http.StatusOK {
			t.Fatalf("send: %d", st)
		}
	}
	if got := len(s.Sent("5491100000001")); got != 6 {
		t.Errorf("Sent(to) = %d messages, want 6", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := statuses
		mu.Unlock()
		if n == 12 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d statuses arrived, want 12 (sent and delivered of 6)", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
