package sqlstore

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/roundtrip"
	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/registry"
)

// TestPostgresReadsInOneRoundTrip counts what reaching PostgreSQL costs:
// a citizen with their employers and benefits, the CUIL step's whole
// lookup, and a key saved with its audit event and the lockouts it clears
// are one round trip each once the connection has its statements.
func TestPostgresReadsInOneRoundTrip(t *testing.T) {
	var trips roundtrip.Counter
	d := openStore(t, testenv.PostgresDatabase(t), WithDialer(trips.Dialer(netDial)), WithPool(Pool{MaxConns: 1}))
	importLines(t, d, citizenLine(31456789, nil))
	cuil := cuilOf(31456789)
	reads := []struct {
		name string
		read func() error
	}{
		{"Citizen", func() error { _, err := d.Citizen(t.Context(), cuil); return err }},
		{"Lookup", func() error { _, err := d.Lookup(t.Context(), cuil); return err }},
		{"Key", func() error { _, err := d.Key(t.Context(), cuil); return ignoreNotFound(err) }},
		{"SaveKey", func() error {
			ev := registry.AuditEvent{At: t0, CUIL: cuil, Action: registry.ActionKeyChanged, Channel: "test"}
			k := registry.KeySave{Hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", Origin: "s1.nonce",
				Clear: []registry.LockKind{registry.LockKey, registry.LockKeyKnown, registry.LockValidation}}
			return d.SaveKey(t.Context(), cuil, k, ev)
		}},
	}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			mustNotFail(t, r.read()) // the connection prepares the statement once
			before := trips.Load()
			for range 10 {
				mustNotFail(t, r.read())
			}
			if n := trips.Load() - before; n != 10 {
				t.Errorf("10 reads took %d round trips, want 10", n)
			}
		})
	}
}

// TestPostgresFirstQuestionsInThreeRoundTrips: a person's first identity
// questions, at the identity step of every first validation, cost three
// round trips once the connection has its statements: the stored set
// (none) read with the donors' window, the donors' rows, the set saved.
func TestPostgresFirstQuestionsInThreeRoundTrips(t *testing.T) {
	var trips roundtrip.Counter
	d := openStore(t, testenv.PostgresDatabase(t), WithDialer(trips.Dialer(netDial)), WithPool(Pool{MaxConns: 1}))
	cs := importSynth(t, d, 300, 6)
	now := func() time.Time { return synthNow }
	svc := registry.NewService(d, registry.NewHasher(registry.HashParams{Memory: 64, Time: 1, Threads: 1}, 1), registry.DefaultPolicy(), 1, registry.WithClock(now))
	var women []*registry.Citizen
	for _, c := range cs {
		if c.Sex == "F" {
			women = append(women, c)
		}
	}
	_, err := svc.Questions(t.Context(), women[0]) // prepares the statements
	mustNotFail(t, err)
	for _, c := range women[1:11] {
		before := trips.Load()
		qs, err := svc.Questions(t.Context(), c)
		mustNotFail(t, err)
		if n := trips.Load() - before; n != 3 || len(qs) == 0 {
			t.Errorf("first questions of %s: %d questions in %d round trips, want 3", c.CUIL.Masked(), len(qs), n)
		}
		before = trips.Load()
		_, err = svc.Questions(t.Context(), c)
		mustNotFail(t, err)
		if n := trips.Load() - before; n != 1 {
			t.Errorf("stored questions of %s read in %d round trips, want 1", c.CUIL.Masked(), n)
		}
	}
}

// TestPostgresGiveBackInOneRoundTrip: a round of questions left gives its
// attempt back in one round trip (six in the settling transaction), and
// gives it back as that transaction does.
func TestPostgresGiveBackInOneRoundTrip(t *testing.T) {
	var trips roundtrip.Counter
	d := openStore(t, testenv.PostgresDatabase(t), WithDialer(trips.Dialer(netDial)), WithPool(Pool{MaxConns: 1}))
	cuil := cuilOf(31456789)
	for i := range 4 {
		id := "leave-" + string(rune('a'+i))
		_, err := d.ReserveAttempt(t.Context(), cuil, registry.LockValidation, id, t0, validationRule, attemptTTL)
		mustNotFail(t, err)
		before := trips.Load()
		mustNotFail(t, d.GiveBackAttempt(t.Context(), cuil, registry.LockValidation, id, t0))
		if n := trips.Load() - before; i > 0 && n != 1 {
			t.Errorf("given back in %d round trips, want 1", n)
		}
	}
	if l, _ := d.Lockout(t.Context(), cuil, registry.LockValidation); l.Failures != 0 {
		t.Fatalf("after four rounds given back: %+v", l)
	}
}

func ignoreNotFound(err error) error {
	if errs.Is(errs.NotFound, err) {
		return nil
	}
	return err
}

// TestPostgresPoolKeepsItsConnections: under concurrent use the pool
// keeps as many idle connections as it may open, so PostgreSQL does not
// fork a backend for each query.
func TestPostgresPoolKeepsItsConnections(t *testing.T) {
	d := openStore(t, testenv.PostgresDatabase(t), WithPool(Pool{MaxConns: 5, ConnLifetime: time.Minute}))
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := d.DB().ExecContext(t.Context(), `SELECT pg_sleep(0.02)`)
			mustNotFail(t, err)
		}()
	}
	wg.Wait()
	st := d.DB().Stats()
	if st.MaxOpenConnections != 5 || st.OpenConnections != 5 || st.Idle != 5 {
		t.Errorf("pool: %d open of %d allowed, %d idle; want 5, 5, 5", st.OpenConnections, st.MaxOpenConnections, st.Idle)
	}
}

// TestPostgresStatementTimeout: a statement running past the timeout is
// cancelled and reported Unavailable, while migrations (run by Open) are
// not held to it.
func TestPostgresStatementTimeout(t *testing.T) {
	d := openStore(t, testenv.PostgresDatabase(t), WithStatementTimeout(50*time.Millisecond))
	_, err := d.DB().ExecContext(t.Context(), `SELECT pg_sleep(0.5)`)
	var pe *pq.Error
	if !errors.As(err, &pe) || pe.Code != "57014" {
		t.Fatalf("a 500 ms statement under a 50 ms timeout: %v, want query_canceled (57014)", err)
	}
	if err := d.fail("slow", err); !errs.Is(errs.Unavailable, err) {
		t.Errorf("a cancelled statement is %v, want Unavailable", errs.KindOf(err))
	}
	_, err = d.DB().ExecContext(t.Context(), `SELECT pg_sleep(0.01)`)
	mustNotFail(t, err)
}

// TestPostgresTLS: the URL's sslmode is honoured: require encrypts the
// connection; verify-full refuses a server whose certificate it cannot
// check.
func TestPostgresTLS(t *testing.T) {
	base := testenv.PostgresDatabase(t)
	d := openStore(t, strings.Replace(base, "sslmode=disable", "sslmode=require", 1))
	var ssl bool
	err := d.DB().GetContext(t.Context(), &ssl, `SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`)
	mustNotFail(t, err)
	if !ssl {
		t.Error("sslmode=require connected without TLS")
	}
	bad := strings.Replace(base, "sslmode=disable", "sslmode=verify-full&sslrootcert=/nonexistent/root.crt", 1)
	if d, err := Open(t.Context(), bad, discard); err == nil {
		d.Close()
		t.Error("verify-full without the root certificate connected")
	}
}

// TestPostgresReadReplica: citizens' records come from the read URL, keys
// and lockouts (the lookup) from the primary, which alone is migrated.
func TestPostgresReadReplica(t *testing.T) {
	primaryURL, replicaURL := testenv.PostgresDatabase(t), testenv.PostgresDatabase(t)
	replica := openStore(t, replicaURL) // stands for a replica of the primary, with older data
	importLines(t, replica, citizenLine(31456789, func(m map[string]any) { m["first_names"] = "Réplica" }))
	d := openStore(t, primaryURL, WithReadURL(replicaURL))
	importLines(t, d, citizenLine(31456789, nil))
	cuil := cuilOf(31456789)
	c, err := d.Citizen(t.Context(), cuil)
	mustNotFail(t, err)
	if c.FirstNames != "Réplica" {
		t.Errorf("Citizen read %q, want the replica's record", c.FirstNames)
	}
	l, err := d.Lookup(t.Context(), cuil)
	mustNotFail(t, err)
	if l.Citizen == nil || l.Citizen.FirstNames != "María Belén" {
		t.Errorf("Lookup read %+v, want the primary's record", l.Citizen)
	}
	// The replica goes away: records come from the primary meanwhile.
	admin := openStore(t, primaryURL)
	name := replicaURL[strings.LastIndex(replicaURL, "/")+1 : strings.Index(replicaURL, "?")]
	_, err = admin.DB().ExecContext(t.Context(), `ALTER DATABASE `+name+` ALLOW_CONNECTIONS false`)
	mustNotFail(t, err)
	_, err = admin.DB().ExecContext(t.Context(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, name)
	mustNotFail(t, err)
	c, err = d.Citizen(t.Context(), cuil)
	if err != nil || c.FirstNames != "María Belén" {
		t.Errorf("with the replica gone, Citizen = %+v, %v; want the primary's record", c, err)
	}
	if _, err := Open(t.Context(), primaryURL, discard, WithReadURL("sqlite:x.db")); err == nil {
		t.Error("a read URL of another kind of database was accepted")
	}
}
