package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// inTx runs fn in a transaction, committing when it returns nil. Errors are
// classified by fail.
func (d *DB) inTx(ctx context.Context, op string, fn func(context.Context, *sqlx.Tx) error) error {
	tx, err := d.db.BeginTxx(ctx, nil)
	if err != nil {
		return d.fail(op, err)
	}
	if err := fn(ctx, tx); err != nil {
		tx.Rollback() // the error that matters is fn's
		return d.fail(op, err)
	}
	if err := tx.Commit(); err != nil {
		return d.fail(op, err)
	}
	return nil
}

// fail wraps a database error once with a kind: a broken foreign key is
// NotFound (no such citizen), another broken constraint a Conflict, an error
// that already is a *errs.Error keeps its kind, and the rest (connections, timeouts, a
// full disk) is Unavailable: the caller should try again later.
func (d *DB) fail(op string, err error) error {
	switch {
	case errors.As(err, new(*errs.Error)):
		return fmt.Errorf("%s: %w", op, err)
	case errors.Is(err, sql.ErrNoRows):
		return errs.E(errs.NotFound, op, err)
	case isForeignKey(err):
		return errs.E(errs.NotFound, op, err)
	case isConstraint(err):
		return errs.E(errs.Conflict, op, err)
	}
	return errs.E(errs.Unavailable, op, fmt.Errorf("%s: %w", d.where, err))
}

func isForeignKey(err error) bool {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return pe.Code == "23503"
	}
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

func isConstraint(err error) bool {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return pe.Code.Class() == "23"
	}
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT
}
