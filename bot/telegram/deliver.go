package telegram

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/clavebot/clavebot/bot"
)

var _ bot.Tracker = (*Channel)(nil)

// SendOnce implements bot.Tracker: one try, classified for the outbox,
// which owns the retries. Telegram echoes no key of ours, so a send that
// got no answer is tried again later (bot.Unsure without confirmation).
func (c *Channel) SendOnce(ctx context.Context, chat string, m bot.Message, _ string) (string, error) {
	var kb *inlineKeyboard
	if len(m.Options) > 0 {
		kb = keyboard(m.Question, m.Options)
	}
	ctx, call := traced(ctx)
	id, err := c.sendParts(ctx, chat, m.Text, kb, false)
	if err != nil {
		return "", classify(err, call)
	}
	return id, nil
}

// call is what the transport saw of one request: whether it left, and
// the HTTP status that came back.
type call struct {
	wrote  atomic.Bool
	status atomic.Int32
}

type callKey struct{}

// traced marks ctx so the channel's transport records the call.
func traced(ctx context.Context) (context.Context, *call) {
	cl := &call{}
	ctx = context.WithValue(ctx, callKey{}, cl)
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) { cl.wrote.Store(i.Err == nil) },
	}), cl
}

// transport records the status of traced calls; the library reports
// error answers without it. It also sends each call's body with its
// length (see buffered).
type transport struct {
	base http.RoundTripper
	cut  func(n int) // told of updates cut to their essentials (see readable)
	// unreadable is set when the library could not decode a getUpdates
	// answer: the next one, the same batch asked again, is rewritten.
	unreadable *atomic.Bool
}

func (t transport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody && r.ContentLength <= 0 {
		b, err := buffered(r)
		if err != nil {
			return nil, err
		}
		r = b
	}
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return resp, err
	}
	if cl, ok := r.Context().Value(callKey{}).(*call); ok {
		cl.status.Store(int32(resp.StatusCode))
	}
	return t.readableUpdates(r, resp), nil
}

// maxBuffered is the largest body the transport reads ahead. The library
// streams every call's multipart form through a pipe, of unknown length,
// which net/http sends chunked, flushing each of the form's many small
// writes in a system call of its own: a fifth of serve's CPU under load
// on Telegram. A call's form is a few hundred bytes (a text, its
// buttons); a larger one (a file, which the bot does not send) goes on as
// it came after the first maxBuffered bytes.
const maxBuffered = 64 << 10

// buffered reads r's body ahead, so that net/http sends it with a
// Content-Length, with the headers in one write. It closes r's body.
func buffered(r *http.Request) (*http.Request, error) {
	head, err := io.ReadAll(io.LimitReader(r.Body, maxBuffered+1))
	if err != nil {
		r.Body.Close()
		return nil, err
	}
	out := r.Clone(r.Context())
	if len(head) > maxBuffered {
		out.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
		return out, nil
	}
	r.Body.Close()
	out.Body, out.ContentLength = io.NopCloser(bytes.NewReader(head)), int64(len(head))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(head)), nil }
	return out, nil
}

// classify reads a failed Bot API call as the outbox needs it.
func classify(err error, cl *call) *bot.SendError {
	status := int(cl.status.Load())
	se := &bot.SendError{Err: err, Reason: reason(err)}
	if status != 0 {
		se.Code = strconv.Itoa(status)
	}
	var tooMany *tgbot.TooManyRequestsError
	switch {
	case errors.As(err, &tooMany):
		se.Failure, se.Code = bot.Retry, "429"
		se.RetryAfter = time.Duration(max(tooMany.RetryAfter, 1)) * time.Second
	case errors.Is(err, tgbot.ErrorForbidden):
		// "bot was blocked by the user", "user is deactivated": nobody
		// reads this chat until the person writes again.
		se.Failure, se.Code = bot.Blocked, "403"
	case errors.Is(err, tgbot.ErrorBadRequest) && unreachable(se.Reason):
		// No such chat for this bot (an account deleted, a chat id the
		// bot never had): every message would be refused the same way,
		// each a dead letter of its own.
		se.Failure, se.Code = bot.Blocked, "400"
	case errors.Is(err, tgbot.ErrorBadRequest):
		se.Failure, se.Code = bot.Refused, "400"
	case errors.Is(err, tgbot.ErrorUnauthorized), errors.Is(err, tgbot.ErrorNotFound):
		// A token an operator must fix (revoked, replaced, malformed):
		// the message waits, and no chat gets anything until then.
		se.Failure, se.Account, se.Code = bot.Retry, true, tokenCode(err)
	case status >= 500:
		// Telegram's own failure: the message waits.
		se.Failure = bot.Retry
	case status == 0 && !cl.wrote.Load():
		se.Failure, se.Reason = bot.Retry, "could not reach the Bot API"
	default:
		se.Failure, se.Reason = bot.Unsure, "no answer from the Bot API"
	}
	return se
}

// unreachable reports whether a 400's description says the chat itself
// cannot be written to, rather than this message.
func unreachable(desc string) bool {
	desc = strings.ToLower(desc)
	for _, s := range []string{"chat not found", "peer_id_invalid", "user not found"} {
		if strings.Contains(desc, s) {
			return true
		}
	}
	return false
}

// reason is the Bot API's description of a failure, without the library's
// wrapping.
func reason(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ", "); i >= 0 && (errors.Is(err, tgbot.ErrorForbidden) || errors.Is(err, tgbot.ErrorBadRequest)) {
		return s[i+2:]
	}
	return s
}

// tokenCode is the Bot API's status for a token it refused: 401 for one
// revoked or replaced, 404 for one malformed.
func tokenCode(err error) string {
	if errors.Is(err, tgbot.ErrorNotFound) {
		return "404"
	}
	return "401"
}
