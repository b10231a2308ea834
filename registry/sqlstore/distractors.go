package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/clavebot/clavebot/registry"
)

// Donors returns the citizens registry.FindDonors draws for q, with the
// fields identity questions use, in three round trips: the nearest birth
// dates (60 on each side) fix the window, then the window's CUILs are read
// (at country scale one day, about 750 of them), then the donors' rows by
// primary key. Both searches are range scans of the citizens_donors index
// (sex, birth_date, cuil) that read no table row; "any sex" is searched
// sex by sex, the sexes an import accepts, so that every scan follows the
// index in order, but all in one statement. Every statement is prepared
// once per connection (see prepared): a question set is built at the
// identity step of every flow, and lib/pq would otherwise spend two round
// trips on each.
func (d *DB) Donors(ctx context.Context, q registry.DonorQuery) ([]*registry.Citizen, error) {
	sexes := []string{q.Sex}
	if q.Sex == "" {
		sexes = []string{"", "F", "M", "X"}
	}
	nearest := func(n int) (before, after []time.Time, err error) {
		return d.nearestBirths(ctx, sexes, q, n)
	}
	cuils, err := registry.FindDonors(q, nearest, func(s registry.Span) ([]registry.CUIL, error) {
		return d.bornIn(ctx, sexes, q.CUIL, s)
	})
	if err != nil || len(cuils) == 0 {
		return nil, err
	}
	return d.donorRows(ctx, cuils)
}

// unionBySex repeats the subquery part once per sex, joined by UNION ALL,
// and repeats args(sex) to match.
func unionBySex(sexes []string, part string, args func(sex string) []any) (string, []any) {
	parts := make([]string, len(sexes))
	var all []any
	for i, sex := range sexes {
		parts[i] = part
		all = append(all, args(sex)...)
	}
	return strings.Join(parts, " UNION ALL "), all
}

// nearestBirths returns the birth dates of up to n citizens of sexes born
// before q.Birth, latest first, and of up to n born on or after it,
// earliest first, in one round trip.
func (d *DB) nearestBirths(ctx context.Context, sexes []string, q registry.DonorQuery, n int) (before, after []time.Time, err error) {
	birth := dayOf(d.dialect, "birth_date")
	query, args := unionBySex(sexes, `SELECT d, after FROM (SELECT `+birth+` AS d, 0 = 1 AS after FROM citizens
			WHERE sex = ? AND birth_date < ? AND cuil <> ? ORDER BY birth_date DESC LIMIT ?) b
		UNION ALL SELECT d, after FROM (SELECT `+birth+` AS d, 1 = 1 AS after FROM citizens
			WHERE sex = ? AND birth_date >= ? AND cuil <> ? ORDER BY birth_date LIMIT ?) a`,
		func(sex string) []any {
			return []any{sex, day(q.Birth), string(q.CUIL), n, sex, day(q.Birth), string(q.CUIL), n}
		})
	// Scanned into once for all rows: a variable Scan is given escapes,
	// and declared in the loop would cost an allocation a row.
	var (
		dd    epochDay
		later bool
	)
	before = make([]time.Time, 0, n)
	after = make([]time.Time, 0, n)
	err = d.scanRows(ctx, query, args, func(rows *sql.Rows) error {
		if err := rows.Scan(&dd, &later); err != nil {
			return err
		}
		if later {
			after = append(after, dd.Time)
		} else {
			before = append(before, dd.Time)
		}
		return nil
	})
	if err != nil {
		return nil, nil, d.fail("donors", err)
	}
	slices.SortFunc(before, func(a, b time.Time) int { return b.Compare(a) })
	slices.SortFunc(after, func(a, b time.Time) int { return a.Compare(b) })
	return before[:min(n, len(before))], after[:min(n, len(after))], nil
}

// bornIn lists, sorted, the CUILs of citizens of sexes born in s, but for
// the person questioned, in one round trip.
func (d *DB) bornIn(ctx context.Context, sexes []string, person registry.CUIL, s registry.Span) ([]registry.CUIL, error) {
	query, args := unionBySex(sexes, `SELECT cuil FROM citizens WHERE sex = ? AND birth_date BETWEEN ? AND ? AND cuil <> ?`,
		func(sex string) []any { return []any{sex, day(s.From), day(s.To), string(person)} })
	var all []registry.CUIL
	var cuil string // scanned into once for all rows, as in nearestBirths
	err := d.scanRows(ctx, query, args, func(rows *sql.Rows) error {
		if err := rows.Scan(&cuil); err != nil {
			return err
		}
		all = append(all, registry.CUIL(cuil))
		return nil
	})
	if err != nil {
		return nil, d.fail("donors", err)
	}
	slices.Sort(all)
	return all, nil
}

// donorSQL selects what questions take from a donor, and no more (no
// names, no DNI): their sex, dates, province and the names of their
// employers and benefits. The names come from the lent_ columns an import
// writes; a row imported before they existed (NULL) aggregates them from
// the tables, as COALESCE evaluates its subquery only then.
func donorSQL(dialect string) string {
	agg := "CAST((SELECT json_agg(name ORDER BY ord) FROM %s WHERE cuil = c.cuil) AS TEXT)"
	if dialect == SQLite {
		agg = "(SELECT json_group_array(name ORDER BY ord) FROM %s WHERE cuil = c.cuil)"
	}
	lent := func(col, table string) string {
		return "COALESCE(c." + col + ", " + fmt.Sprintf(agg, table) + ", '[]') AS " + table
	}
	return `c.cuil, COALESCE(c.sex, '') AS sex, ` + dayOf(dialect, "c.birth_date") + ` AS birth_date, ` +
		dayOf(dialect, "c.dni_issue_date") + ` AS dni_issue_date, COALESCE(c.birth_province, '') AS birth_province, ` +
		lent("lent_employers", "employers") + ", " + lent("lent_benefits", "benefits")
}

// donorRow is what a donor lends (donorSQL), in its columns' order.
type donorRow struct {
	CUIL          string
	Sex           string
	BirthDate     epochDay
	DNIIssueDate  epochDay
	BirthProvince string
	Employers     string // JSON arrays of names
	Benefits      string
}

func (r *donorRow) scan(rows *sql.Rows) error {
	return rows.Scan(&r.CUIL, &r.Sex, &r.BirthDate, &r.DNIIssueDate, &r.BirthProvince, &r.Employers, &r.Benefits)
}

func (r *donorRow) citizen() (*registry.Citizen, error) {
	// Most people have a few employers and benefits at most: their names
	// are parsed into scratch on the stack, not a slice a donor.
	var scratch [8]string
	employers, err := jsonNames(scratch[:0], r.Employers)
	if err != nil {
		return nil, fmt.Errorf("employers of a donor: %w", err)
	}
	c := &registry.Citizen{
		CUIL: registry.CUIL(r.CUIL), Sex: r.Sex, BirthDate: r.BirthDate.Time,
		DNIIssueDate: r.DNIIssueDate.Time, BirthProvince: r.BirthProvince,
		Employers: make([]registry.Employer, len(employers)),
	}
	for i, name := range employers {
		c.Employers[i].Name = name
	}
	benefits, err := jsonNames(scratch[:0], r.Benefits)
	if err != nil {
		return nil, fmt.Errorf("benefits of a donor: %w", err)
	}
	c.Benefits = make([]registry.Benefit, len(benefits))
	for i, name := range benefits {
		c.Benefits[i].Name = name
	}
	return c, nil
}

// donorRows reads the donors' rows with their employers and benefits, in
// the order of cuils, in one round trip: the list goes as one parameter
// (an array on PostgreSQL, a JSON array on SQLite) so that the statement
// is the same whatever the number of donors.
func (d *DB) donorRows(ctx context.Context, cuils []registry.CUIL) ([]*registry.Citizen, error) {
	const op = "donors"
	keys := make([]string, len(cuils))
	for i, c := range cuils {
		keys[i] = string(c)
	}
	var list any = pq.Array(keys)
	in := `c.cuil = ANY(CAST(? AS TEXT[]))`
	if d.dialect == SQLite {
		b, err := json.Marshal(keys)
		if err != nil {
			return nil, d.fail(op, err)
		}
		list, in = string(b), `c.cuil IN (SELECT value FROM json_each(?))`
	}
	byCUIL := make(map[registry.CUIL]*registry.Citizen, len(cuils))
	var r donorRow // scanned into once for all rows, as in nearestBirths
	err := d.scanRows(ctx, `SELECT `+donorSQL(d.dialect)+` FROM citizens c WHERE `+in, []any{list}, func(rows *sql.Rows) error {
		if err := r.scan(rows); err != nil {
			return err
		}
		c, err := r.citizen()
		if err != nil {
			return err
		}
		byCUIL[c.CUIL] = c
		return nil
	})
	if err != nil {
		return nil, d.fail(op, err)
	}
	out := make([]*registry.Citizen, 0, len(cuils))
	for _, cuil := range cuils {
		if c, ok := byCUIL[cuil]; ok { // gone since the index was read: left out
			out = append(out, c)
		}
	}
	return out, nil
}
