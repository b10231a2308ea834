package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jmoiron/sqlx"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// Key returns cuil's stored hash, or NotFound when it has no key.
func (d *DB) Key(ctx context.Context, cuil registry.CUIL) (registry.KeyRecord, error) {
	const op = "get key"
	var row struct {
		Hash  string `db:"hash"`
		SetAt dbTime `db:"set_at"`
	}
	err := d.stmts.key.GetContext(ctx, &row, string(cuil))
	if errors.Is(err, sql.ErrNoRows) {
		return registry.KeyRecord{}, errs.E(errs.NotFound, op, errors.New("no key for CUIL "+cuil.Masked()))
	}
	if err != nil {
		return registry.KeyRecord{}, d.fail(op, err)
	}
	return registry.KeyRecord{Hash: row.Hash, SetAt: row.SetAt.Time}, nil
}

// SaveKey stores hash as cuil's key, set at ev.At, and appends ev in the same
// transaction. A CUIL that is not in the registry is NotFound. On
// PostgreSQL both writes are one statement, so one round trip.
func (d *DB) SaveKey(ctx context.Context, cuil registry.CUIL, hash string, ev registry.AuditEvent) error {
	if d.stmts.saveKey != nil {
		at := d.instant(d.eventTime(ev))
		_, err := d.stmts.saveKey.ExecContext(ctx, string(cuil), hash, at, string(ev.Action), ev.Channel, ev.Detail)
		if err != nil {
			return d.fail("save key", err)
		}
		return nil
	}
	return d.inTx(ctx, "save key", func(ctx context.Context, tx *sqlx.Tx) error {
		_, err := d.exec(ctx, tx, `INSERT INTO keys (cuil, hash, set_at) VALUES (?, ?, ?)
			ON CONFLICT (cuil) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at`,
			string(cuil), hash, d.instant(d.eventTime(ev)))
		if err != nil {
			return err
		}
		return d.appendAudit(ctx, tx, ev)
	})
}
