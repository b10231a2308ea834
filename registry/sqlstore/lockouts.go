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

// The count in lockouts.failures is the failures judged and the attempts
// in progress together: one number decides, in one statement, whether
// another attempt may be reserved (reserveAtOnceSQL). What locks, and
// what is told, is the failures judged alone (see registry.Lockout).

// heldSQL counts a CUIL's attempts of a kind in progress, expired ones not
// yet given back included, as the count holds them.
const heldSQL = `(SELECT count(*) FROM attempts a WHERE a.cuil = %s AND a.kind = %s)`

// held counts cuil's attempts of kind in progress (see heldSQL).
func (d *DB) held(ctx context.Context, tx *sqlx.Tx, cuil registry.CUIL, kind registry.LockKind) (int, error) {
	var n int
	err := d.get(ctx, tx, &n, fmt.Sprintf(`SELECT `+heldSQL, "?", "?"), string(cuil), string(kind))
	return n, err
}

// judged is l with the failures judged alone: its count less the held
// attempts.
func judged(l registry.Lockout, held int) registry.Lockout {
	l.Failures = max(l.Failures-held, 0)
	return l
}

// lockActions are the audit actions of a lock, by kind.
var lockActions = map[registry.LockKind]registry.Action{
	registry.LockKey:         registry.ActionKeyLocked,
	registry.LockKeyKnown:    registry.ActionKeyLocked,
	registry.LockValidation:  registry.ActionValidationLocked,
	registry.LockContactCode: registry.ActionContactCodesLocked,
}

func checkKind(op string, kind registry.LockKind) error {
	if _, ok := lockActions[kind]; !ok {
		return errs.E(errs.Invalid, op, fmt.Errorf("unknown lock kind %q", kind))
	}
	return nil
}

// Lockout returns cuil's failures and lock of kind; a CUIL never seen has
// none.
func (d *DB) Lockout(ctx context.Context, cuil registry.CUIL, kind registry.LockKind) (registry.Lockout, error) {
	var r lockoutRow
	err := d.get(ctx, nil, &r, `SELECT failures - `+fmt.Sprintf(heldSQL, "lockouts.cuil", "lockouts.kind")+` AS failures, locked_until
		FROM lockouts WHERE cuil = ? AND kind = ?`, string(cuil), string(kind))
	if errors.Is(err, sql.ErrNoRows) {
		return registry.Lockout{}, nil
	}
	if err != nil {
		return registry.Lockout{}, d.fail("get lockout", err)
	}
	return judged(r.lockout(), 0), nil
}

// takeRow returns cuil's lockout row of kind, creating it, and holds it
// for the rest of tx: the upsert takes the row's lock on PostgreSQL, and
// SQLite's transactions hold the database's write lock from BEGIN
// IMMEDIATE. So every decision about one CUIL's count (count a failure,
// reserve or settle an attempt) is made one at a time, across processes.
func (d *DB) takeRow(ctx context.Context, tx *sqlx.Tx, cuil registry.CUIL, kind registry.LockKind) (registry.Lockout, error) {
	var r lockoutRow
	err := d.get(ctx, tx, &r, `INSERT INTO lockouts (cuil, kind, failures) VALUES (?, ?, 0)
		ON CONFLICT (cuil, kind) DO UPDATE SET failures = lockouts.failures
		RETURNING failures, locked_until`, string(cuil), string(kind))
	return r.lockout(), err
}

func (d *DB) setFailures(ctx context.Context, tx *sqlx.Tx, cuil registry.CUIL, kind registry.LockKind, n int) error {
	_, err := d.exec(ctx, tx, `UPDATE lockouts SET failures = ? WHERE cuil = ? AND kind = ?`, n, string(cuil), string(kind))
	return err
}

// RecordFailure counts one failure in a transaction holding cuil's row: a
// failure while locked is not counted; the one that makes rule.Max failures
// judged (attempts in progress are none) locks, resets the count and writes
// the audit event before anyone else counts.
func (d *DB) RecordFailure(ctx context.Context, cuil registry.CUIL, kind registry.LockKind, now time.Time, rule registry.LockRule) (registry.Lockout, error) {
	const op = "record failure"
	if err := checkKind(op, kind); err != nil {
		return registry.Lockout{}, err
	}
	var out registry.Lockout
	err := d.inTx(ctx, op, func(ctx context.Context, tx *sqlx.Tx) error {
		l, err := d.takeRow(ctx, tx, cuil, kind)
		if err != nil || l.LockedAt(now) {
			out = l
			return err
		}
		if l, err = d.giveBackExpired(ctx, tx, cuil, kind, l, now); err != nil {
			return err
		}
		l.Failures++
		h, err := d.held(ctx, tx, cuil, kind)
		if err != nil {
			return err
		}
		if out = judged(l, h); out.Failures >= rule.Max {
			out, err = d.lock(ctx, tx, cuil, kind, now, rule)
			out.JustLocked = true
			return err
		}
		return d.setFailures(ctx, tx, cuil, kind, l.Failures)
	})
	return out, err
}

// lock locks cuil's kind from at, for as long as rule says for this
// strike (a lock soon after another lasts longer): the count starts
// again, the reserved attempts are dropped (they can no longer be
// settled), and the audit event is written in the same transaction.
func (d *DB) lock(ctx context.Context, tx *sqlx.Tx, cuil registry.CUIL, kind registry.LockKind, at time.Time, rule registry.LockRule) (registry.Lockout, error) {
	var prev struct {
		Strikes int    `db:"strikes"`
		Until   dbTime `db:"locked_until"`
	}
	err := d.get(ctx, tx, &prev, `SELECT strikes, locked_until FROM lockouts WHERE cuil = ? AND kind = ?`,
		string(cuil), string(kind))
	if err != nil {
		return registry.Lockout{}, err
	}
	strike := registry.NextStrike(prev.Strikes, prev.Until.Time, at)
	until := at.Add(rule.LockFor(strike))
	var r lockoutRow
	err = d.get(ctx, tx, &r, `UPDATE lockouts SET failures = 0, strikes = ?, locked_until = ?
		WHERE cuil = ? AND kind = ? RETURNING failures, locked_until`,
		strike, d.instant(until), string(cuil), string(kind))
	if err != nil {
		return registry.Lockout{}, err
	}
	if err := d.dropAttempts(ctx, tx, cuil, kind); err != nil {
		return registry.Lockout{}, err
	}
	ev := registry.AuditEvent{At: at, CUIL: cuil, Action: lockActions[kind],
		Detail: fmt.Sprintf("%s: %d failures; locked for %s (lock %d in a row)", kind, rule.Max, until.Sub(at).Round(time.Second), strike)}
	return r.lockout(), d.appendAudit(ctx, tx, ev)
}

// ClearFailures forgets cuil's failures, reserved attempts and lock of
// kind.
func (d *DB) ClearFailures(ctx context.Context, cuil registry.CUIL, kind registry.LockKind) error {
	return d.inTx(ctx, "clear failures", func(ctx context.Context, tx *sqlx.Tx) error {
		return d.clearRow(ctx, tx, cuil, kind)
	})
}

func (d *DB) clearRow(ctx context.Context, tx *sqlx.Tx, cuil registry.CUIL, kind registry.LockKind) error {
	if _, err := d.exec(ctx, tx, `DELETE FROM lockouts WHERE cuil = ? AND kind = ?`, string(cuil), string(kind)); err != nil {
		return err
	}
	return d.dropAttempts(ctx, tx, cuil, kind)
}

func (d *DB) dropAttempts(ctx context.Context, tx *sqlx.Tx, cuil registry.CUIL, kind registry.LockKind) error {
	_, err := d.exec(ctx, tx, `DELETE FROM attempts WHERE cuil = ? AND kind = ?`, string(cuil), string(kind))
	return err
}
