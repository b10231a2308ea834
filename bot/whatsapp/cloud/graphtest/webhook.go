package graphtest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// post is one webhook delivery waiting to go out.
type post struct {
	body []byte
	done chan int // the status the webhook answered, when someone waits
}

// Sign is the X-Hub-Signature-256 header Meta puts on a webhook body.
func Sign(appSecret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Payload is a webhook body as Meta sends it: people's messages (with
// the contact of their sender) or statuses of the business's messages.
func Payload(phoneNumberID, displayNumber string, messages, statuses []map[string]any) []byte {
	value := map[string]any{
		"messaging_product": "whatsapp",
		"metadata":          map[string]any{"display_phone_number": displayNumber, "phone_number_id": phoneNumberID},
	}
	if len(messages) > 0 {
		from, _ := messages[0]["from"].(string)
		value["contacts"] = []any{map[string]any{"profile": map[string]any{"name": "Persona"}, "wa_id": from}}
		value["messages"] = messages
	}
	if len(statuses) > 0 {
		value["statuses"] = statuses
	}
	b, _ := json.Marshal(map[string]any{
		"object": "whatsapp_business_account",
		"entry":  []any{map[string]any{"id": "102290129340398", "changes": []any{map[string]any{"field": "messages", "value": value}}}},
	})
	return b
}

// TextMessage is a person's text message as a webhook carries it.
func TextMessage(from, id, body string, at time.Time) map[string]any {
	return map[string]any{"from": from, "id": id, "timestamp": strconv.FormatInt(at.Unix(), 10), "type": "text",
		"text": map[string]any{"body": body}}
}

// PostWebhook posts body to url, signed, and returns the status.
func PostWebhook(ctx context.Context, client *http.Client, url, appSecret string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", Sign(appSecret, body))
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// Text has person from write body: their window opens, and the bot's
// webhook gets the message. It returns the message's id and the status
// the webhook answered.
func (s *Server) Text(from, body string) (string, int, error) {
	s.mu.Lock()
	id := s.newIDLocked()
	s.st.lastIn[from] = s.Now()
	msg := TextMessage(from, id, body, s.Now())
	s.mu.Unlock()
	status, err := s.postNow(Payload(s.PhoneNumberID, s.DisplayNumber, []map[string]any{msg}, nil))
	return id, status, err
}

// Media has person from send a message that is not text, of Meta's type
// typ ("image", "audio", "video", "document", "sticker"...), as the
// webhook carries it (the media's id, not the media).
func (s *Server) Media(from, typ string) (string, int, error) {
	s.mu.Lock()
	id := s.newIDLocked()
	s.st.lastIn[from] = s.Now()
	msg := map[string]any{"from": from, "id": id, "timestamp": strconv.FormatInt(s.Now().Unix(), 10), "type": typ,
		typ: map[string]any{"id": "media-" + id, "mime_type": "application/octet-stream"}}
	s.mu.Unlock()
	status, err := s.postNow(Payload(s.PhoneNumberID, s.DisplayNumber, []map[string]any{msg}, nil))
	return id, status, err
}

// Captioned is Media of a photo, video or document (typ "image", "video",
// "document") sent with caption.
func (s *Server) Captioned(from, typ, caption string) (string, int, error) {
	s.mu.Lock()
	id := s.newIDLocked()
	s.st.lastIn[from] = s.Now()
	msg := map[string]any{"from": from, "id": id, "timestamp": strconv.FormatInt(s.Now().Unix(), 10), "type": typ,
		typ: map[string]any{"id": "media-" + id, "mime_type": "application/octet-stream", "caption": caption}}
	s.mu.Unlock()
	status, err := s.postNow(Payload(s.PhoneNumberID, s.DisplayNumber, []map[string]any{msg}, nil))
	return id, status, err
}

// ErrNoOption is returned by Tap when the message shows no such option.
var ErrNoOption = errors.New("graphtest: no such option on that message")

// Tap has person from choose the option with id optionID of the bot's
// interactive message msgID, as WhatsApp reports it: a button_reply or
// list_reply with the option's id and title, and context.id naming the
// message it was under. Old messages can be tapped again, as on a phone.
func (s *Server) Tap(from, msgID, optionID string) (string, int, error) {
	s.mu.Lock()
	m, ok := s.st.byID[msgID]
	var opt Option
	found := false
	if ok && m.To == from {
		for _, o := range m.Options {
			if o.ID == optionID {
				opt, found = o, true
			}
		}
	}
	if !found {
		s.mu.Unlock()
		return "", 0, ErrNoOption
	}
	id := s.newIDLocked()
	s.st.lastIn[from] = s.Now()
	reply := map[string]any{"id": opt.ID, "title": opt.Title}
	kind := "button_reply"
	if m.Kind == "list" {
		kind = "list_reply"
		reply["description"] = opt.Description
	}
	msg := map[string]any{"from": from, "id": id, "timestamp": strconv.FormatInt(s.Now().Unix(), 10), "type": "interactive",
		"context":     map[string]any{"from": s.DisplayNumber, "id": msgID},
		"interactive": map[string]any{"type": kind, kind: reply}}
	s.mu.Unlock()
	status, err := s.postNow(Payload(s.PhoneNumberID, s.DisplayNumber, []map[string]any{msg}, nil))
	return id, status, err
}

// QuickReply has person from tap a template's quick-reply button on the
// bot's message msgID.
func (s *Server) QuickReply(from, msgID, payload, text string) (string, int, error) {
	s.mu.Lock()
	id := s.newIDLocked()
	s.st.lastIn[from] = s.Now()
	msg := map[string]any{"from": from, "id": id, "timestamp": strconv.FormatInt(s.Now().Unix(), 10), "type": "button",
		"context": map[string]any{"from": s.DisplayNumber, "id": msgID},
		"button":  map[string]any{"payload": payload, "text": text}}
	s.mu.Unlock()
	status, err := s.postNow(Payload(s.PhoneNumberID, s.DisplayNumber, []map[string]any{msg}, nil))
	return id, status, err
}

// Read has the person open the bot's message id: a "read" status follows.
func (s *Server) Read(id string) error { return s.later(id, "read", nil) }

// Deliver posts "delivered" for the bot's message id (with
// WithoutStatuses).
func (s *Server) Deliver(id string) error { return s.later(id, "delivered", nil) }

// FailLater posts a "failed" status for a message Meta had taken: how
// Meta reports some failures, 131047 among them, after answering 200.
func (s *Server) FailLater(id string, f Failure) error { return s.later(id, "failed", &f) }

func (s *Server) later(id, status string, f *Failure) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.st.byID[id]
	if !ok {
		return fmt.Errorf("graphtest: no message %s", id)
	}
	s.statusLocked(m, status, f)
	return nil
}

// statusLocked queues a statuses webhook for m.
func (s *Server) statusLocked(m *Message, status string, f *Failure) {
	m.Status = status
	st := map[string]any{"id": m.ID, "status": status, "timestamp": strconv.FormatInt(s.Now().Unix(), 10), "recipient_id": m.To}
	if m.Callback != "" {
		st["biz_opaque_callback_data"] = m.Callback
	}
	if status != "failed" {
		st["conversation"] = map[string]any{"id": "CONVERSATION_ID", "origin": map[string]any{"type": "service"}}
		st["pricing"] = map[string]any{"billable": false, "pricing_model": "PMP", "category": "service"}
	}
	if f != nil {
		st["errors"] = []any{f.statusError()}
	}
	s.queueLocked(post{body: Payload(s.PhoneNumberID, s.DisplayNumber, nil, []map[string]any{st})})
}

func (s *Server) queueLocked(p post) {
	s.st.posts = append(s.st.posts, p)
	s.signal()
}

func (s *Server) signal() {
	select {
	case s.st.wake <- struct{}{}:
	default:
	}
}

// postNow queues body behind earlier posts and waits for the webhook's
// answer, so a person's messages and the statuses arrive in Meta's order.
func (s *Server) postNow(body []byte) (int, error) {
	done := make(chan int, 1)
	s.mu.Lock()
	if s.st.closed {
		s.mu.Unlock()
		return 0, errors.New("graphtest: closed")
	}
	if s.posters > 1 {
		url := s.st.webhook
		s.mu.Unlock()
		return s.postHere(url, body)
	}
	s.queueLocked(post{body: body, done: done})
	s.mu.Unlock()
	select {
	case st := <-done:
		return st, nil
	case <-time.After(30 * time.Second):
		return 0, errors.New("graphtest: the webhook did not answer")
	}
}

// postHere posts body to url from the caller's goroutine
// (WithParallelWebhooks) and records the answer.
func (s *Server) postHere(url string, body []byte) (int, error) {
	if url == "" {
		return 0, errors.New("graphtest: no webhook set")
	}
	status, err := PostWebhook(context.Background(), s.client, url, s.AppSecret, body)
	s.mu.Lock()
	s.st.hookCodes = append(s.st.hookCodes, status)
	s.notifyLocked()
	s.mu.Unlock()
	return status, err
}

// deliverPosts posts each queued webhook until it is answered 200, in
// order; a person's message is posted once (its status is reported to
// whoever waits), as a test wants to see the bot's answer to it.
func (s *Server) deliverPosts() {
	for {
		p, ok := s.nextPost()
		if !ok {
			return
		}
		for attempt := 0; ; attempt++ {
			s.mu.Lock()
			url := s.st.webhook
			s.mu.Unlock()
			status := 0
			if url != "" {
				status, _ = PostWebhook(context.Background(), s.client, url, s.AppSecret, p.body)
			}
			s.mu.Lock()
			s.st.hookCodes = append(s.st.hookCodes, status)
			s.notifyLocked()
			s.mu.Unlock()
			if p.done != nil {
				p.done <- status
				break
			}
			if status == http.StatusOK || attempt >= 50 {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// nextPost waits for the next queued post; false once closed.
func (s *Server) nextPost() (post, bool) {
	for {
		s.mu.Lock()
		if s.st.closed {
			s.mu.Unlock()
			s.signal() // the next poster stops too
			return post{}, false
		}
		if len(s.st.posts) > 0 {
			p := s.st.posts[0]
			s.st.posts = s.st.posts[1:]
			if len(s.st.posts) > 0 {
				s.signal() // another poster may take the next
			}
			s.mu.Unlock()
			return p, true
		}
		s.mu.Unlock()
		<-s.st.wake
	}
}

// WebhookStatuses lists the HTTP statuses the bot's webhook answered.
func (s *Server) WebhookStatuses() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.st.hookCodes...)
}
