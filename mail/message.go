package mail

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"html/template"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// codeText is a code e-mail's words, rendered from the catalogs.
type codeText struct {
	Subject, Title, Intro, CodeLabel, Code, Expires, Warning, Signature string
}

// introKeys say why a code was sent.
var introKeys = map[registry.CodePurpose]i18n.Key{
	registry.CodeVerify: "mail.code.intro.verify",
	registry.CodeFactor: "mail.code.intro.factor",
}

func renderCode(p *i18n.Printer, c registry.Code, now time.Time) codeText {
	s := func(k i18n.Key, kv ...any) string { return p.Sprint(i18n.M(k, kv...)) }
	minutes := max(1, int(c.Expires.Sub(now).Round(time.Minute).Minutes()))
	return codeText{
		Subject: s("mail.code.subject"), Title: s("mail.code.title"),
		Intro:     s(introKeys[c.Purpose]),
		CodeLabel: s("mail.code.code"), Code: c.Value,
		Expires: s("mail.code.expires", "minutes", minutes),
		Warning: s("mail.code.warning"), Signature: s("mail.code.signature"),
	}
}

func (t codeText) plain() string {
	return strings.Join([]string{t.Title, "", t.Intro, "", t.CodeLabel + " " + t.Code, "", t.Expires, "", t.Warning, "", "-- ", t.Signature, ""}, "\r\n")
}

// codeHTML lays the same words out for mail clients that show HTML: the
// code large, in a monospaced face, easy to read and copy. No images,
// links or remote content.
var codeHTML = template.Must(template.New("code").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.T.Subject}}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; color: #222; max-width: 560px; margin: 0 auto; padding: 16px;">
<h1 style="font-size: 20px; color: #0b4f8a;">{{.T.Title}}</h1>
<p>{{.T.Intro}}</p>
<p>{{.T.CodeLabel}}</p>
<p style="font-family: 'Courier New', monospace; font-size: 32px; font-weight: bold; letter-spacing: 6px; margin: 8px 0 16px;">{{.T.Code}}</p>
<p>{{.T.Expires}}</p>
<p style="background: #fff4e5; padding: 12px; border-radius: 4px;">{{.T.Warning}}</p>
<hr style="border: none; border-top: 1px solid #ddd;">
<p style="font-size: 12px; color: #666;">{{.T.Signature}}</p>
</body></html>
`))

// message is an RFC 5322 message with a plain-text and an HTML
// alternative of t, from and to as given.
func message(from *mail.Address, to string, t codeText, lang i18n.Lang, now time.Time) ([]byte, error) {
	var html bytes.Buffer
	if err := codeHTML.Execute(&html, struct {
		Lang i18n.Lang
		T    codeText
	}{lang, t}); err != nil {
		return nil, err
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, part := range []struct{ ctype, text string }{
		{"text/plain; charset=utf-8", t.plain()},
		{"text/html; charset=utf-8", html.String()},
	} {
		if err := writePart(mw, part.ctype, part.text); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	var msg bytes.Buffer
	headers := []struct{ k, v string }{
		{"Date", now.Format(time.RFC1123Z)},
		{"Message-ID", messageID(from.Address)},
		{"From", from.String()},
		{"To", (&mail.Address{Address: to}).String()},
		{"Subject", mime.QEncoding.Encode("utf-8", t.Subject)},
		{"MIME-Version", "1.0"},
		{"Content-Type", `multipart/alternative; boundary="` + mw.Boundary() + `"`},
		{"Auto-Submitted", "auto-generated"},
	}
	for _, h := range headers {
		fmt.Fprintf(&msg, "%s: %s\r\n", h.k, h.v)
	}
	msg.WriteString("\r\n")
	msg.Write(body.Bytes())
	return msg.Bytes(), nil
}

func writePart(mw *multipart.Writer, ctype, text string) error {
	h := textproto.MIMEHeader{}
	h.Set("Content-Type", ctype)
	h.Set("Content-Transfer-Encoding", "quoted-printable")
	w, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(text)); err != nil {
		return err
	}
	return qp.Close()
}

// messageID is a unique id at the sender's domain.
func messageID(from string) string {
	_, domain, ok := strings.Cut(from, "@")
	if !ok || domain == "" {
		domain = "localhost"
	}
	return "<" + strings.ToLower(rand.Text()) + "@" + domain + ">"
}
