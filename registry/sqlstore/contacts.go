package sqlstore

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clavebot/clavebot/registry"
)

type contactRow struct {
	Kind       string `db:"kind"`
	Value      string `db:"value"`
	VerifiedAt dbTime `db:"verified_at"`
	UpdatedAt  dbTime `db:"updated_at"`
}

// Contacts returns cuil's e-mail and phone; a CUIL without any, or not in
// the registry, has none.
func (d *DB) Contacts(ctx context.Context, cuil registry.CUIL) (registry.Contacts, error) {
	var rows []contactRow
	err := d.selectAll(ctx, nil, &rows, `SELECT kind, value, verified_at, updated_at FROM contacts WHERE cuil = ?`, string(cuil))
	if err != nil {
		return registry.Contacts{}, d.fail("get contacts", err)
	}
	var cs registry.Contacts
	for _, r := range rows {
		switch c := r.contact(); c.Kind {
		case registry.ContactEmail:
			cs.Email = c
		case registry.ContactPhone:
			cs.Phone = c
		}
	}
	return cs, nil
}

// SaveContact stores c (deletes cuil's contact of its kind when c.Value is
// empty) and appends ev in the same transaction.
func (d *DB) SaveContact(ctx context.Context, cuil registry.CUIL, c registry.Contact, ev registry.AuditEvent) error {
	return d.inTx(ctx, "save contact", func(ctx context.Context, tx *sqlx.Tx) error {
		var err error
		if c.Value == "" {
			_, err = d.exec(ctx, tx, `DELETE FROM contacts WHERE cuil = ? AND kind = ?`, string(cuil), string(c.Kind))
		} else {
			_, err = d.exec(ctx, tx, `INSERT INTO contacts (cuil, kind, value, verified_at, updated_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (cuil, kind) DO UPDATE SET value = excluded.value, verified_at = excluded.verified_at, updated_at = excluded.updated_at`,
				string(cuil), string(c.Kind), c.Value, d.nullInstant(c.VerifiedAt), d.instant(c.UpdatedAt))
		}
		if err != nil {
			return err
		}
		return d.appendAudit(ctx, tx, ev)
	})
}

// nullInstant is instant, or NULL for the zero time.
func (d *DB) nullInstant(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return d.instant(t)
}
