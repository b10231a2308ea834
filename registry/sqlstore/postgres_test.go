package sqlstore

import (
	"testing"

	"github.com/clavebot/clavebot/internal/testenv"
)

func TestPostgres(t *testing.T) {
	testenv.Postgres(t)
	testStore(t, func(t *testing.T) string { return testenv.PostgresDatabase(t) })
}
