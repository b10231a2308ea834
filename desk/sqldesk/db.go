// Package sqldesk keeps the help desk's agents and records in the
// registry's database (PostgreSQL or SQLite), in its own migration set.
package sqldesk

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/jmoiron/sqlx"
)

//go:embed migrations
var embedded embed.FS

// SetName is the migration set's name in schema_migrations.
const SetName = "desk"

// Migrations are the desk's tables, laid out for sqlstore.WithMigrations:
// postgres/*.sql and sqlite/*.sql.
func Migrations() fs.FS {
	sub, err := fs.Sub(embedded, "migrations")
	if err != nil {
		panic(err) // the directory is embedded; fs.Sub fails only on a bad name
	}
	return sub
}

// DB is the desk's store.
type DB struct {
	db *sqlx.DB
}

// New returns the store over a database already migrated with
// Migrations.
func New(db *sqlx.DB) *DB { return &DB{db: db} }

// fail gives a database error its kind.
func fail(op string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errs.E(errs.NotFound, op, err)
	}
	return errs.E(errs.Unavailable, op, err)
}

func (d *DB) exec(ctx context.Context, op, query string, args ...any) (sql.Result, error) {
	res, err := d.db.ExecContext(ctx, d.db.Rebind(query), args...)
	if err != nil {
		return nil, fail(op, err)
	}
	return res, nil
}

// mustAffect turns "no row changed" into NotFound.
func mustAffect(op string, res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fail(op, err)
	}
	if n == 0 {
		return errs.E(errs.NotFound, op, fmt.Errorf("no such record"))
	}
	return nil
}

// DBX is the connection pool, for reports.
func (d *DB) DBX() *sqlx.DB { return d.db }
