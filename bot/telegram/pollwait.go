package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// pollHold keeps getUpdates from leaving before the retry_after of
// Telegram's last 429 to it. The library's polling loop reads no
// retry_after: it asks again after 100 ms, doubling up to 5 s, and each
// early call prolongs the wait Telegram asked for. It wraps the client's
// Do, not its transport, so that the wait is not counted in the client's
// timeout (which would cut the long poll that follows).
type pollHold struct {
	client tgbot.HttpClient
	mu     sync.Mutex
	until  time.Time
	now    func() time.Time
	wait   func(ctx context.Context, d time.Duration) error
}

// maxPollHold bounds one wait, against a retry_after read wrong.
const maxPollHold = time.Hour

// isPoll reports whether r is a getUpdates call.
func isPoll(r *http.Request) bool {
	return strings.HasSuffix(strings.ToLower(r.URL.Path), "/getupdates")
}

// Do implements tgbot.HttpClient.
func (p *pollHold) Do(r *http.Request) (*http.Response, error) {
	if err := p.before(r); err != nil {
		return nil, err
	}
	resp, err := p.client.Do(r)
	if err != nil {
		return resp, err
	}
	return p.after(r, resp), nil
}

// before waits, for a getUpdates call, what is left of the last 429's
// retry_after; it returns ctx's error when ctx ends first.
func (p *pollHold) before(r *http.Request) error {
	if !isPoll(r) {
		return nil
	}
	p.mu.Lock()
	left := p.until.Sub(p.now())
	p.mu.Unlock()
	if left <= 0 {
		return nil
	}
	return p.wait(r.Context(), left)
}

// after notes the retry_after of a getUpdates answered 429, and returns
// the response with its body intact for the library.
func (p *pollHold) after(r *http.Request, resp *http.Response) *http.Response {
	if resp.StatusCode != http.StatusTooManyRequests || !isPoll(r) {
		return resp
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return resp
	}
	var answer struct {
		Parameters struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	if json.Unmarshal(body, &answer) != nil || answer.Parameters.RetryAfter <= 0 {
		return resp
	}
	d := min(time.Duration(answer.Parameters.RetryAfter)*time.Second, maxPollHold)
	p.mu.Lock()
	defer p.mu.Unlock()
	if until := p.now().Add(d); until.After(p.until) {
		p.until = until
	}
	return resp
}
