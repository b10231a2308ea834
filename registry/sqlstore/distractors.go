package sqlstore

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/clavebot/clavebot/registry"
)

// Donors returns the citizens registry.FindDonors draws for q, with the
// fields identity questions use. Each window is one range scan of the
// citizens_donors index (sex, birth_date, cuil), reading only CUILs; at
// country scale the first window, one day, holds about 750 of them. The
// donors' rows are then read by primary key.
func (d *DB) Donors(ctx context.Context, q registry.DonorQuery) ([]*registry.Citizen, error) {
	const op = "donors"
	cuils, err := registry.FindDonors(q, func(s registry.Span) ([]registry.CUIL, error) {
		var out []registry.CUIL
		// The sexes an import accepts, listed so that "any" still scans
		// the index by its first column.
		sexes := []string{q.Sex}
		if q.Sex == "" {
			sexes = []string{"", "F", "M", "X"}
		}
		query, args, err := sqlx.In(`SELECT cuil FROM citizens WHERE sex IN (?) AND birth_date BETWEEN ? AND ? AND cuil <> ? ORDER BY cuil`,
			sexes, day(s.From), day(s.To), string(q.CUIL))
		if err != nil {
			return nil, err
		}
		if err := d.db.SelectContext(ctx, &out, d.db.Rebind(query), args...); err != nil {
			return nil, d.fail(op, err)
		}
		return out, nil
	})
	if err != nil || len(cuils) == 0 {
		return nil, err
	}
	return d.donorRows(ctx, cuils)
}

// donorRows reads the donors' rows, in the order of cuils.
func (d *DB) donorRows(ctx context.Context, cuils []registry.CUIL) ([]*registry.Citizen, error) {
	const op = "donors"
	keys := make([]string, len(cuils))
	for i, c := range cuils {
		keys[i] = string(c)
	}
	var rows []citizenRow
	if err := d.selectIn(ctx, &rows, `SELECT cuil, sex, birth_date, dni_issue_date, birth_province FROM citizens WHERE cuil IN (?)`, keys); err != nil {
		return nil, d.fail(op, err)
	}
	byCUIL := make(map[registry.CUIL]*registry.Citizen, len(rows))
	for i := range rows {
		c := rows[i].citizen()
		byCUIL[c.CUIL] = c
	}
	var names []struct {
		CUIL string `db:"cuil"`
		Name string `db:"name"`
	}
	if err := d.selectIn(ctx, &names, `SELECT cuil, name FROM employers WHERE cuil IN (?) ORDER BY cuil, ord`, keys); err != nil {
		return nil, d.fail(op, err)
	}
	for _, n := range names {
		c := byCUIL[registry.CUIL(n.CUIL)]
		c.Employers = append(c.Employers, registry.Employer{Name: n.Name})
	}
	names = names[:0]
	if err := d.selectIn(ctx, &names, `SELECT cuil, name FROM benefits WHERE cuil IN (?) ORDER BY cuil, ord`, keys); err != nil {
		return nil, d.fail(op, err)
	}
	for _, n := range names {
		c := byCUIL[registry.CUIL(n.CUIL)]
		c.Benefits = append(c.Benefits, registry.Benefit{Name: n.Name})
	}
	out := make([]*registry.Citizen, 0, len(cuils))
	for _, cuil := range cuils {
		if c, ok := byCUIL[cuil]; ok { // gone since the index was read: left out
			out = append(out, c)
		}
	}
	return out, nil
}

// selectIn runs query, whose one (?) takes the list keys.
func (d *DB) selectIn(ctx context.Context, dest any, query string, keys []string) error {
	q, args, err := sqlx.In(query, keys)
	if err != nil {
		return err
	}
	return d.db.SelectContext(ctx, dest, d.db.Rebind(q), args...)
}
