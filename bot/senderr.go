package bot

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
)

// Failure says what a failed send means for the message, so the outbox
// knows what to do next without knowing the platform.
type Failure int

// The kinds of failure a channel reports.
const (
	// Refused: the platform will not take this message, ever (a bad
	// request, a person who cannot be reached): it goes to the dead
	// letters.
	Refused Failure = iota
	// Retry: the message was not sent (rate limit, a platform error it
	// answered, a connection that never opened): try again later.
	Retry
	// Unsure: the request left but no answer came; it may have been sent.
	// Where the platform confirms sends on its own (WhatsApp Cloud's
	// statuses echo the outbox key), the outbox waits for that before
	// trying again.
	Unsure
	// Blocked: the person blocked the bot or left the platform; writing
	// again is pointless until they write first.
	Blocked
	// Window: WhatsApp's 24-hour customer service window is closed; only
	// an approved template may reach the person until they write again.
	Window
)

func (f Failure) String() string {
	switch f {
	case Retry:
		return "retry"
	case Unsure:
		return "unsure"
	case Blocked:
		return "blocked"
	case Window:
		return "window"
	}
	return "refused"
}

// SendError is a channel's failed send, classified.
type SendError struct {
	Failure    Failure
	RetryAfter time.Duration // the platform's own wait, when it gave one
	// ConfirmWithin is how long the platform may take to confirm, on its
	// own, a send that came back Unsure; zero when it never does.
	ConfirmWithin time.Duration
	Code          string // the platform's code: "403", "131047"
	Reason        string // what an agent reads on the desk
	// Account is set when the platform refused the channel's account, not
	// this message (a token revoked, an account blocked or unpaid, a
	// number not registered): nothing on the channel goes out until an
	// operator or the platform fixes it, so it is counted apart for an
	// alert that pages within minutes.
	Account bool
	Err     error
}

// Failures counts a channel's failed calls to its platform by the
// platform's code, those of the account (SendError.Account) apart from
// one message's or one person's; metrics.Delivery implements it.
type Failures interface {
	Failed(channel, code string, account bool)
}

func (e *SendError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("send failed (%s): %s", e.Failure, e.Reason)
	}
	return fmt.Sprintf("send failed (%s): %v", e.Failure, e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// Classify reads err as a SendError: a channel's own classification when
// it made one, else a guess from the error's kind. A context that ended
// and a network error after the request may have left are Unsure; a
// dependency marked unavailable is Retry; anything else is Refused.
func Classify(err error) *SendError {
	var se *SendError
	if errors.As(err, &se) {
		return se
	}
	out := &SendError{Failure: Refused, Reason: err.Error(), Err: err}
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne):
		out.Failure, out.Reason = Unsure, "no answer from the platform"
	case errs.Is(errs.Unavailable, err):
		out.Failure = Retry
	}
	return out
}
