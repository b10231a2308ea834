package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

type lockoutRow struct {
	Failures int    `db:"failures"`
	Until    dbTime `db:"locked_until"`
}

func (r lockoutRow) lockout() registry.Lockout {
	return registry.Lockout{Failures: r.Failures, Until: r.Until.Time}
}

// lockActions are the audit actions of a lock, by kind.
var lockActions = map[registry.LockKind]registry.Action{
	registry.LockKey:        registry.ActionKeyLocked,
	registry.LockValidation: registry.ActionValidationLocked,
}

// Lockout returns cuil's failures and lock of kind; a CUIL never seen has
// none.
func (d *DB) Lockout(ctx context.Context, cuil registry.CUIL, kind registry.LockKind) (registry.Lockout, error) {
	var r lockoutRow
	err := d.db.GetContext(ctx, &r, d.db.Rebind(`SELECT failures, locked_until FROM lockouts WHERE cuil = ? AND kind = ?`), string(cuil), string(kind))
	if errors.Is(err, sql.ErrNoRows) {
		return registry.Lockout{}, nil
	}
	if err != nil {
		return registry.Lockout{}, d.fail("get lockout", err)
	}
	return r.lockout(), nil
}

// RecordFailure counts one failure in a transaction. The upsert takes the
// row's lock (PostgreSQL) or the database's write lock (SQLite, BEGIN
// IMMEDIATE), so concurrent failures of one CUIL count one by one; the one
// that reaches rule.Max locks, resets the count and writes the audit event
// before anyone else counts.
func (d *DB) RecordFailure(ctx context.Context, cuil registry.CUIL, kind registry.LockKind, now time.Time, rule registry.LockRule) (registry.Lockout, error) {
	action, ok := lockActions[kind]
	if !ok {
		return registry.Lockout{}, errs.E(errs.Invalid, "record failure", fmt.Errorf("unknown lock kind %q", kind))
	}
	var out registry.Lockout
	err := d.inTx(ctx, "record failure", func(ctx context.Context, tx *sqlx.Tx) error {
		var r lockoutRow
		err := tx.GetContext(ctx, &r, tx.Rebind(`INSERT INTO lockouts (cuil, kind, failures) VALUES (?, ?, 1)
			ON CONFLICT (cuil, kind) DO UPDATE SET failures = lockouts.failures + 1
			RETURNING failures, locked_until`), string(cuil), string(kind))
		if err != nil {
			return err
		}
		out = r.lockout()
		if out.Failures < rule.Max {
			return nil
		}
		out, err = d.lock(ctx, tx, cuil, kind, now, rule)
		if err != nil {
			return err
		}
		ev := registry.AuditEvent{At: now, CUIL: cuil, Action: action,
			Detail: fmt.Sprintf("%d failures; locked for %s", rule.Max, rule.For)}
		return d.appendAudit(ctx, tx, ev)
	})
	return out, err
}

func (d *DB) lock(ctx context.Context, tx *sqlx.Tx, cuil registry.CUIL, kind registry.LockKind, now time.Time, rule registry.LockRule) (registry.Lockout, error) {
	var r lockoutRow
	err := tx.GetContext(ctx, &r, tx.Rebind(`UPDATE lockouts SET failures = 0, locked_until = ?
		WHERE cuil = ? AND kind = ? RETURNING failures, locked_until`),
		d.instant(now.Add(rule.For)), string(cuil), string(kind))
	return r.lockout(), err
}

// ClearFailures forgets cuil's failures and lock of kind.
func (d *DB) ClearFailures(ctx context.Context, cuil registry.CUIL, kind registry.LockKind) error {
	_, err := d.db.ExecContext(ctx, d.db.Rebind(`DELETE FROM lockouts WHERE cuil = ? AND kind = ?`), string(cuil), string(kind))
	if err != nil {
		return d.fail("clear failures", err)
	}
	return nil
}
