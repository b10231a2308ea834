package sqlstore

import (
	"context"
	"database/sql"
	"errors"

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
	if st := d.stmts.saveKey; st != nil {
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
