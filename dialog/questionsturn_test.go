package dialog_test

import (
	"bytes"
	"context"
	"net"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/roundtrip"
	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/registrytest"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

// TestQuestionsTurnRoundTrips counts the PostgreSQL round trips of the
// turn answered with the first identity question, for people asked for
// the first time (issue 14's flow, and everyone on the day a million
// write), and of the "cancelar" after it. The turn was five: whether the
// CUIL has a key, the attempt reserved, the stored set read with the
// donors' window, the donors' rows, the set saved. The first three are one
// statement now (registry.QuestionStarter). A person whose record gives
// fewer than three questions and no número de trámite is told at that turn
// that the identity cannot be confirmed by chat (registry.CoverFor): the
// same three, the contacts read, the attempt given back, and no "cancelar".
func TestQuestionsTurnRoundTrips(t *testing.T) {
	var trips roundtrip.Counter
	var dialer net.Dialer
	h := newHarness(t)
	db, err := sqlstore.Open(context.Background(), testenv.PostgresDatabase(t), discardLog,
		sqlstore.WithDialer(trips.Dialer(dialer.DialContext)), sqlstore.WithPool(sqlstore.Pool{MaxConns: 1}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cs := registrytest.Generate(2000, 3, h.now)
	var buf bytes.Buffer
	if err := registrytest.WriteFile(&buf, cs); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(context.Background(), &buf, nil); err != nil {
		t.Fatal(err)
	}
	// As serve wires it: records kept in the process between data steps.
	reg := registry.NewService(db, registry.NewHasher(registry.HashParams{Memory: 64, Time: 1, Threads: 1}, 2), registry.DefaultPolicy(), 42,
		registry.WithClock(h.clock), registry.WithRecordCache(100, time.Minute))
	h.eng = dialog.New(h.store, reg, h.cat, h.opts...)
	asked, away := 0, 0
	for i, c := range cs[:16] {
		chat := "qturn" + string(rune('a'+i))
		for _, text := range []string{"hola", "1", string(c.CUIL), c.FirstNames, c.LastNames, registry.FormatDate(c.BirthDate)} {
			h.send(chat, text)
		}
		before := trips.Load()
		rs := h.send(chat, c.DNI)
		questions := trips.Load() - before
		if lastExpect(rs) == dialog.ExpectMenu && has(rs, i18n.M("questions.none")) {
			// The first prepares the contacts' statement.
			if away++; away > 1 && questions != 5 {
				t.Errorf("%s: the turn turned away took %d PostgreSQL round trips, want 5", c.CUIL.Masked(), questions)
			}
			continue
		}
		if lastExpect(rs) != dialog.ExpectChoice {
			t.Fatalf("after the DNI:\n%s", h.dump(rs))
		}
		asked++
		before = trips.Load()
		h.step(chat, "cancelar", dialog.ExpectMenu)
		cancel := trips.Load() - before
		// The first chat prepares the connection's statements.
		if i > 0 && (questions != 3 || cancel != 1) {
			t.Errorf("%s: the first questions turn took %d PostgreSQL round trips, want 3; the cancel %d, want 1", c.CUIL.Masked(), questions, cancel)
		}
	}
	t.Logf("%d people asked the questions, %d turned away", asked, away)
	if asked < 6 || away < 2 {
		t.Errorf("%d people asked the questions, %d turned away: the test cannot tell", asked, away)
	}
}
