package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"sync"
	"time"
)

// SecretHeader carries the webhook's secret token.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

type hook struct {
	url    string
	secret string
	stop   chan struct{}
	// statuses are the HTTP statuses the webhook answered, in order.
	statuses []int
}

var secretTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// setWebhook starts pushing updates to url, one at a time, each until the
// webhook answers 2xx. Unlike Telegram it accepts http:// URLs, since test
// servers have no certificate; an empty url removes the webhook.
func (s *Server) setWebhook(p map[string]string) (any, *apiError) {
	url := p["url"]
	if url == "" {
		s.stopHookLocked()
		return true, nil
	}
	if sec := p["secret_token"]; sec != "" && !secretTokenPattern.MatchString(sec) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	if raw := p["allowed_updates"]; raw != "" {
		if err := json.Unmarshal([]byte(raw), &s.st.allowed); err != nil {
			return nil, badRequest("can't parse allowed updates")
		}
	}
	s.stopHookLocked()
	s.st.hook = hook{url: url, secret: p["secret_token"], stop: make(chan struct{})}
	go s.deliver(s.st.hook.url, s.st.hook.secret, s.st.hook.stop)
	return true, nil
}

func (s *Server) deleteWebhook(p map[string]string) (any, *apiError) {
	s.stopHookLocked()
	if p["drop_pending_updates"] == "true" {
		s.st.updates = nil
	}
	return true, nil
}

func (s *Server) getWebhookInfo(map[string]string) (any, *apiError) {
	return map[string]any{"url": s.st.hook.url, "has_custom_certificate": false, "pending_update_count": len(s.st.updates)}, nil
}

func (s *Server) stopHookLocked() {
	if s.st.hook.stop != nil {
		close(s.st.hook.stop)
	}
	s.st.hook = hook{statuses: s.st.hook.statuses}
}

// WebhookStatuses lists the HTTP statuses the bot's webhook answered.
func (s *Server) WebhookStatuses() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.st.hook.statuses...)
}

// deliver pushes the pending updates until stop closes, over up to
// s.hookConns connections at once (SetWebhookConnections; 1 by default):
// each sender takes the oldest update whose chat has none in flight, so a
// chat's updates arrive in order whatever the number of connections. An
// update is confirmed when the webhook answers 2xx, and tried again
// shortly otherwise.
func (s *Server) deliver(url, secret string, stop chan struct{}) {
	s.mu.Lock()
	n := max(s.hookConns, 1)
	s.mu.Unlock()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = n // kept open between updates, as Telegram does
	client := &http.Client{Transport: tr}
	defer client.CloseIdleConnections()
	busy := map[int64]bool{} // chats with an update in flight, under s.mu
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.sendUpdates(client, url, secret, stop, busy)
		}()
	}
	wg.Wait()
}

func (s *Server) sendUpdates(client *http.Client, url, secret string, stop chan struct{}, busy map[int64]bool) {
	for {
		s.mu.Lock()
		changed := s.st.changed
		var next *update
		for _, u := range s.st.updates {
			if !busy[u.chat] {
				next = &u
				busy[u.chat] = true
				break
			}
		}
		s.mu.Unlock()
		if next == nil {
			select {
			case <-stop:
				return
			case <-changed:
				continue
			}
		}
		status, _ := postUpdate(context.Background(), client, url, secret, next.json())
		s.mu.Lock()
		delete(busy, next.chat)
		s.st.hook.statuses = append(s.st.hook.statuses, status)
		if status/100 == 2 {
			s.st.updates = slices.DeleteFunc(s.st.updates, func(u update) bool { return u.id == next.id })
		}
		s.notifyLocked()
		s.mu.Unlock()
		if status/100 != 2 {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
}

// SetWebhookConnections is how many updates the webhook is sent at once,
// as setWebhook's max_connections (Telegram's default is 40). The fake's
// default is 1, one update at a time in order, which tests of order rely
// on; a load tool sets Telegram's. It applies to webhooks set afterwards.
func (s *Server) SetWebhookConnections(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hookConns = n
}

// PostUpdate posts one update to a webhook the way Telegram does, with
// secret in SecretHeader when it is not empty, and returns the status.
func PostUpdate(ctx context.Context, url, secret string, upd any) (int, error) {
	return postUpdate(ctx, http.DefaultClient, url, secret, upd)
}

func postUpdate(ctx context.Context, client *http.Client, url, secret string, upd any) (int, error) {
	body, err := json.Marshal(upd)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(SecretHeader, secret)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
