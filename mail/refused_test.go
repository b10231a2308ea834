package mail_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
	cbmail "github.com/clavebot/clavebot/mail"
	"github.com/clavebot/clavebot/mail/smtptest"
)

// A relay that refuses a recipient says the address back, as Postfix
// does ("550 5.1.1 <nobody@gmail.com>: Recipient address rejected"): the
// refusal was logged whole by the sender, and by the chat that asked for
// the code, with the person's e-mail address in clear, where every other
// line shows it masked (an attack probe of the logs).
func TestRefusedRecipientLoggedMasked(t *testing.T) {
	srv := smtptest.Start(t)
	var logs bytes.Buffer
	s, err := cbmail.New(srv.URL(), "a@b.com", printer(t, i18n.ES),
		cbmail.WithTLSConfig(srv.ClientTLS), cbmail.WithClock(func() time.Time { return now }),
		cbmail.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	err = s.SendCode(context.Background(), code("nobody@gmail.com"))
	if !errs.Is(errs.Invalid, err) {
		t.Fatalf("refused recipient: %v, want errs.Invalid", err)
	}
	for _, where := range []struct{ name, text string }{
		{"the log", logs.String()},
		{"the error", err.Error()},
	} {
		if strings.Contains(where.text, "nobody@") {
			t.Errorf("%s holds the address in clear:\n%s", where.name, where.text)
		}
		if !strings.Contains(where.text, "n***@gmail.com") || !strings.Contains(where.text, "550") {
			t.Errorf("%s lost what the relay said:\n%s", where.name, where.text)
		}
	}
}
