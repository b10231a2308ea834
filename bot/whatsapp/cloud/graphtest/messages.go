package graphtest

import (
	"encoding/json"
	"net/http"
	"time"
	"unicode/utf8"
)

// window is WhatsApp's customer service window: free-form messages reach
// a person only this long after their last message.
const window = 24 * time.Hour

// messages answers one POST to /messages and returns the HTTP status.
func (s *Server) messages(w http.ResponseWriter, version string, body map[string]any) int {
	if body["status"] == "read" {
		return s.read(w, body)
	}
	if problem := checkPayload(body); problem != "" {
		return Failure{Status: 400, Code: 131009, Message: "(#131009) Parameter value is not valid: " + problem}.answer(w)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.st.failures) > 0 {
		f := s.st.failures[0]
		s.st.failures = s.st.failures[1:]
		if f.Taken {
			s.takeLocked(body)
		}
		return f.answer(w)
	}
	if s.st.refusal != nil {
		return s.st.refusal.answer(w)
	}
	if f, ok := s.refusalLocked(body); ok {
		return f.answer(w)
	}
	m := s.takeLocked(body)
	out := map[string]any{"messaging_product": "whatsapp",
		"contacts": []any{map[string]any{"input": m.To, "wa_id": m.To}},
		"messages": []any{map[string]any{"id": m.ID}}}
	if m.Type == "template" {
		out["messages"] = []any{map[string]any{"id": m.ID, "message_status": "accepted"}}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
	return http.StatusOK
}

// refusalLocked is Meta's own refusal of a valid message: a template it
// did not approve, free text outside the window.
func (s *Server) refusalLocked(body map[string]any) (Failure, bool) {
	to, _ := body["to"].(string)
	if body["type"] == "template" {
		name, _ := dig(body, "template", "name").(string)
		lang, _ := dig(body, "template", "language", "code").(string)
		if !s.st.templates[name+"/"+lang] {
			return Failure{Status: 404, Code: 132001, Message: "(#132001) Template name does not exist in the translation",
				Details: "template name (" + name + ") does not exist in " + lang}, true
		}
		return Failure{}, false
	}
	if !s.openLocked(to) && !s.lateWindow {
		return ReEngagement, true
	}
	return Failure{}, false
}

// openLocked reports whether to's window is open.
func (s *Server) openLocked(to string) bool {
	last, ok := s.st.lastIn[to]
	return ok && s.Now().Sub(last) < window
}

// takeLocked records a message Meta took and queues its statuses.
func (s *Server) takeLocked(body map[string]any) *Message {
	m := &Message{ID: s.newIDLocked(), Status: "accepted", At: s.Now()}
	m.To, _ = body["to"].(string)
	m.Type, _ = body["type"].(string)
	m.Callback, _ = body["biz_opaque_callback_data"].(string)
	switch m.Type {
	case "text":
		m.Text, _ = dig(body, "text", "body").(string)
	case "interactive":
		m.Text, _ = dig(body, "interactive", "body", "text").(string)
		m.Kind, _ = dig(body, "interactive", "type").(string)
		m.Options = options(body)
	case "template":
		name, _ := dig(body, "template", "name").(string)
		lang, _ := dig(body, "template", "language", "code").(string)
		m.Template = name + "/" + lang
	}
	s.st.sent = append(s.st.sent, m)
	s.st.byTo[m.To] = append(s.st.byTo[m.To], m)
	s.st.byID[m.ID] = m
	switch {
	case s.st.gone[m.To]:
		s.statusLocked(m, "sent", nil)
		s.statusLocked(m, "failed", &Undeliverable)
	case m.Type != "template" && !s.openLocked(m.To):
		s.statusLocked(m, "sent", nil)
		s.statusLocked(m, "failed", &ReEngagement)
	case s.statusesWanted:
		s.statusLocked(m, "sent", nil)
		s.statusLocked(m, "delivered", nil)
	}
	s.notifyLocked()
	return m
}

func options(body map[string]any) []Option {
	var out []Option
	buttons, _ := dig(body, "interactive", "action", "buttons").([]any)
	for _, b := range buttons {
		id, _ := dig(b, "reply", "id").(string)
		title, _ := dig(b, "reply", "title").(string)
		out = append(out, Option{ID: id, Title: title})
	}
	sections, _ := dig(body, "interactive", "action", "sections").([]any)
	for _, sec := range sections {
		rows, _ := dig(sec, "rows").([]any)
		for _, r := range rows {
			id, _ := dig(r, "id").(string)
			title, _ := dig(r, "title").(string)
			desc, _ := dig(r, "description").(string)
			out = append(out, Option{ID: id, Title: title, Description: desc})
		}
	}
	return out
}

// read answers a read receipt for a person's message.
func (s *Server) read(w http.ResponseWriter, body map[string]any) int {
	if id, _ := body["message_id"].(string); id == "" {
		return Failure{Status: 400, Code: 100, Message: "(#100) The parameter message_id is required."}.answer(w)
	}
	s.mu.Lock()
	var f *Failure
	if len(s.st.readFails) > 0 {
		f, s.st.readFails = &s.st.readFails[0], s.st.readFails[1:]
	}
	s.mu.Unlock()
	if f != nil {
		return f.answer(w)
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"success":true}`))
	return http.StatusOK
}

// checkPayload applies Meta's documented rules; "" when the body is valid.
func checkPayload(b map[string]any) string {
	if b["messaging_product"] != "whatsapp" {
		return "messaging_product"
	}
	if s, _ := b["to"].(string); s == "" {
		return "to"
	}
	if cb, ok := b["biz_opaque_callback_data"].(string); ok && utf8.RuneCountInString(cb) > 512 {
		return "biz_opaque_callback_data"
	}
	switch b["type"] {
	case "text":
		body, _ := dig(b, "text", "body").(string)
		if body == "" || utf8.RuneCountInString(body) > 4096 {
			return "text.body"
		}
		return ""
	case "interactive":
		in, _ := b["interactive"].(map[string]any)
		return checkInteractive(in)
	case "template":
		if !within(dig(b, "template", "name"), 512) || !within(dig(b, "template", "language", "code"), 16) {
			return "template"
		}
		return ""
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
		return checkList(in)
	}
	return "interactive.type"
}

func checkList(in map[string]any) string {
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

// Valid reports the first of Meta's rules body breaks, "" when none.
func Valid(body map[string]any) string { return checkPayload(body) }
