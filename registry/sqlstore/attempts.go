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

// ReserveAttempt reserves attempt id in a transaction holding cuil's row
// (see takeRow): the lock, the count and the reserved attempts are read
// and changed by one decision at a time.
func (d *DB) ReserveAttempt(ctx context.Context, cuil registry.CUIL, kind registry.LockKind, id string, now time.Time, rule registry.LockRule, ttl time.Duration) (registry.Attempt, error) {
	const op = "reserve attempt"
	if err := checkKind(op, kind); err != nil {
		return registry.Attempt{}, err
	}
	if out, ok, err := d.reserveAtOnce(ctx, cuil, kind, id, now, rule, ttl); ok || err != nil {
		if err != nil {
			return registry.Attempt{}, d.fail(op, err)
		}
		return out, nil
	}
	var out registry.Attempt
	err := d.inTx(ctx, op, func(ctx context.Context, tx *sqlx.Tx) error {
		l, err := d.takeRow(ctx, tx, cuil, kind)
		if err != nil {
			return err
		}
		if l.LockedAt(now) {
			out = registry.Attempt{Status: registry.AttemptLocked, Lockout: l}
			return nil
		}
		if l, err = d.giveBackExpired(ctx, tx, cuil, kind, l, now); err != nil {
			return err
		}
		if l.Failures >= rule.Max {
			if out, err = d.fullWindow(ctx, tx, cuil, kind, l, now); err != nil || out.Status != "" {
				return err
			}
			l.Failures = 0
		}
		expires := now.Add(ttl).UTC().Truncate(time.Microsecond)
		_, err = d.exec(ctx, tx, `INSERT INTO attempts (id, cuil, kind, expires_at) VALUES (?, ?, ?, ?)`,
			id, string(cuil), string(kind), d.instant(expires))
		if err != nil {
			return err
		}
		l.Failures++
		h, err := d.held(ctx, tx, cuil, kind)
		if err != nil {
			return err
		}
		out = registry.Attempt{ID: id, Status: registry.AttemptReserved, Lockout: judged(l, h), Expires: expires}
		return d.setFailures(ctx, tx, cuil, kind, l.Failures)
	})
	return out, err
}

// reserveAtOnceSQL is ReserveAttempt's common case in one statement: the
// CUIL's row neither locked nor at the policy's count. The upsert counts
// the attempt and holds the row while the attempt is stored, all in the
// statement's own transaction; when the row is locked or full, its WHERE
// leaves it alone, nothing is stored and no row comes back.
const reserveAtOnceSQL = `WITH l AS (
		INSERT INTO lockouts (cuil, kind, failures) VALUES (?, ?, 1)
		` + reserveRestSQL + `
	SELECT l.failures - 1 - ` + heldBeforeSQL + ` AS failures, l.locked_until FROM l, a`

// reserveRestSQL ends the CTEs l (after the row inserted) and a of a
// reservation in one statement; its parameters are the policy's count,
// now, the attempt's id and its expiry.
const reserveRestSQL = `ON CONFLICT (cuil, kind) DO UPDATE SET failures = lockouts.failures + 1
		WHERE lockouts.failures < ? AND (lockouts.locked_until IS NULL OR lockouts.locked_until <= ?)
		RETURNING cuil, kind, failures, locked_until),
	a AS (INSERT INTO attempts (id, cuil, kind, expires_at) SELECT ?, l.cuil, l.kind, ? FROM l RETURNING id)`

// heldBeforeSQL is heldSQL for reserveAtOnceSQL: the statement sees the
// attempts as they were before it, without the one it inserts.
const heldBeforeSQL = `(SELECT count(*) FROM attempts x WHERE x.cuil = l.cuil AND x.kind = l.kind)`

// reserveAtOnce reserves attempt id in one round trip on PostgreSQL when
// the CUIL is neither locked nor at the policy's count (every attempt of
// a person who has not failed), and reports false otherwise: locked, full
// windows and SQLite take the transaction, which decides them.
func (d *DB) reserveAtOnce(ctx context.Context, cuil registry.CUIL, kind registry.LockKind, id string, now time.Time, rule registry.LockRule, ttl time.Duration) (registry.Attempt, bool, error) {
	if d.dialect != Postgres || rule.Max < 1 {
		return registry.Attempt{}, false, nil
	}
	expires := now.Add(ttl).UTC().Truncate(time.Microsecond)
	var r lockoutRow
	err := d.get(ctx, nil, &r, reserveAtOnceSQL, string(cuil), string(kind), rule.Max, d.instant(now), id, d.instant(expires))
	if errors.Is(err, sql.ErrNoRows) {
		return registry.Attempt{}, false, nil
	}
	if err != nil {
		return registry.Attempt{}, false, err
	}
	return registry.Attempt{ID: id, Status: registry.AttemptReserved, Lockout: judged(r.lockout(), 0), Expires: expires}, true, nil
}

// fullWindow decides about a count that still reaches rule.Max once the
// expired attempts were given back: busy while attempts are in progress;
// otherwise (a count left by a version that counted expired attempts as
// failures) a new window: zero Attempt, the count reset.
func (d *DB) fullWindow(ctx context.Context, tx *sqlx.Tx, cuil registry.CUIL, kind registry.LockKind, l registry.Lockout, now time.Time) (registry.Attempt, error) {
	var s struct {
		Open     int    `db:"open"`
		NextFree dbTime `db:"next_free"`
	}
	t := d.instant(now)
	err := d.get(ctx, tx, &s, `SELECT COALESCE(SUM(CASE WHEN expires_at > ? THEN 1 ELSE 0 END), 0) AS open,
			MIN(CASE WHEN expires_at > ? THEN expires_at END) AS next_free
		FROM attempts WHERE cuil = ? AND kind = ?`, t, t, string(cuil), string(kind))
	if err != nil {
		return registry.Attempt{}, err
	}
	if s.Open > 0 {
		return registry.Attempt{Status: registry.AttemptBusy, Lockout: registry.Lockout{Failures: max(l.Failures-s.Open, 0), Until: s.NextFree.Time}}, nil
	}
	if err := d.dropAttempts(ctx, tx, cuil, kind); err != nil {
		return registry.Attempt{}, err
	}
	return registry.Attempt{}, d.setFailures(ctx, tx, cuil, kind, 0)
}

// giveBackExpired gives back cuil's attempts of kind that expired
// unsettled, in a transaction holding its row (see takeRow), and returns
// l with its count lowered by as many. Nothing was judged in them
// (answers are judged only at a round's end, in SettleAttempt): a round
// whose chat never came back (its state lost with Redis, a terminal chat
// interrupted) is void, as a round left is. While held, an attempt counts
// toward rule.Max, so parallel chats get no more attempts than the
// policy's; expired, it counts for nothing.
func (d *DB) giveBackExpired(ctx context.Context, tx *sqlx.Tx, cuil registry.CUIL, kind registry.LockKind, l registry.Lockout, now time.Time) (registry.Lockout, error) {
	res, err := d.exec(ctx, tx, `DELETE FROM attempts WHERE cuil = ? AND kind = ? AND expires_at <= ?`,
		string(cuil), string(kind), d.instant(now))
	if err != nil {
		return l, err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return l, err
	}
	l.Failures = max(l.Failures-int(n), 0)
	return l, d.setFailures(ctx, tx, cuil, kind, l.Failures)
}

// SettleAttempt settles attempt id in a transaction holding cuil's row.
// Deleting the attempt's row is what makes settling it happen once.
func (d *DB) SettleAttempt(ctx context.Context, cuil registry.CUIL, kind registry.LockKind, id string, outcome registry.Outcome, now time.Time, rule registry.LockRule) (registry.Attempt, error) {
	const op = "settle attempt"
	if err := checkKind(op, kind); err != nil {
		return registry.Attempt{}, err
	}
	var out registry.Attempt
	err := d.inTx(ctx, op, func(ctx context.Context, tx *sqlx.Tx) error {
		l, err := d.takeRow(ctx, tx, cuil, kind)
		if err == nil && !l.LockedAt(now) {
			l, err = d.giveBackExpired(ctx, tx, cuil, kind, l, now)
		}
		if err != nil {
			return err
		}
		live, err := d.takeAttempt(ctx, tx, cuil, kind, id, now)
		if err != nil {
			return err
		}
		if l.LockedAt(now) {
			out = registry.Attempt{ID: id, Status: registry.AttemptLocked, Lockout: l}
			return nil
		}
		// The others in progress, this one taken.
		h, err := d.held(ctx, tx, cuil, kind)
		if err != nil {
			return err
		}
		if !live {
			out = registry.Attempt{ID: id, Status: registry.AttemptStale, Lockout: judged(l, h)}
			return nil
		}
		out, err = d.settle(ctx, tx, cuil, kind, l, h, outcome, now, rule)
		out.ID = id
		return err
	})
	return out, err
}

// giveBackSQL is SettleAttempt with registry.OutcomeVoid in one statement:
// the attempt is deleted, with the CUIL's others that expired unsettled
// (see giveBackExpired), and the count they added given back unless the
// row is locked (a lock or a pass reset it). The UPDATE holds the CUIL's
// row as the transaction's takeRow does.
const giveBackSQL = `WITH a AS (
		DELETE FROM attempts WHERE cuil = ? AND kind = ? AND (id = ? OR expires_at <= ?) RETURNING id)
	UPDATE lockouts SET failures = GREATEST(failures - (SELECT count(*) FROM a), 0)
	WHERE cuil = ? AND kind = ? AND EXISTS (SELECT 1 FROM a) AND (locked_until IS NULL OR locked_until <= ?)`

// GiveBackAttempt voids attempt id, as SettleAttempt does with
// registry.OutcomeVoid, in one round trip on PostgreSQL instead of six: a
// round of identity questions left before its end gives its attempt back
// (registry.Service.LeaveValidation), on the path of every person who
// leaves them. SQLite takes the transaction.
func (d *DB) GiveBackAttempt(ctx context.Context, cuil registry.CUIL, kind registry.LockKind, id string, now time.Time) error {
	const op = "give back attempt"
	if err := checkKind(op, kind); err != nil {
		return err
	}
	if d.dialect != Postgres {
		_, err := d.SettleAttempt(ctx, cuil, kind, id, registry.OutcomeVoid, now, registry.LockRule{})
		return err
	}
	at := d.instant(now.UTC().Truncate(time.Microsecond))
	if _, err := d.exec(ctx, nil, giveBackSQL, string(cuil), string(kind), id, at, string(cuil), string(kind), at); err != nil {
		return d.fail(op, err)
	}
	return nil
}

// takeAttempt deletes attempt id when it can still be settled, and says
// whether it could. An expired one was given back (giveBackExpired).
func (d *DB) takeAttempt(ctx context.Context, tx *sqlx.Tx, cuil registry.CUIL, kind registry.LockKind, id string, now time.Time) (bool, error) {
	var exp dbTime
	err := d.get(ctx, tx, &exp, `SELECT expires_at FROM attempts WHERE id = ? AND cuil = ? AND kind = ?`, id, string(cuil), string(kind))
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil || !exp.After(now) {
		return false, err
	}
	_, err = d.exec(ctx, tx, `DELETE FROM attempts WHERE id = ?`, id)
	return err == nil, err
}

// settle settles a live attempt, taken already, of the count l, with held
// others in progress: its place in the count becomes a failure judged, or
// is given back.
func (d *DB) settle(ctx context.Context, tx *sqlx.Tx, cuil registry.CUIL, kind registry.LockKind, l registry.Lockout, held int, outcome registry.Outcome, now time.Time, rule registry.LockRule) (registry.Attempt, error) {
	switch outcome {
	case registry.OutcomePassed:
		return registry.Attempt{Status: registry.AttemptPassed}, d.clearRow(ctx, tx, cuil, kind)
	case registry.OutcomeVoid:
		l.Failures = max(l.Failures-1, 0)
		return registry.Attempt{Status: registry.AttemptVoid, Lockout: judged(l, held)}, d.setFailures(ctx, tx, cuil, kind, l.Failures)
	case registry.OutcomeFailed:
		if j := judged(l, held); j.Failures < rule.Max {
			return registry.Attempt{Status: registry.AttemptFailed, Lockout: j}, nil
		}
		l, err := d.lock(ctx, tx, cuil, kind, now, rule)
		return registry.Attempt{Status: registry.AttemptFailed, Lockout: l}, err
	}
	return registry.Attempt{}, errs.E(errs.Invalid, "settle attempt", fmt.Errorf("unknown outcome %q", outcome))
}

// KnownSource reports whether source verified cuil's key at or after since.
func (d *DB) KnownSource(ctx context.Context, cuil registry.CUIL, source string, since time.Time) (bool, error) {
	var n int
	err := d.get(ctx, nil, &n, `SELECT count(*) FROM key_sources WHERE cuil = ? AND source = ? AND last_ok >= ?`,
		string(cuil), source, d.instant(since))
	if err != nil {
		return false, d.fail("known source", err)
	}
	return n > 0, nil
}

// RememberSource records source's successful verification of cuil's key
// and forgets cuil's sources older than forgetBefore.
func (d *DB) RememberSource(ctx context.Context, cuil registry.CUIL, source string, at, forgetBefore time.Time) error {
	return d.inTx(ctx, "remember source", func(ctx context.Context, tx *sqlx.Tx) error {
		_, err := d.exec(ctx, tx, `INSERT INTO key_sources (cuil, source, last_ok) VALUES (?, ?, ?)
			ON CONFLICT (cuil, source) DO UPDATE SET last_ok = excluded.last_ok`, string(cuil), source, d.instant(at))
		if err != nil {
			return err
		}
		_, err = d.exec(ctx, tx, `DELETE FROM key_sources WHERE cuil = ? AND last_ok < ?`, string(cuil), d.instant(forgetBefore))
		return err
	})
}
