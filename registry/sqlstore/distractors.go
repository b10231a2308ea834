package sqlstore

import (
	"context"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clavebot/clavebot/registry"
)

// Donors returns the citizens registry.FindDonors draws for q, with the
// fields identity questions use, in three round trips for the search and
// three for the rows. Both searches are range scans of the citizens_donors
// index (sex, birth_date, cuil) that read no table row: the nearest
// birth dates (60 on each side) fix the window, then the window's CUILs
// are read (at country scale one day, about 750 of them). The donors' rows
// are then read by primary key.
func (d *DB) Donors(ctx context.Context, q registry.DonorQuery) ([]*registry.Citizen, error) {
	const op = "donors"
	// The sexes an import accepts, listed so that "any" still scans the
	// index by its first column.
	sexes := []string{q.Sex}
	if q.Sex == "" {
		sexes = []string{"", "F", "M", "X"}
	}
	nearest := func(n int) (before, after []time.Time, err error) {
		var rows []struct {
			Day   dbDate `db:"d"`
			After bool   `db:"after"`
		}
		query, args, err := sqlx.In(`SELECT d, after FROM (SELECT birth_date AS d, 0 = 1 AS after FROM citizens
				WHERE sex IN (?) AND birth_date < ? AND cuil <> ? ORDER BY birth_date DESC LIMIT ?) b
			UNION ALL SELECT d, after FROM (SELECT birth_date AS d, 1 = 1 AS after FROM citizens
				WHERE sex IN (?) AND birth_date >= ? AND cuil <> ? ORDER BY birth_date LIMIT ?) a`,
			sexes, day(q.Birth), string(q.CUIL), n, sexes, day(q.Birth), string(q.CUIL), n)
		if err == nil {
			err = d.db.SelectContext(ctx, &rows, d.db.Rebind(query), args...)
		}
		if err != nil {
			return nil, nil, d.fail(op, err)
		}
		for _, r := range rows {
			if r.After {
				after = append(after, r.Day.Time)
			} else {
				before = append(before, r.Day.Time)
			}
		}
		slices.SortFunc(before, func(a, b time.Time) int { return b.Compare(a) })
		slices.SortFunc(after, func(a, b time.Time) int { return a.Compare(b) })
		return before, after, nil
	}
	cuils, err := registry.FindDonors(q, nearest, func(s registry.Span) ([]registry.CUIL, error) {
		var out []registry.CUIL
		query, args, err := sqlx.In(`SELECT cuil FROM citizens WHERE sex IN (?) AND birth_date BETWEEN ? AND ? AND cuil <> ? ORDER BY cuil`,
			sexes, day(s.From), day(s.To), string(q.CUIL))
		if err == nil {
			err = d.db.SelectContext(ctx, &out, d.db.Rebind(query), args...)
		}
		if err != nil {
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
