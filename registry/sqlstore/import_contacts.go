package sqlstore

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clavebot/clavebot/registry"
)

// An import carries the contacts a line gives (CONTRACT §2) and leaves
// alone those it leaves out: a person may have registered them in the
// chat. Each change is audited (channel "import"), as in the chat. Lines
// without contacts cost nothing more.

// contactChange is what an import does to one contact.
type contactChange struct {
	cuil registry.CUIL
	c    registry.Contact // an empty Value deletes
	ev   registry.AuditEvent
}

// contactsWriter writes the contacts of a batch after its citizens.
type contactsWriter struct {
	batchWriter
	tx      *sqlx.Tx
	dialect string
	now     time.Time
	d       *DB
}

func (w *contactsWriter) write(ctx context.Context, batch []*registry.Citizen) error {
	if err := w.batchWriter.write(ctx, batch); err != nil {
		return err
	}
	var cuils []string
	for _, c := range batch {
		if len(c.Contacts) > 0 {
			cuils = append(cuils, string(c.CUIL))
		}
	}
	if len(cuils) == 0 {
		return nil
	}
	stored, err := w.stored(ctx, cuils)
	if err != nil {
		return err
	}
	changes := w.changes(batch, stored)
	if w.dialect == Postgres {
		return w.copyChanges(ctx, changes)
	}
	return w.execChanges(ctx, changes)
}

// changes compares what the lines say with what is stored.
func (w *contactsWriter) changes(batch []*registry.Citizen, stored map[registry.CUIL]registry.Contacts) []contactChange {
	var out []contactChange
	for _, c := range batch {
		for _, u := range c.Contacts {
			ct, ev, changed := registry.ApplyContact(c.CUIL, stored[c.CUIL].Get(u.Kind), u, w.now, "import")
			if changed {
				out = append(out, contactChange{cuil: c.CUIL, c: ct, ev: ev})
			}
		}
	}
	return out
}

// stored reads the contacts of cuils, a thousand at a time; on
// PostgreSQL it locks them until the import commits, so a person's change
// in the chat meanwhile waits rather than being overwritten.
func (w *contactsWriter) stored(ctx context.Context, cuils []string) (map[registry.CUIL]registry.Contacts, error) {
	out := map[registry.CUIL]registry.Contacts{}
	for len(cuils) > 0 {
		n := min(len(cuils), 1000)
		q := `SELECT cuil, kind, value, verified_at, updated_at FROM contacts WHERE cuil IN (` + placeholders(n) + `)`
		if w.dialect == Postgres {
			q += ` FOR UPDATE`
		}
		args := make([]any, n)
		for i, c := range cuils[:n] {
			args[i] = c
		}
		var rows []struct {
			CUIL string `db:"cuil"`
			contactRow
		}
		if err := w.tx.SelectContext(ctx, &rows, w.tx.Rebind(q), args...); err != nil {
			return nil, err
		}
		for _, r := range rows {
			cs := out[registry.CUIL(r.CUIL)]
			c := r.contact()
			if c.Kind == registry.ContactEmail {
				cs.Email = c
			} else {
				cs.Phone = c
			}
			out[registry.CUIL(r.CUIL)] = cs
		}
		cuils = cuils[n:]
	}
	return out, nil
}

// execChanges writes changes a statement each: SQLite, where a statement
// costs no round trip.
func (w *contactsWriter) execChanges(ctx context.Context, changes []contactChange) error {
	for _, ch := range changes {
		var err error
		if ch.c.Value == "" {
			_, err = w.tx.ExecContext(ctx, w.tx.Rebind(`DELETE FROM contacts WHERE cuil = ? AND kind = ?`), string(ch.cuil), string(ch.c.Kind))
		} else {
			_, err = w.tx.ExecContext(ctx, w.tx.Rebind(upsertContact+` VALUES (?, ?, ?, ?, ?)`+onContactConflict),
				w.contactArgs(ch)...)
		}
		if err != nil {
			return err
		}
		if err := w.d.appendAudit(ctx, w.tx, ch.ev); err != nil {
			return err
		}
	}
	return nil
}

const (
	upsertContact     = `INSERT INTO contacts (cuil, kind, value, verified_at, updated_at)`
	onContactConflict = ` ON CONFLICT (cuil, kind) DO UPDATE SET value = excluded.value, verified_at = excluded.verified_at, updated_at = excluded.updated_at`
)

func (w *contactsWriter) contactArgs(ch contactChange) []any {
	return []any{string(ch.cuil), string(ch.c.Kind), ch.c.Value, w.d.nullInstant(ch.c.VerifiedAt), w.d.instant(ch.c.UpdatedAt)}
}

// copyChanges is PostgreSQL's path: the changes are COPYed into a
// temporary table and applied in two statements, the audit events COPYed
// straight into the audit table.
func (w *contactsWriter) copyChanges(ctx context.Context, changes []contactChange) error {
	if len(changes) == 0 {
		return nil
	}
	if _, err := w.tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS import_contacts (LIKE contacts) ON COMMIT DROP`); err != nil {
		return err
	}
	err := copyIn(ctx, w.tx, "import_contacts", []string{"cuil", "kind", "value", "verified_at", "updated_at"}, func(put putFunc) error {
		for _, ch := range changes {
			if err := put(w.contactArgs(ch)...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = w.tx.ExecContext(ctx, `DELETE FROM contacts c USING import_contacts i WHERE c.cuil = i.cuil AND c.kind = i.kind AND i.value = '';
`+upsertContact+` SELECT cuil, kind, value, verified_at, updated_at FROM import_contacts WHERE value <> ''`+onContactConflict+`;
TRUNCATE import_contacts;`)
	if err != nil {
		return err
	}
	return copyIn(ctx, w.tx, "audit", []string{"at", "cuil", "action", "channel", "detail"}, func(put putFunc) error {
		for _, ch := range changes {
			ev := ch.ev
			if err := put(w.d.instant(ev.At), string(ev.CUIL), string(ev.Action), ev.Channel, ev.Detail); err != nil {
				return err
			}
		}
		return nil
	})
}

// withContacts makes w write the batches' contacts too.
func (d *DB) withContacts(tx *sqlx.Tx, now time.Time, w batchWriter) batchWriter {
	return &contactsWriter{batchWriter: w, tx: tx, dialect: d.dialect, now: now, d: d}
}

func (r contactRow) contact() registry.Contact {
	return registry.Contact{Kind: registry.ContactKind(r.Kind), Value: r.Value, VerifiedAt: r.VerifiedAt.Time, UpdatedAt: r.UpdatedAt.Time}
}
