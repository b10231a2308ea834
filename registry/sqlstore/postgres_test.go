package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"
)

// postgresServer returns the test server's URL, skipping the test when it
// is down, unless in CI where a missing server is a failure.
func postgresServer(t testing.TB) string {
	t.Helper()
	u := os.Getenv("CLAVEBOT_TEST_POSTGRES_URL")
	if u == "" {
		u = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	db, err := sql.Open("postgres", u)
	if err == nil {
		err = db.PingContext(context.Background())
		db.Close()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s: %v", u, err)
		}
		t.Skipf("no PostgreSQL at %s: %v", u, err)
	}
	return u
}

// freshDatabase creates an empty database on the server for one test and
// drops it when the test ends, so tests of several packages can run at once.
func freshDatabase(t testing.TB, server string) string {
	t.Helper()
	admin, err := sql.Open("postgres", server)
	mustNotFail(t, err)
	t.Cleanup(func() { admin.Close() })
	name := "clavebot_test_" + strings.ToLower(rand.Text()[:16])
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	u, err := url.Parse(server)
	mustNotFail(t, err)
	u.Path = "/" + name
	return u.String()
}

func TestPostgres(t *testing.T) {
	server := postgresServer(t)
	testStore(t, func(t *testing.T) string { return freshDatabase(t, server) })
}
