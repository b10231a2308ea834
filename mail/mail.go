// Package mail sends one-time codes by e-mail over SMTP: a multipart
// message with a plain-text and an HTML body whose words come from the
// i18n catalogs, through a relay given as smtp://USER:PASS@HOST:PORT
// (STARTTLS whenever the server offers it) or smtps:// (TLS from the
// start).
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/pii"
	"github.com/clavebot/clavebot/registry"
)

// Sender sends codes through one SMTP relay. It opens a connection per
// message: codes are few, and a relay's idle connections time out.
type Sender struct {
	addr    string // host:port
	host    string
	implied bool // smtps: TLS from the start
	user    string
	pass    string
	from    *mail.Address
	printer *i18n.Printer
	tls     *tls.Config
	timeout time.Duration
	now     func() time.Time
	log     *slog.Logger
}

// Option configures a Sender.
type Option func(*Sender)

// WithTLSConfig sets the TLS configuration (a test's own CA); the default
// verifies the relay's certificate against the system's roots.
func WithTLSConfig(c *tls.Config) Option { return func(s *Sender) { s.tls = c } }

// WithTimeout bounds a whole send (default 15 s).
func WithTimeout(d time.Duration) Option { return func(s *Sender) { s.timeout = d } }

// WithClock sets the clock of the Date header and the minutes left.
func WithClock(now func() time.Time) Option { return func(s *Sender) { s.now = now } }

// WithLogger sets the logger (which never sees a code or an address).
func WithLogger(l *slog.Logger) Option { return func(s *Sender) { s.log = l } }

// New returns a Sender for rawURL (smtp://USER:PASS@HOST:PORT, port 587
// by default; smtps:// on 465) that writes from from (an address, with a
// name or not) in printer's language.
func New(rawURL, from string, printer *i18n.Printer, opts ...Option) (*Sender, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return nil, errs.E(errs.Invalid, "smtp url", errors.New("want smtp://USER:PASS@HOST:PORT or smtps://..."))
	}
	s := &Sender{
		host: u.Hostname(), implied: u.Scheme == "smtps", printer: printer,
		timeout: 15 * time.Second, now: time.Now, log: slog.New(slog.DiscardHandler),
	}
	port := u.Port()
	if port == "" {
		port = map[bool]string{false: "587", true: "465"}[s.implied]
	}
	s.addr = net.JoinHostPort(s.host, port)
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	if s.from, err = fromAddress(from, s.user, s.host); err != nil {
		return nil, err
	}
	for _, o := range opts {
		o(s)
	}
	if s.tls == nil {
		// A relay on this machine (a local MTA, a sidecar) is reached
		// without leaving it, and rarely holds a certificate for
		// 127.0.0.1: its TLS is taken unverified. Any other relay's
		// certificate is verified.
		s.tls = &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: isLoopback(s.host)}
	}
	s.tls = s.tls.Clone()
	if s.tls.ServerName == "" {
		s.tls.ServerName = s.host
	}
	s.log = s.log.With("component", "mail")
	return s, nil
}

// fromAddress is --smtp-from, or else the relay's user when it is an
// address, or else no-responder@ the relay's host. A --smtp-from that is
// not an address is refused: it was replaced by the default without a
// word (a contract probe).
func fromAddress(from, user, host string) (*mail.Address, error) {
	if from == "" && strings.Contains(user, "@") {
		from = user
	}
	if from == "" {
		if net.ParseIP(host) != nil {
			host = "localhost"
		}
		from = "no-responder@" + host
	}
	a, err := mail.ParseAddress(from)
	if err != nil {
		return nil, errs.E(errs.Invalid, "smtp from", fmt.Errorf("%q is not an address: %w", from, err))
	}
	if a.Name == "" {
		a.Name = "ANSES - Clave de la Seguridad Social"
	}
	return a, nil
}

// Where says where codes go, without credentials, for the start-up log.
func (s *Sender) Where() string { return s.addr }

// SendCode e-mails c to its contact, which must be an e-mail address.
// An address the relay refuses is errs.Invalid; a relay that cannot be
// reached, refuses the credentials or fails is errs.Unavailable.
func (s *Sender) SendCode(ctx context.Context, c registry.Code) error {
	if c.To.Kind != registry.ContactEmail {
		return errs.E(errs.Invalid, "send code", fmt.Errorf("%s is not an e-mail address", c.To.Kind))
	}
	now := s.now()
	msg, err := message(s.from, c.To.Value, renderCode(s.printer, c, now), s.printer.Lang(), now)
	if err != nil {
		return errs.E(errs.Other, "send code", err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.send(ctx, c.To.Value, msg); err != nil {
		err = addressesMasked{err}
		s.log.Warn("code e-mail not sent", "to", c.To.Masked(), "relay", s.addr, "err", err)
		return classify(err)
	}
	s.log.Info("code e-mail sent", "to", c.To.Masked(), "relay", s.addr)
	return nil
}

// Check connects to the relay as a send does (the greeting, EHLO,
// STARTTLS when offered, AUTH when credentials are set, MAIL FROM) and
// leaves without sending: a start-up's proof that codes can go out. A
// relay that cannot be reached or refuses is errs.Unavailable. MAIL FROM
// is where a relay refuses mail without AUTH (530) or from an address not
// its user's (553): a URL without credentials passed the check, and every
// code failed.
func (s *Sender) Check(ctx context.Context) error {
	c, _, err := s.open(ctx)
	if err == nil {
		err = c.Mail(s.from.Address)
		if err == nil {
			err = c.Reset()
		}
		if err == nil {
			err = c.Quit()
		}
		c.Close()
	}
	if err != nil {
		return errs.E(errs.Unavailable, "smtp check", err)
	}
	return nil
}

// quitWait bounds QUIT after the relay took the message: the code is on
// its way whatever QUIT gets.
const quitWait = time.Second

// send speaks SMTP: see open, then MAIL, RCPT, DATA, QUIT.
func (s *Sender) send(ctx context.Context, to string, msg []byte) error {
	c, conn, err := s.open(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Mail(s.from.Address); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return &rcptError{err}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	// The relay answered 250 to the message: it took it, and the code
	// reaches the person. A relay that hangs up at QUIT, or never answers
	// it, is no failure: the person was told the code had not gone, its
	// minute given back, with it already in their inbox.
	conn.SetDeadline(time.Now().Add(quitWait))
	if err := c.Quit(); err != nil {
		s.log.Debug("the relay took the code's message; QUIT failed", "relay", s.addr, "err", err)
	}
	return nil
}

// open connects to the relay until ctx's deadline and speaks SMTP up to
// the envelope: EHLO, STARTTLS when offered, AUTH PLAIN (or LOGIN) when credentials
// are set (net/smtp refuses to send them in clear but to localhost). It
// returns the connection too, whose deadline send shortens for QUIT.
func (s *Sender) open(ctx context.Context) (*smtp.Client, net.Conn, error) {
	conn, err := s.dial(ctx)
	if err != nil {
		return nil, nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("greeting: %w", err)
	}
	if err := s.hello(c); err != nil {
		c.Close()
		return nil, nil, err
	}
	return c, conn, nil
}

func (s *Sender) hello(c *smtp.Client) error {
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("EHLO: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok && !s.implied {
		if err := c.StartTLS(s.tls); err != nil {
			return fmt.Errorf("STARTTLS: %w", err)
		}
	}
	if ok, mechs := c.Extension("AUTH"); ok && s.user != "" {
		if err := c.Auth(s.auth(mechs)); err != nil {
			return fmt.Errorf("AUTH: %w", err)
		}
		return nil
	}
	if s.user != "" {
		s.log.Warn("the relay offers no AUTH: sending without the credentials", "relay", s.addr)
	}
	return nil
}

// auth is AUTH PLAIN, or AUTH LOGIN for a relay that offers it and not
// PLAIN (Office 365's smtp.office365.com): PLAIN alone was refused there,
// and the bot could not start.
func (s *Sender) auth(mechs string) smtp.Auth {
	offered := strings.Fields(strings.ToUpper(mechs))
	if slices.Contains(offered, "LOGIN") && !slices.Contains(offered, "PLAIN") {
		return &loginAuth{user: s.user, pass: s.pass, host: s.host}
	}
	return smtp.PlainAuth("", s.user, s.pass, s.host)
}

func (s *Sender) dial(ctx context.Context) (net.Conn, error) {
	d := &net.Dialer{}
	if s.implied {
		td := &tls.Dialer{NetDialer: d, Config: s.tls}
		return td.DialContext(ctx, "tcp", s.addr)
	}
	return d.DialContext(ctx, "tcp", s.addr)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// addressesMasked is a relay's error with every address in its words
// masked (l***@gmail.com): a relay says the recipient back when it
// refuses it, as Postfix does ("550 5.1.1 <lucia@gmail.com>: Recipient
// address rejected"), and the whole address reached the sender's log and
// the chat's, where every other line masks it (an attack probe). What it
// wraps is kept for classify.
type addressesMasked struct{ err error }

func (e addressesMasked) Error() string { return pii.MaskEmails(e.err.Error()) }
func (e addressesMasked) Unwrap() error { return e.err }

// rcptError is the relay refusing the recipient.
type rcptError struct{ err error }

func (e *rcptError) Error() string { return "recipient refused: " + e.err.Error() }
func (e *rcptError) Unwrap() error { return e.err }

// classify gives a send error its kind: a recipient refused for good
// (5xx) is the address's fault; anything else is the relay's, and worth
// another try later.
func classify(err error) error {
	var re *rcptError
	var te *textproto.Error
	if errors.As(err, &re) && errors.As(err, &te) && te.Code >= 500 {
		return errs.E(errs.Invalid, "send code", err)
	}
	return errs.E(errs.Unavailable, "send code", err)
}
