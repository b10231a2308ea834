package dialog_test

import (
	"database/sql"
	"net/url"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// TestPostgresRefusingLosesNothing: PostgreSQL itself refuses (the
// database closed to connections and its sessions ended, as in a restart
// or a failover), where TestPostgresOutageLosesNothing cuts the network.
// The person is told the system has trouble and asked the same question;
// once the database takes connections again, the pool's connections that
// were ended under it cost the person nothing: the next turn goes on
// (found by a people probe on serve, pg_terminate_backend mid-creation).
func TestPostgresRefusingLosesNothing(t *testing.T) {
	dbURL := testenv.PostgresDatabase(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	admin, err := sql.Open("postgres", testenv.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := admin.ExecContext(t.Context(), q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	endSessions := func() (n int) {
		t.Helper()
		q := `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1`
		if err := admin.QueryRowContext(t.Context(), q, name).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	h := newHarness(t)
	h.eng = dialog.New(h.store, h.service(openRegistry(t, dbURL)), h.cat, h.opts...)
	const chat = "pgrefuse"
	h.toDNIStep(chat)

	exec(`ALTER DATABASE ` + name + ` ALLOW_CONNECTIONS false`)
	t.Cleanup(func() { _, _ = admin.Exec(`ALTER DATABASE ` + name + ` ALLOW_CONNECTIONS true`) })
	endSessions()
	for range 2 {
		h.step(chat, "31456789", dialog.ExpectDNI, i18n.M("error.unavailable"))
	}

	exec(`ALTER DATABASE ` + name + ` ALLOW_CONNECTIONS true`)
	h.step(chat, "31456789", dialog.ExpectChoice, question1)
	// The pool's idle connections end under it, as in a restart: the
	// next turn that reads the registry goes on as if nothing happened.
	const other = "pgrefuse-2"
	h.toDNIStep(other)
	if n := endSessions(); n == 0 {
		t.Fatal("no session of the registry's pool to end")
	}
	h.step(other, "31456789", dialog.ExpectChoice, question1)
}
