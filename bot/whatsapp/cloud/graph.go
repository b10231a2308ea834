package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/internal/errs"
)

// GraphError is an error answer of the Graph API.
type GraphError struct {
	Status    int    // HTTP status
	Code      int    `json:"code"`
	Subcode   int    `json:"error_subcode"`
	Type      string `json:"type"`
	Message   string `json:"message"`
	TraceID   string `json:"fbtrace_id"`
	ErrorData struct {
		Details string `json:"details"`
	} `json:"error_data"`

	retryAfter time.Duration // from the Retry-After header
}

func (e *GraphError) Error() string {
	return fmt.Sprintf("graph api: status %d, code %d: %s", e.Status, e.Code, e.Message)
}

// RateLimited reports whether the request was refused for throughput
// (nothing was sent, so it may be retried): HTTP 429, 130429 (number's
// throughput), 131056 (too many to one person), 131048 (spam rate limit),
// 80007 (account's rate), 4 (app's call rate).
func (e *GraphError) RateLimited() bool {
	switch e.Code {
	case 130429, 131056, 131048, 80007, 4:
		return true
	}
	return e.Status == http.StatusTooManyRequests
}

// Temporary reports whether Meta failed on its side: code 2 (service
// temporarily unavailable), 1 (unknown error), 131000 (something went
// wrong), 131016 (a service temporarily unavailable) or a 5xx status.
func (e *GraphError) Temporary() bool {
	switch e.Code {
	case 1, 2, 131000, 131016:
		return true
	}
	return e.Status >= 500
}

// sendError classifies a failed request for the outbox. Meta answering
// with an error it owns to (rate, downtime with a 4xx) took nothing;
// a 5xx or no answer at all may have taken the message, which its
// statuses will then report under the outbox key.
func (c *Cloud) sendError(err error, wrote bool) *bot.SendError {
	var ge *GraphError
	if !errors.As(err, &ge) {
		if !wrote {
			return &bot.SendError{Failure: bot.Retry, Reason: "could not reach the Graph API", Err: err}
		}
		return &bot.SendError{Failure: bot.Unsure, ConfirmWithin: c.cfg.ConfirmWithin, Reason: "no answer from the Graph API", Err: err}
	}
	se := &bot.SendError{Code: strconv.Itoa(ge.Code), Reason: ge.reason(), RetryAfter: ge.retryAfter, Account: ge.AccountHeld(), Err: err}
	switch {
	case ge.Code == 131047:
		se.Failure = bot.Window
	case ge.RateLimited():
		se.Failure = bot.Retry
		if ge.Code == 131056 {
			// Meta says no wait; a shorter one than its pace to one
			// person is refused again.
			se.RetryAfter = max(se.RetryAfter, pairPace)
		}
	case ge.Temporary() && ge.Status >= 500:
		se.Failure, se.ConfirmWithin = bot.Unsure, c.cfg.ConfirmWithin
	case ge.Temporary(), ge.AccountHeld():
		// An expired token, a blocked or locked account are for Meta or
		// an operator to lift: the message waits (each was a dead letter
		// at its first try, lost when the block lifted).
		se.Failure = bot.Retry
	default:
		se.Failure = bot.Refused
	}
	return se
}

// AccountHeld reports whether Meta refused the request for the business
// account, not for this message: a token not authenticated, expired or
// revoked (0, 190, 401), a permission the app lost (3, 10, 200-299, and
// 131005, access denied), a block for a policy violation (368), a locked
// account (131031), a payment method that failed (131042), a number not
// registered on the Cloud API (133010). Every message is refused alike
// until Meta lifts it or an operator fixes it, and none was sent.
func (e *GraphError) AccountHeld() bool {
	switch {
	case e.Code == 3, e.Code == 10, e.Code >= 200 && e.Code <= 299:
		return true
	}
	switch e.Code {
	case 190, 368, 131005, 131031, 131042, 133010:
		return true
	}
	return e.Status == http.StatusUnauthorized
}

func (e *GraphError) reason() string {
	if e.ErrorData.Details != "" {
		return e.Message + ": " + e.ErrorData.Details
	}
	return e.Message
}

// SendText implements bot.Channel.
func (c *Cloud) SendText(ctx context.Context, chat, text string) error {
	out := textMessage(chat, text)
	out.Callback = turnReply
	_, err := c.post(ctx, out)
	return err
}

// SendOptions implements bot.OptionSender with buttons or a list where
// Meta's limits allow, numbered text otherwise.
func (c *Cloud) SendOptions(ctx context.Context, chat string, m bot.Message) error {
	out := render(chat, m, c.listButton())
	out.Callback = turnReply
	if m.Question != "" {
		// Its statuses name the question: one that fails later is sent
		// again as text (see statuses).
		out.Callback = turnReply + ":" + m.Question
	}
	_, err := c.post(ctx, out)
	return err
}

// SendKeyed implements bot.KeyedSender: a turn's reply, retried in place
// while Meta refuses it for rate or owns to a failure that took nothing,
// carrying key, under which the outbox keeps it if that fails. An answer
// that may mean Meta took it (a 5xx, none at all) is not tried again
// here: it fails Unsure, and the outbox waits for Meta's statuses, which
// echo the key, before trying it again (a 5xx on a message Meta took was
// sent again at once, then by the outbox: the person got it twice or
// three times).
func (c *Cloud) SendKeyed(ctx context.Context, chat string, m bot.Message, key string) error {
	out := textMessage(chat, bot.NumberedText(m))
	if len(m.Options) > 0 {
		out = render(chat, m, c.listButton())
	}
	out.Callback = turnCallback(m.Question, key)
	limit := time.Duration(0)
	if c.bot.Keeps() {
		limit = maxInPlace // the outbox waits the rest
	}
	done := c.taken.send(key)
	_, err := c.postUpTo(ctx, limit, out)
	done(err)
	return err
}

// maxInPlace is how long, in all, a turn's send waits in place for Meta's
// rate limits when an outbox keeps what it could not send. 131056 (Meta
// lets a business write to one person about once every 6 s) and 130429
// were waited 1+2+4+8 s, holding the chat's worker and every chat of it
// (a channels probe); a longer wait is the outbox's, which keeps the
// chat's order (see bot.Backlog).
const maxInPlace = 5 * time.Second

// pairPace is how often Meta lets a business number write to one person:
// after a 131056 a shorter wait is refused again.
const pairPace = 6 * time.Second

// SendOnce implements bot.Tracker: one request, with the outbox key as
// biz_opaque_callback_data, which Meta echoes in the message's statuses.
func (c *Cloud) SendOnce(ctx context.Context, chat string, m bot.Message, key string) (string, error) {
	out := textMessage(chat, bot.NumberedText(m))
	if len(m.Options) > 0 {
		out = render(chat, m, c.listButton())
	}
	out.Callback = key
	return c.postOnceClassified(ctx, out)
}

// Reopen implements bot.Reopener: the approved template, which Meta
// delivers outside the 24-hour window.
func (c *Cloud) Reopen(ctx context.Context, chat, key string) (string, error) {
	if c.cfg.Template == "" {
		return "", bot.ErrNoTemplate
	}
	return c.postOnceClassified(ctx, templateMessage(chat, c.cfg.Template, c.cfg.TemplateLang, key))
}

func (c *Cloud) postOnceClassified(ctx context.Context, v any) (string, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return "", &bot.SendError{Failure: bot.Refused, Reason: "could not encode the message", Err: err}
	}
	id, wrote, err := c.postOnce(ctx, body)
	if err != nil {
		return "", c.sendError(err, wrote)
	}
	return id, nil
}

// markRead shows the person's message as read and the bot as typing (until
// the reply, at most 25 s). It is tried once: it was retried in place as a
// reply is, and with the app at Graph's call rate (code 4, which counts
// every call) or Meta failing on its side, every turn waited 1+2+4+8 s
// for it before the engine read the message, its retries adding to the
// load (a channels probe).
func (c *Cloud) markRead(ctx context.Context, msgID string) error {
	body, err := json.Marshal(map[string]any{
		"messaging_product": "whatsapp",
		"status":            "read",
		"message_id":        msgID,
		"typing_indicator":  map[string]string{"type": "text"},
	})
	if err != nil {
		return fmt.Errorf("whatsapp cloud: encode: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(c.closing, cancel)()
	_, _, err = c.postOnce(ctx, body)
	return err
}

// post sends one request within a turn, waiting and retrying while Meta
// refuses it for rate or fails on its side. The chat's later messages wait
// behind it, so their order holds.
func (c *Cloud) post(ctx context.Context, v any) (string, error) {
	return c.postUpTo(ctx, 0, v)
}

// postUpTo is post that gives up, classified for the outbox, once a rate
// limit's wait would take the time waited past limit (0: no limit).
func (c *Cloud) postUpTo(ctx context.Context, limit time.Duration, v any) (string, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("whatsapp cloud: encode: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(c.closing, cancel)()
	var waited time.Duration
	for attempt := 1; ; attempt++ {
		id, wrote, err := c.postOnce(ctx, body)
		if err == nil {
			return id, nil
		}
		if se := c.sendError(err, wrote); se.Failure == bot.Unsure {
			// Meta may have taken it: trying again could double it.
			return "", se
		}
		var ge *GraphError
		if !errors.As(err, &ge) || !(ge.RateLimited() || ge.Temporary()) {
			return id, err
		}
		if attempt == c.retry.attempts {
			return "", errs.E(errs.Unavailable, "whatsapp cloud: send", err)
		}
		wait, need := c.retry.wait(attempt, ge), c.retry.wait(attempt, ge)
		if ge.Code == 131056 {
			need = max(need, pairPace)
		}
		if limit > 0 && ge.RateLimited() && waited+need > limit {
			c.log.Warn("graph api refused for rate; left to the outbox", "code", ge.Code, "status", ge.Status, "attempt", attempt)
			return "", c.sendError(err, true)
		}
		waited += wait
		c.log.Warn("graph api refused for now; waiting", "code", ge.Code, "status", ge.Status, "wait", wait, "attempt", attempt)
		if err := c.retry.sleep(ctx, wait); err != nil {
			return "", errs.E(errs.Unavailable, "whatsapp cloud: send", err)
		}
	}
}

// postOnce makes one request; wrote tells whether the request left (a
// failure before that took nothing).
func (c *Cloud) postOnce(ctx context.Context, body []byte) (id string, wrote bool, err error) {
	var written atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) { written.Store(i.Err == nil) },
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.messages, bytes.NewReader(body))
	if err != nil {
		return "", false, fmt.Errorf("whatsapp cloud: request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.AccessToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return "", written.Load(), errs.E(errs.Unavailable, "whatsapp cloud: send", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return "", true, errs.E(errs.Unavailable, "whatsapp cloud: read answer", err)
	}
	if resp.StatusCode/100 == 2 {
		return messageID(data), true, nil
	}
	return "", true, graphError(resp, data)
}

// messageID is the wamid of a /messages answer, "" for a read receipt.
func messageID(data []byte) string {
	var out struct {
		Messages []struct {
			ID string `json:"id"`
		} `json:"messages"`
	}
	if json.Unmarshal(data, &out) != nil || len(out.Messages) == 0 {
		return ""
	}
	return out.Messages[0].ID
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
