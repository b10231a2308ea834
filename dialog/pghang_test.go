package dialog_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// TestPostgresHangGetsTheApology: PostgreSQL stops answering, its TCP
// still open, in the middle of a conversation. The turn ends at its
// deadline with the apology and the question asked again; it hung with
// no limit, the person waiting for an answer that never came (a
// resilience probe). When PostgreSQL answers again, they carry on.
func TestPostgresHangGetsTheApology(t *testing.T) {
	dbURL, err := url.Parse(testenv.PostgresDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	p := testenv.NewProxy(t, dbURL.Host)
	dbURL.Host = p.Addr()
	h := newHarness(t)
	h.eng = dialog.New(h.store, h.service(openRegistry(t, dbURL.String())), h.cat, h.opts...)
	const chat = "pghang"
	h.toBirthDateStep(chat)
	p.Hang()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	done := make(chan dialog.Result, 1)
	go func() {
		res, err := h.eng.Handle(ctx, dialog.Inbound{Chat: chat, ID: "hung", Text: "14/03/1985", Channel: "test"})
		if err != nil {
			t.Errorf("the turn: %v, want the apology", err)
		}
		done <- res
	}()
	select {
	case res := <-done:
		if !has(res.Replies, i18n.M("error.unavailable")) || last(res.Replies).Expect != dialog.ExpectBirthDate {
			t.Errorf("PostgreSQL answering nothing:\n%s\nwant the apology, the birth date asked again", h.dump(res.Replies))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the turn has not ended 5 s after it began, its deadline 1 s")
	}
	p.Restore()
	h.step(chat, "14/03/1985", dialog.ExpectDNI)
}
