package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/internal/errs"
)

// GraphError is an error answer of the Graph API.
type GraphError struct {
	Status  int    // HTTP status
	Code    int    `json:"code"`
	Subcode int    `json:"error_subcode"`
	Type    string `json:"type"`
	Message string `json:"message"`
	TraceID string `json:"fbtrace_id"`

	retryAfter time.Duration // from the Retry-After header
}

func (e *GraphError) Error() string {
	return fmt.Sprintf("graph api: status %d, code %d: %s", e.Status, e.Code, e.Message)
}

// RateLimited reports whether the request was refused for throughput
// (nothing was sent, so it may be retried): HTTP 429, 130429 (number's
// throughput), 131056 (too many to one person), 80007 (account's rate),
// 4 (app's call rate).
func (e *GraphError) RateLimited() bool {
	switch e.Code {
	case 130429, 131056, 80007, 4:
		return true
	}
	return e.Status == http.StatusTooManyRequests
}

// SendText implements bot.Channel.
func (c *Cloud) SendText(ctx context.Context, chat, text string) error {
	return c.post(ctx, textMessage(chat, text))
}

// SendOptions implements bot.OptionSender with buttons or a list where
// Meta's limits allow, numbered text otherwise.
func (c *Cloud) SendOptions(ctx context.Context, chat string, m bot.Message) error {
	return c.post(ctx, render(chat, m, c.listButton()))
}

// markRead shows the person's message as read and the bot as typing (until
// the reply, at most 25 s).
func (c *Cloud) markRead(ctx context.Context, msgID string) error {
	return c.post(ctx, map[string]any{
		"messaging_product": "whatsapp",
		"status":            "read",
		"message_id":        msgID,
		"typing_indicator":  map[string]string{"type": "text"},
	})
}

// post sends one request to /messages, waiting and retrying while Meta
// refuses it for rate. The chat's later messages wait behind it, so their
// order holds.
func (c *Cloud) post(ctx context.Context, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("whatsapp cloud: encode: %w", err)
	}
	for attempt := 1; ; attempt++ {
		err := c.postOnce(ctx, body)
		var ge *GraphError
		if err == nil || !errors.As(err, &ge) || !ge.RateLimited() {
			return err
		}
		if attempt == c.retry.attempts {
			return errs.E(errs.Unavailable, "whatsapp cloud: send", err)
		}
		wait := c.retry.wait(attempt, ge)
		c.log.Warn("rate limited; waiting", "code", ge.Code, "wait", wait, "attempt", attempt)
		if err := c.retry.sleep(ctx, wait); err != nil {
			return errs.E(errs.Unavailable, "whatsapp cloud: send", err)
		}
	}
}

func (c *Cloud) postOnce(ctx context.Context, body []byte) error {
	url := c.cfg.APIURL + "/" + c.cfg.PhoneNumberID + "/messages"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("whatsapp cloud: request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.AccessToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return errs.E(errs.Unavailable, "whatsapp cloud: send", err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 == 2 {
		return nil
	}
	return graphError(resp, data)
}

func graphError(resp *http.Response, data []byte) *GraphError {
	var env struct {
		Error GraphError `json:"error"`
	}
	json.Unmarshal(data, &env) // a body that is not Graph's still has a status
	ge := &env.Error
	ge.Status = resp.StatusCode
	if ge.Message == "" {
		ge.Message = http.StatusText(resp.StatusCode)
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
		ge.retryAfter = time.Duration(s) * time.Second
	}
	return ge
}
