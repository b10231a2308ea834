package sqlstore

import (
	"context"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clavebot/clavebot/registry"
)

// Donors returns the citizens registry.FindDonors draws for q, with the
// fields identity questions use, in two round trips for the search and
// three for the rows. Both searches are range scans of the citizens_donors
// index (sex, birth_date, cuil) that read no table row: the nearest
// birth dates (60 on each side) fix the window, then the window's CUILs
// are read (at country scale one day, about 750 of them). The donors' rows
// are then read by primary key.
func (d *DB) Donors(ctx context.Context, q registry.DonorQuery) ([]*registry.Citizen, error) {
	// "Any sex" is searched sex by sex, the sexes an import accepts, so
	// that every scan follows the index in order.
	sexes := []string{q.Sex}
	if q.Sex == "" {
		sexes = []string{"", "F", "M", "X"}
	}
	nearest := func(n int) (before, after []time.Time, err error) {
		for _, sex := range sexes {
			b, a, err := d.nearestBirths(ctx, sex, q, n)
			if err != nil {
				return nil, nil, err
			}
			before, after = append(before, b...), append(after, a...)
		}
		slices.SortFunc(before, func(a, b time.Time) int { return b.Compare(a) })
		slices.SortFunc(after, func(a, b time.Time) int { return a.Compare(b) })
		return before[:min(n, len(before))], after[:min(n, len(after))], nil
	}
	cuils, err := registry.FindDonors(q, nearest, func(s registry.Span) ([]registry.CUIL, error) {
		var all []registry.CUIL
		for _, sex := range sexes {
			var out []registry.CUIL
			err := d.db.SelectContext(ctx, &out, d.db.Rebind(`SELECT cuil FROM citizens
				WHERE sex = ? AND birth_date BETWEEN ? AND ? AND cuil <> ? ORDER BY cuil`),
				sex, day(s.From), day(s.To), string(q.CUIL))
			if err != nil {
				return nil, d.fail("donors", err)
			}
			all = append(all, out...)
		}
		slices.Sort(all)
		return all, nil
	})
	if err != nil || len(cuils) == 0 {
		return nil, err
	}
	return d.donorRows(ctx, cuils)
}

// nearestBirths returns the birth dates of up to n citizens of sex born
// before q.Birth, latest first, and of up to n born on or after it,
// earliest first, in one round trip.
func (d *DB) nearestBirths(ctx context.Context, sex string, q registry.DonorQuery, n int) (before, after []time.Time, err error) {
	var rows []struct {
		Day   dbDate `db:"d"`
		After bool   `db:"after"`
	}
	err = d.db.SelectContext(ctx, &rows, d.db.Rebind(`SELECT d, after FROM (SELECT birth_date AS d, 0 = 1 AS after FROM citizens
			WHERE sex = ? AND birth_date < ? AND cuil <> ? ORDER BY birth_date DESC LIMIT ?) b
		UNION ALL SELECT d, after FROM (SELECT birth_date AS d, 1 = 1 AS after FROM citizens
			WHERE sex = ? AND birth_date >= ? AND cuil <> ? ORDER BY birth_date LIMIT ?) a`),
		sex, day(q.Birth), string(q.CUIL), n, sex, day(q.Birth), string(q.CUIL), n)
	if err != nil {
		return nil, nil, d.fail("donors", err)
	}
	for _, r := range rows {
		if r.After {
			after = append(after, r.Day.Time)
		} else {
			before = append(before, r.Day.Time)
		}
	}
	return before, after, nil
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
		c, err := rows[i].citizen()
		if err != nil {
			return nil, d.fail(op, err)
		}
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
