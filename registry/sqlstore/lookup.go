package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/clavebot/clavebot/registry"
)

var _ registry.Looker = (*DB)(nil)

// statements are the registry's hot queries, prepared once per connection:
// each then costs one round trip (lib/pq otherwise prepares an unnamed
// statement every time, two round trips a query). Behind PgBouncer in
// transaction mode, give it max_prepared_statements (1.21 and later).
type statements struct {
	citizen, lookup, key *sqlx.Stmt
	saveKey              *sqlx.Stmt // PostgreSQL only: the key, its audit event and the lockouts it clears in one statement
	createKey            *sqlx.Stmt // PostgreSQL only: saveKey for a CUIL that has no key (KeySave.First)
	citizenPrimary       *sqlx.Stmt // with a read replica: the citizen from the primary, when the replica fails
}

func (d *DB) prepare(ctx context.Context) error {
	var err error
	prep := func(db *sqlx.DB, q string) *sqlx.Stmt {
		if err != nil {
			return nil
		}
		var st *sqlx.Stmt
		st, err = db.PreparexContext(ctx, db.Rebind(q))
		return st
	}
	citizen := `SELECT ` + citizenSQL(d.dialect, "c.cuil") + ` FROM citizens c WHERE c.cuil = ?`
	d.stmts.citizen = prep(d.read, citizen)
	if d.read != d.db {
		d.stmts.citizenPrimary = prep(d.db, citizen)
	}
	d.stmts.lookup = prep(d.db, lookupSQL(d.dialect))
	d.stmts.key = prep(d.db, `SELECT hash, set_at, origin FROM keys WHERE cuil = ?`)
	if d.dialect == Postgres {
		d.stmts.saveKey = prep(d.db, saveKeySQL(keyUpsert))
		d.stmts.createKey = prep(d.db, saveKeySQL(""))
	}
	if err != nil {
		return d.fail("prepare statements", err)
	}
	return nil
}

func (s *statements) close() error {
	var errList []error
	for _, st := range []*sqlx.Stmt{s.citizen, s.lookup, s.key, s.saveKey, s.createKey, s.citizenPrimary} {
		if st != nil {
			errList = append(errList, st.Close())
		}
	}
	return errors.Join(errList...)
}

// keyUpsert replaces the key a CUIL has. Without it, a key is only
// inserted: one the CUIL has already breaks the primary key, and nothing
// is written (KeySave.First).
const keyUpsert = `ON CONFLICT (cuil) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at, origin = excluded.origin`

// saveKeySQL stores a key (upserts it with keyUpsert), appends its audit
// event and clears the lockouts of the kinds in $8 (their rows and
// reserved attempts) in one statement: atomic like a transaction, one
// round trip instead of a dozen. A CUIL not in the registry breaks the
// foreign key, and nothing is written.
func saveKeySQL(conflict string) string {
	return `WITH k AS (
		INSERT INTO keys (cuil, hash, set_at, origin) VALUES ($1, $2, $3, $7)
		` + conflict + `
		RETURNING cuil, set_at),
	l AS (DELETE FROM lockouts WHERE cuil = $1 AND kind = ANY($8::text[])),
	a AS (DELETE FROM attempts WHERE cuil = $1 AND kind = ANY($8::text[]))
	INSERT INTO audit (at, cuil, action, channel, detail) SELECT k.set_at, k.cuil, $4, $5, $6 FROM k`
}

// lookupSQL reads, for one CUIL, the citizen (if any) with their employers
// and benefits, whether they have a key, and both lockouts: everything the
// CUIL step decides on. The lockouts are read even for a CUIL that is not
// in the registry, since failures are counted whatever the CUIL.
func lookupSQL(dialect string) string {
	return `SELECT c.cuil IS NOT NULL AS found, ` + citizenSQL(dialect, "q.cuil") + `,
		EXISTS (SELECT 1 FROM keys k WHERE k.cuil = q.cuil) AS has_key,
		COALESCE(lv.failures - ` + fmt.Sprintf(heldSQL, "lv.cuil", "lv.kind") + `, 0) AS v_failures, lv.locked_until AS v_until,
		COALESCE(lk.failures - ` + fmt.Sprintf(heldSQL, "lk.cuil", "lk.kind") + `, 0) AS k_failures, lk.locked_until AS k_until
	FROM (SELECT CAST(? AS TEXT) AS cuil) q
	LEFT JOIN citizens c ON c.cuil = q.cuil
	LEFT JOIN lockouts lv ON lv.cuil = q.cuil AND lv.kind = '` + string(registry.LockValidation) + `'
	LEFT JOIN lockouts lk ON lk.cuil = q.cuil AND lk.kind = '` + string(registry.LockKey) + `'`
}

type lookupRow struct {
	Found bool `db:"found"`
	citizenRow
	HasKey    bool   `db:"has_key"`
	VFailures int    `db:"v_failures"`
	VUntil    dbTime `db:"v_until"`
	KFailures int    `db:"k_failures"`
	KUntil    dbTime `db:"k_until"`
}

// Lookup reads in one round trip what the CUIL step needs: the citizen
// (nil when unknown), whether they have a key, and their lockouts. It
// always reads the primary: keys and lockouts decide who may go on.
func (d *DB) Lookup(ctx context.Context, cuil registry.CUIL) (registry.Lookup, error) {
	var r lookupRow
	if err := d.stmts.lookup.GetContext(ctx, &r, string(cuil)); err != nil {
		return registry.Lookup{}, d.fail("lookup", err)
	}
	l := registry.Lookup{
		HasKey:     r.HasKey,
		Validation: judged(registry.Lockout{Failures: r.VFailures, Until: r.VUntil.Time}, 0),
		Key:        judged(registry.Lockout{Failures: r.KFailures, Until: r.KUntil.Time}, 0),
	}
	if !r.Found {
		return l, nil
	}
	c, err := r.citizen()
	if err != nil {
		return registry.Lookup{}, d.fail("lookup", err)
	}
	l.Citizen = c
	return l, nil
}
