package sqlstore

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/roundtrip"
	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/registry"
)

// TestPostgresBeginQuestions: a round begun in one statement
// (StartQuestions) does what the calls one by one do on SQLite: nothing
// for a key not as the flow needs; the attempt reserved and counted; the
// same questions drawn, stored and shown again; a locked CUIL refused
// with nothing drawn. A first round costs three round trips (the
// statement, the donors' rows, the set saved), a round of a stored set
// one.
func TestPostgresBeginQuestions(t *testing.T) {
	var trips roundtrip.Counter
	pg := openStore(t, testenv.PostgresDatabase(t), WithDialer(trips.Dialer(netDial)), WithPool(Pool{MaxConns: 1}))
	lite := openStore(t, "sqlite:"+filepath.Join(t.TempDir(), "registry.db"))
	cs := importSynth(t, pg, 300, 6)
	importCitizens(t, lite, cs)
	now := func() time.Time { return synthNow }
	service := func(d *DB) *registry.Service {
		return registry.NewService(d, nil, registry.DefaultPolicy(), 1, registry.WithClock(now))
	}
	svcs := map[string]*registry.Service{"postgres": service(pg), "sqlite": service(lite)}
	_, err := svcs["postgres"].BeginQuestions(t.Context(), cs[0], false) // prepares the statements
	mustNotFail(t, err)
	for _, c := range cs[1:6] {
		rounds := map[string]registry.Round{}
		for name, svc := range svcs {
			r, err := svc.BeginQuestions(t.Context(), c, true)
			mustNotFail(t, err)
			if r.HasKey || r.Attempt.ID != "" || r.Questions != nil {
				t.Errorf("%s: a round for a key %s has not: %+v", name, c.CUIL.Masked(), r)
			}
			before := trips.Load()
			if rounds[name], err = svc.BeginQuestions(t.Context(), c, false); err != nil {
				t.Fatal(err)
			}
			if n := trips.Load() - before; name == "postgres" && n != 3 {
				t.Errorf("a first round of %s took %d round trips, want 3", c.CUIL.Masked(), n)
			}
			r = rounds[name]
			if r.Attempt.Status != registry.AttemptReserved || r.Attempt.Lockout.Failures != 0 || len(r.Questions) == 0 {
				t.Errorf("%s: the first round of %s: %+v", name, c.CUIL.Masked(), r)
			}
			again, err := svc.Questions(t.Context(), c)
			mustNotFail(t, err)
			if !reflect.DeepEqual(again, r.Questions) {
				t.Errorf("%s: the questions stored for %s are not those shown", name, c.CUIL.Masked())
			}
		}
		if !reflect.DeepEqual(rounds["postgres"].Questions, rounds["sqlite"].Questions) {
			t.Errorf("the round of %s in one statement drew other questions than the calls one by one", c.CUIL.Masked())
		}
		before := trips.Load()
		r, err := svcs["postgres"].BeginQuestions(t.Context(), c, false)
		mustNotFail(t, err)
		if n := trips.Load() - before; n != 1 || r.Attempt.Status != registry.AttemptReserved || !reflect.DeepEqual(r.Questions, rounds["postgres"].Questions) {
			t.Errorf("a second round of %s: %d round trips, want 1; %+v", c.CUIL.Masked(), n, r)
		}
		if l, _ := pg.Lockout(t.Context(), c.CUIL, registry.LockValidation); l.Failures != 0 {
			t.Errorf("two rounds in progress counted as %d failures judged", l.Failures)
		}
	}
	c := cs[7]
	for range registry.DefaultPolicy().Validation.Max {
		_, err := svcs["postgres"].FailValidation(t.Context(), c.CUIL)
		mustNotFail(t, err)
	}
	r, err := svcs["postgres"].BeginQuestions(t.Context(), c, false)
	mustNotFail(t, err)
	if r.Attempt.Status != registry.AttemptLocked || r.Questions != nil {
		t.Errorf("a locked CUIL's round: %+v, want refused, nothing drawn", r)
	}
	if _, err := pg.QuestionSet(t.Context(), c.CUIL); err == nil {
		t.Error("a locked CUIL's questions were drawn and stored")
	}
}
