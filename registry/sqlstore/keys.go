package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// Key returns cuil's stored hash, or NotFound when it has no key.
func (d *DB) Key(ctx context.Context, cuil registry.CUIL) (registry.KeyRecord, error) {
	const op = "get key"
	var row struct {
		Hash   string `db:"hash"`
		SetAt  dbTime `db:"set_at"`
		Origin string `db:"origin"`
	}
	err := d.stmts.key.GetContext(ctx, &row, string(cuil))
	if errors.Is(err, sql.ErrNoRows) {
		return registry.KeyRecord{}, errs.E(errs.NotFound, op, errors.New("no key for CUIL "+cuil.Masked()))
	}
	if err != nil {
		return registry.KeyRecord{}, d.fail(op, err)
	}
	return registry.KeyRecord{Hash: row.Hash, SetAt: row.SetAt.Time, Origin: row.Origin}, nil
}

// SaveKey stores k as cuil's key, set at ev.At, appends ev and clears the
// lockouts of k.Clear (their rows and reserved attempts), in one
// transaction. A CUIL that is not in the registry is NotFound; with
// k.First, a CUIL that has a key is Conflict, and nothing is written. On
// PostgreSQL it is one statement, so one round trip.
func (d *DB) SaveKey(ctx context.Context, cuil registry.CUIL, k registry.KeySave, ev registry.AuditEvent) error {
	const op = "save key"
	for _, kind := range k.Clear {
		if err := checkKind(op, kind); err != nil {
			return err
		}
	}
	at := d.instant(d.eventTime(ev))
	if st := d.stmts.saveKey; st != nil && k.Over.IsZero() {
		if k.First {
			st = d.stmts.createKey
		}
		_, err := st.ExecContext(ctx, string(cuil), k.Hash, at, string(ev.Action), ev.Channel, ev.Detail,
			k.Origin, pq.Array(kindNames(k.Clear)))
		if err != nil {
			return d.fail(op, err)
		}
		return nil
	}
	return d.inTx(ctx, op, func(ctx context.Context, tx *sqlx.Tx) error {
		if !k.Over.IsZero() {
			if err := d.keyStillSetAt(ctx, tx, cuil, k.Over); err != nil {
				return err
			}
		}
		conflict := keyUpsert
		if k.First {
			conflict = ""
		}
		_, err := d.exec(ctx, tx, `INSERT INTO keys (cuil, hash, set_at, origin) VALUES (?, ?, ?, ?) `+conflict,
			string(cuil), k.Hash, at, k.Origin)
		if err != nil {
			return err
		}
		for _, kind := range k.Clear {
			if err := d.clearRow(ctx, tx, cuil, kind); err != nil {
				return err
			}
		}
		return d.appendAudit(ctx, tx, ev)
	})
}

func kindNames(kinds []registry.LockKind) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

// keyStillSetAt is errs.Conflict unless cuil's key was set at over, to the
// millisecond (KeySave.Over). On PostgreSQL the row stays locked to the
// transaction's end: a change at the same instant waits, then finds the
// key changed.
func (d *DB) keyStillSetAt(ctx context.Context, tx *sqlx.Tx, cuil registry.CUIL, over time.Time) error {
	q := `SELECT set_at FROM keys WHERE cuil = ?`
	if d.dialect != SQLite {
		q += ` FOR UPDATE`
	}
	var at dbTime
	err := d.get(ctx, tx, &at, q, string(cuil))
	if errors.Is(err, sql.ErrNoRows) || err == nil && at.UnixMilli() != over.UnixMilli() {
		return errs.E(errs.Conflict, "save key", errors.New("the key changed since it was proved"))
	}
	return err
}
