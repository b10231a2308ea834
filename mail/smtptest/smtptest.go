// Package smtptest runs a real SMTP server for tests, built on
// github.com/emersion/go-smtp: on a loopback port, with STARTTLS (a
// certificate made for the occasion) and AUTH PLAIN (or, with LoginOnly,
// AUTH LOGIN alone) required before mail is taken. It keeps the messages it receives, so a test can read a code
// the way a person reads their inbox.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// The credentials the server takes.
const (
	User     = "clavebot"
	Password = "s3cr3t-relay"
)

// Message is one message received.
type Message struct {
	From string
	To   []string
	Data []byte
}

// Server is a running SMTP server.
type Server struct {
	Addr string
	// ClientTLS trusts the server's certificate.
	ClientTLS *tls.Config

	srv      *smtp.Server
	mu       sync.Mutex
	msgs     []Message
	arrived  chan struct{}
	starttls bool // whether any session upgraded to TLS before AUTH
	mechs    []string
}

// Option configures a Server.
type Option func(*Server)

// LoginOnly offers AUTH LOGIN and not PLAIN, as Office 365's relay does.
func LoginOnly() Option { return func(s *Server) { s.mechs = []string{sasl.Login} } }

// Start runs a server until the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cert, pool := certificate(t)
	s := &Server{ClientTLS: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}, arrived: make(chan struct{}, 100), mechs: []string{sasl.Plain}}
	for _, o := range opts {
		o(s)
	}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, conn: c}, nil
	}))
	s.srv.Domain = "smtptest.local"
	s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// URL is the server's smtp:// URL with its credentials.
func (s *Server) URL() string {
	return (&url.URL{Scheme: "smtp", User: url.UserPassword(User, Password), Host: s.Addr}).String()
}

// Close stops the server: later sends fail to connect.
func (s *Server) Close() { s.srv.Close() }

// Messages returns the messages received so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Wait returns the n-th message (1-based) once it has arrived.
func (s *Server) Wait(t testing.TB, n int) Message {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if ms := s.Messages(); len(ms) >= n {
			return ms[n-1]
		}
		select {
		case <-s.arrived:
		case <-deadline:
			t.Fatalf("smtptest: message %d never arrived", n)
		}
	}
}

type session struct {
	s      *Server
	conn   *smtp.Conn
	authed bool
	msg    Message
}

var _ smtp.AuthSession = (*session)(nil)

var errAuthFirst = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

func (se *session) AuthMechanisms() []string { return se.s.mechs }

func (se *session) Auth(mech string) (sasl.Server, error) {
	if !slices.Contains(se.s.mechs, mech) {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	if mech == sasl.Login {
		return &loginServer{check: se.check}, nil
	}
	return sasl.NewPlainServer(func(_, user, pass string) error { return se.check(user, pass) }), nil
}

func (se *session) check(user, pass string) error {
	if _, isTLS := se.conn.TLSConnectionState(); !isTLS {
		return errors.New("smtptest: AUTH before STARTTLS")
	}
	if user != User || pass != Password {
		return errors.New("smtptest: bad credentials")
	}
	se.authed = true
	se.s.mu.Lock()
	se.s.starttls = true
	se.s.mu.Unlock()
	return nil
}

// loginServer is the server side of AUTH LOGIN, which go-sasl no longer
// ships: it asks the user name, then the password.
type loginServer struct {
	check func(user, pass string) error
	user  []byte
	step  int
}

func (l *loginServer) Next(response []byte) ([]byte, bool, error) {
	switch {
	case l.step == 0 && response == nil:
		l.step = 1
		return []byte("Username:"), false, nil
	case l.step < 2:
		l.user, l.step = response, 2
		return []byte("Password:"), false, nil
	}
	return nil, true, l.check(string(l.user), string(response))
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if !se.authed {
		return errAuthFirst
	}
	se.msg = Message{From: from}
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if !se.authed {
		return errAuthFirst
	}
	if bytes.HasPrefix([]byte(to), []byte("nobody@")) {
		// As Postfix refuses one: the address said back.
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: "<" + to + ">: Recipient address rejected: User unknown in virtual mailbox table"}
	}
	se.msg.To = append(se.msg.To, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	se.msg.Data = b
	se.s.mu.Lock()
	se.s.msgs = append(se.s.msgs, se.msg)
	se.s.mu.Unlock()
	select {
	case se.s.arrived <- struct{}{}:
	default:
	}
	return nil
}

func (se *session) Reset()        { se.msg = Message{} }
func (se *session) Logout() error { return nil }

// certificate makes a self-signed certificate for 127.0.0.1 and a pool
// that trusts it.
func certificate(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtptest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, IsCA: true, BasicConstraintsValid: true,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// PlainText is the text/plain body of m, decoded, as a mail client shows
// it; "" when it has none.
func PlainText(t testing.TB, m Message) string {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatalf("smtptest: read message: %v", err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("smtptest: content type: %v", err)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		b, _ := io.ReadAll(msg.Body)
		return string(b)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return ""
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			b, _ := io.ReadAll(p)
			return string(b)
		}
	}
}
