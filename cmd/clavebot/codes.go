package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/mail"
	"github.com/clavebot/clavebot/registry"
)

// codeRouter sends each one-time code the way its contact is reached: an
// e-mail over SMTP, a phone over WhatsApp when this deployment runs it.
// Without SMTP (the embedded default, for trying the bot) codes are
// written to the log instead, where a newcomer finds them.
type codeRouter struct {
	email dialog.CodeSender
	phone dialog.CodeSender
}

var _ dialog.CodeSender = (*codeRouter)(nil)

func (r *codeRouter) SendCode(ctx context.Context, c registry.Code) error {
	if c.To.Kind == registry.ContactEmail {
		return r.email.SendCode(ctx, c)
	}
	return r.phone.SendCode(ctx, c)
}

// smtpStartTimeout is how long a command waits at start for the SMTP
// relay to take it, as for Redis.
const smtpStartTimeout = 5 * time.Second

// newCodeRouter builds the senders cfg asks for: phones are reached on
// WhatsApp through outbox when this deployment runs it. A bad --smtp-url,
// or a relay that does not take this process at start (the connection,
// TLS, the credentials), is an error: a deployment that means to send
// codes must not quietly log them, nor fail each in front of a person.
func newCodeRouter(ctx context.Context, cfg *config, printer *i18n.Printer, log *slog.Logger, outbox *bot.Outbox) (*codeRouter, error) {
	r := &codeRouter{}
	if cfg.SMTP.URL == "" {
		l := logCodes{log: log.With("component", "codes")}
		r.email, r.phone = l, l
	} else {
		s, err := mail.New(cfg.SMTP.URL, cfg.SMTP.From, printer, mail.WithLogger(log))
		if err != nil {
			return nil, fmt.Errorf("smtp: %w", err)
		}
		cctx, cancel := context.WithTimeout(ctx, smtpStartTimeout)
		defer cancel()
		if err := s.Check(cctx); err != nil {
			return nil, fmt.Errorf("smtp: cannot use %s: %w", s.Where(), err)
		}
		log.Info("one-time codes are e-mailed", "relay", s.Where())
		r.email, r.phone = s, noPhone{}
	}
	if cfg.WhatsApp {
		r.phone = whatsAppCodes{outbox: outbox, cloud: cfg.WhatsAppMode == "cloud"}
	}
	return r, nil
}

// logCodes writes codes to the log: the demo's way of "sending" them
// when no SMTP is configured. It logs at warn, the level `clavebot chat`
// shows, so the code appears beside the conversation.
type logCodes struct{ log *slog.Logger }

func (l logCodes) SendCode(ctx context.Context, c registry.Code) error {
	l.log.WarnContext(ctx, "one-time code, written here because no --smtp-url is set",
		"to", c.To.Masked(), "code", c.Value, "expires", c.Expires.Format(time.TimeOnly))
	return nil
}

// noPhone is a deployment that cannot reach phones (no WhatsApp here):
// the person is told to write from the phone on WhatsApp, or go to an
// office.
type noPhone struct{}

func (noPhone) SendCode(context.Context, registry.Code) error {
	return errs.E(errs.Invalid, "send code", errors.New("no channel reaches phones: run WhatsApp"))
}

// whatsAppCodes sends a code to a phone as a WhatsApp message from the
// bot's number, through the outbox (this replica's WhatsApp, or the one
// holding it), which keeps it, sealed, until WhatsApp takes it: in clear,
// the code was in Redis while it could be typed (held for a closed
// window, retried, buried on the desk's undelivered list).
type whatsAppCodes struct {
	outbox *bot.Outbox
	cloud  bool // Cloud API chats are the number; whatsmeow's its JID
}

func (w whatsAppCodes) SendCode(ctx context.Context, c registry.Code) error {
	chat := "whatsapp:" + strings.TrimPrefix(c.To.Value, "+")
	if !w.cloud {
		chat += "@s.whatsapp.net"
	}
	minutes := max(1, int(time.Until(c.Expires).Round(time.Minute).Minutes()))
	msg := dialog.Reply{Msg: i18n.M("code.whatsapp", "code", c.Value, "minutes", minutes)}
	// The delivery's key is the code's id, never its secret half.
	id, _, _ := strings.Cut(c.Ref, ".")
	if err := w.outbox.DeliverSecret(ctx, chat, "code:"+id, []dialog.Reply{msg}); err != nil {
		return errs.E(errs.Unavailable, "send code", err)
	}
	return nil
}
