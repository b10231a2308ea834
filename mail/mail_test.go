package mail_test

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
	cbmail "github.com/clavebot/clavebot/mail"
	"github.com/clavebot/clavebot/mail/smtptest"
	"github.com/clavebot/clavebot/registry"
)

func printer(t *testing.T, lang i18n.Lang) *i18n.Printer {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cat.Printer(lang)
}

var now = time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)

func code(to string) registry.Code {
	return registry.Code{
		Value: "482915", Purpose: registry.CodeVerify, Expires: now.Add(10 * time.Minute),
		To: registry.Contact{Kind: registry.ContactEmail, Value: to},
	}
}

func newSender(t *testing.T, srv *smtptest.Server, from string, lang i18n.Lang) *cbmail.Sender {
	t.Helper()
	s, err := cbmail.New(srv.URL(), from, printer(t, lang),
		cbmail.WithTLSConfig(srv.ClientTLS), cbmail.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The code reaches the relay over STARTTLS and AUTH PLAIN (the server
// refuses mail otherwise), as a multipart/alternative message whose
// headers a mail client needs and whose two bodies carry the code.
func TestSendCode(t *testing.T) {
	srv := smtptest.Start(t)
	s := newSender(t, srv, "ANSES <no-responder@anses.gob.ar>", i18n.ES)
	if err := s.SendCode(context.Background(), code("lucia@gmail.com")); err != nil {
		t.Fatal(err)
	}
	got := srv.Wait(t, 1)
	if got.From != "no-responder@anses.gob.ar" || len(got.To) != 1 || got.To[0] != "lucia@gmail.com" {
		t.Fatalf("envelope %s → %v", got.From, got.To)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(got.Data))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || subject != "Tu código para la Clave de la Seguridad Social" {
		t.Errorf("subject %q (%v), raw %q", subject, err, h.Get("Subject"))
	}
	if strings.ContainsAny(h.Get("Subject"), "ó") {
		t.Errorf("subject not encoded: %q", h.Get("Subject"))
	}
	if d, err := h.Date(); err != nil || !d.Equal(now) {
		t.Errorf("Date %q: %v", h.Get("Date"), err)
	}
	if id := h.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@anses.gob.ar>") {
		t.Errorf("Message-ID %q", id)
	}
	if from, err := h.AddressList("From"); err != nil || from[0].Name != "ANSES" || from[0].Address != "no-responder@anses.gob.ar" {
		t.Errorf("From %q: %v", h.Get("From"), err)
	}
	if to, err := h.AddressList("To"); err != nil || to[0].Address != "lucia@gmail.com" {
		t.Errorf("To %q: %v", h.Get("To"), err)
	}
	parts := readParts(t, h.Get("Content-Type"), msg.Body)
	for _, ct := range []string{"text/plain", "text/html"} {
		body, ok := parts[ct]
		switch {
		case !ok:
			t.Errorf("no %s part among %v", ct, parts)
		case !strings.Contains(body, "482915"), !strings.Contains(body, "Vence en 10 minutos"),
			!strings.Contains(body, "ANSES nunca te lo va a pedir"):
			t.Errorf("%s part lacks the code or its words:\n%s", ct, body)
		}
	}
	if !strings.Contains(parts["text/html"], `<html lang="es">`) {
		t.Errorf("html part:\n%s", parts["text/html"])
	}
}

// readParts decodes a multipart/alternative body into its parts by type.
func readParts(t *testing.T, contentType string, body io.Reader) map[string]string {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q: %v", contentType, err)
	}
	out := map[string]string{}
	mr := multipart.NewReader(body, params["boundary"])
	for {
		p, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		ct, ps, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if ps["charset"] != "utf-8" {
			t.Errorf("%s without charset utf-8", ct)
		}
		b, _ := io.ReadAll(p)
		out[ct] = string(b)
	}
}

func TestSendCodeInEnglish(t *testing.T) {
	srv := smtptest.Start(t)
	s := newSender(t, srv, "", i18n.EN)
	c := code("ramon@hotmail.com")
	c.Purpose = registry.CodeFactor
	if err := s.SendCode(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	got := srv.Wait(t, 1)
	if got.From != "no-responder@localhost" {
		t.Errorf("default From %q", got.From)
	}
	if !bytes.Contains(got.Data, []byte("recover or change your Clave")) {
		t.Errorf("English factor message:\n%s", got.Data)
	}
}

func TestSendCodeFailures(t *testing.T) {
	srv := smtptest.Start(t)
	s := newSender(t, srv, "a@b.com", i18n.ES)
	if err := s.SendCode(context.Background(), code("nobody@gmail.com")); !errs.Is(errs.Invalid, err) {
		t.Errorf("refused recipient: %v, want errs.Invalid", err)
	}
	srv.Close()
	if err := s.SendCode(context.Background(), code("lucia@gmail.com")); !errs.Is(errs.Unavailable, err) {
		t.Errorf("relay down: %v, want errs.Unavailable", err)
	}
	phone := code("x")
	phone.To = registry.Contact{Kind: registry.ContactPhone, Value: "+5491123456789"}
	if err := s.SendCode(context.Background(), phone); !errs.Is(errs.Invalid, err) {
		t.Errorf("a phone: %v", err)
	}
}

func TestSendCodeBadCredentials(t *testing.T) {
	srv := smtptest.Start(t)
	s, err := cbmail.New(strings.Replace(srv.URL(), smtptest.Password, "wrong", 1), "a@b.com", printer(t, i18n.ES),
		cbmail.WithTLSConfig(srv.ClientTLS))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SendCode(context.Background(), code("lucia@gmail.com")); !errs.Is(errs.Unavailable, err) {
		t.Errorf("bad credentials: %v", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages taken without authentication", n)
	}
}

func TestNewRejectsBadURL(t *testing.T) {
	for _, u := range []string{"", "http://x", "smtp://", "mail.example.com:587"} {
		if _, err := cbmail.New(u, "", nil); !errs.Is(errs.Invalid, err) {
			t.Errorf("New(%q): %v", u, err)
		}
	}
}

// A --smtp-from that is not an address was replaced without a word by
// no-responder@ the relay's host (a contract probe): the codes went out
// from an address the operator never chose. It is refused, as a bad
// setting; an empty one still takes the default.
func TestNewRejectsBadFrom(t *testing.T) {
	for _, from := range []string{"not an address", "ANSES", "anses.gob.ar", "<>"} {
		if _, err := cbmail.New("smtp://u:p@relay.example:587", from, nil); !errs.Is(errs.Invalid, err) {
			t.Errorf("New(from %q): %v, want Invalid", from, err)
		}
	}
	for _, from := range []string{"", "no-responder@anses.gob.ar", "ANSES <no-responder@anses.gob.ar>"} {
		if _, err := cbmail.New("smtp://u:p@relay.example:587", from, nil); err != nil {
			t.Errorf("New(from %q): %v", from, err)
		}
	}
}

// Check goes as far as a send goes before the envelope (the greeting,
// EHLO, STARTTLS, AUTH) and sends nothing: the start-up's proof that codes
// can go out.
func TestCheck(t *testing.T) {
	srv := smtptest.Start(t)
	down := smtptest.Start(t)
	down.Close()
	tests := []struct {
		name, url string
		ok        bool
	}{
		{"a relay that takes the credentials", srv.URL(), true},
		{"wrong credentials", strings.Replace(srv.URL(), smtptest.Password, "wrong", 1), false},
		{"nothing listening", "smtp://u:p@" + down.Addr, false},
		{"TLS from the start to a relay without it", strings.Replace(srv.URL(), "smtp://", "smtps://", 1), false},
		// The relay takes no mail without AUTH (530 at MAIL FROM): the
		// bot started, and every code failed.
		{"no credentials for a relay that requires them", "smtp://" + srv.Addr, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := cbmail.New(tt.url, "", printer(t, i18n.ES), cbmail.WithTLSConfig(srv.ClientTLS))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err = s.Check(ctx)
			if tt.ok != (err == nil) || (err != nil && !errs.Is(errs.Unavailable, err)) {
				t.Fatalf("Check: %v; want ok %v, else errs.Unavailable", err, tt.ok)
			}
		})
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages sent by a check", n)
	}
}

// A relay that offers AUTH LOGIN and not PLAIN (Office 365's does) takes
// the code: the sender spoke PLAIN to every relay, was refused (504), and
// the bot did not start with such a relay.
func TestSendCodeAuthLogin(t *testing.T) {
	srv := smtptest.Start(t, smtptest.LoginOnly())
	s := newSender(t, srv, "a@b.com", i18n.ES)
	if err := s.Check(context.Background()); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if err := s.SendCode(context.Background(), code("lucia@gmail.com")); err != nil {
		t.Fatalf("SendCode: %v", err)
	}
	if got := smtptest.PlainText(t, srv.Wait(t, 1)); !strings.Contains(got, "482915") {
		t.Errorf("message without the code:\n%s", got)
	}
	bad, err := cbmail.New(strings.Replace(srv.URL(), smtptest.Password, "wrong", 1), "a@b.com", printer(t, i18n.ES),
		cbmail.WithTLSConfig(srv.ClientTLS))
	if err != nil {
		t.Fatal(err)
	}
	if err := bad.Check(context.Background()); !errs.Is(errs.Unavailable, err) {
		t.Errorf("wrong credentials over LOGIN: %v, want errs.Unavailable", err)
	}
}
