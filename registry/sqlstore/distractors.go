package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/lib/pq"

	"github.com/clavebot/clavebot/registry"
)

// Donors returns the citizens registry.FindDonors draws for q, with the
// fields identity questions use, in two round trips: the window's CUILs
// (at country scale one day, about 750 of them), then the donors' rows by
// primary key. The window is chosen in the first statement as FindDonors
// chooses it (see window). Every statement is prepared once per
// connection (see prepared): a question set is built at the identity step
// of every flow, and lib/pq would otherwise spend two round trips on each.
func (d *DB) Donors(ctx context.Context, q registry.DonorQuery) ([]*registry.Citizen, error) {
	_, donors, _, err := d.draw(ctx, q, false)
	return donors, err
}

// QuestionSetOrDonors returns the questions stored for q.CUIL, or, when
// none are, the donors Donors returns for q (registry.FirstDrawer): the
// stored set and the window's CUILs are read in one statement, which
// lists the CUILs only when no set is stored.
func (d *DB) QuestionSetOrDonors(ctx context.Context, q registry.DonorQuery) (registry.QuestionSet, []*registry.Citizen, bool, error) {
	return d.draw(ctx, q, true)
}

func (d *DB) draw(ctx context.Context, q registry.DonorQuery, withSet bool) (registry.QuestionSet, []*registry.Citizen, bool, error) {
	mode := windowOnly
	if withSet {
		mode = windowWithSet
	}
	query, args := d.window(q, mode, nil)
	var (
		window  []registry.CUIL
		set     registry.QuestionSet
		found   bool
		version sql.NullInt64
		text    sql.NullString
		cuil    sql.NullString // scanned into once for all rows: a variable Scan is given escapes
	)
	err := d.scanRows(ctx, query, args, func(rows *sql.Rows) error {
		if !withSet {
			if err := rows.Scan(&cuil); err != nil {
				return err
			}
			window = append(window, registry.CUIL(cuil.String))
			return nil
		}
		if err := rows.Scan(&version, &text, &cuil); err != nil {
			return err
		}
		if !version.Valid {
			window = append(window, registry.CUIL(cuil.String))
			return nil
		}
		var err error
		set, err = parseQuestionSet(int(version.Int64), text.String)
		found = true
		return err
	})
	if err != nil {
		return registry.QuestionSet{}, nil, false, d.fail("donors", err)
	}
	if found || len(window) == 0 {
		return set, nil, found, nil
	}
	donors, err := d.donorRows(ctx, registry.DrawDonors(window, q))
	return registry.QuestionSet{}, donors, false, err
}

// window is the statement that lists the CUILs of the citizens of q.Sex
// (any when "") but q.CUIL born in the narrowest of registry.DonorWindows
// around q.Birth that holds q.N of them, the widest when none does, as
// registry.FindDonors takes it: the birth dates of the q.N nearest born
// before q.Birth and of the q.N nearest born on or after it decide, in the
// same statement. Every search is a range scan of the citizens_donors
// index (sex, birth_date, cuil) that reads no table row; "any sex" is
// searched sex by sex, the sexes an import accepts, so that every scan
// follows the index in order. withSet first reads q.CUIL's stored
// question set (version, questions, NULL), and lists the CUILs (NULL,
// NULL, cuil) only when there is none. windowStart first begins a round
// (see startSQL, whose CTEs and arguments head gives): its first row says
// what was done, and the set and the CUILs are read only when an attempt
// was reserved.
func (d *DB) window(q registry.DonorQuery, mode windowMode, head func(p func(any) string) string) (string, []any) {
	withSet := mode != windowOnly
	sexes := []string{q.Sex}
	if q.Sex == "" {
		sexes = []string{"", "F", "M", "X"}
	}
	var args []any
	p := func(v any) string { args = append(args, v); return "?" }
	// shift is the date days (an SQL expression) from the birth date.
	shift := func(sign, days string) string {
		if d.dialect == Postgres {
			return "(CAST(" + p(day(q.Birth)) + " AS DATE) " + sign + " " + days + ")"
		}
		return "date(" + p(day(q.Birth)) + ", '" + sign + "' || " + days + " || ' days')"
	}
	side := func(name, cmp, order string) string {
		parts := make([]string, len(sexes))
		for i, sex := range sexes {
			parts[i] = `SELECT d FROM (SELECT birth_date AS d FROM citizens WHERE sex = ` + p(sex) + ` AND birth_date ` + cmp + ` ` + p(day(q.Birth)) +
				` AND cuil <> ` + p(string(q.CUIL)) + ` ORDER BY birth_date ` + order + ` LIMIT ` + p(q.N) + `) s` + strconv.Itoa(i)
		}
		// Materialized: read once, not once for every window tried.
		return name + ` AS MATERIALIZED (SELECT d FROM (` + strings.Join(parts, " UNION ALL ") + `) u ORDER BY d ` + order + ` LIMIT ` + p(q.N) + `)`
	}
	var b strings.Builder
	b.WriteString("WITH ")
	reserved := ""
	if mode == windowStart {
		b.WriteString(head(p) + ", ")
		reserved = " AND EXISTS (SELECT 1 FROM r)"
	}
	if withSet {
		b.WriteString(`stored AS (SELECT version, questions FROM question_sets WHERE cuil = ` + p(string(q.CUIL)) + reserved + `), `)
	}
	ws := registry.DonorWindows()
	vals := make([]string, len(ws))
	for i, w := range ws {
		vals[i] = "(" + strconv.Itoa(w) + ")"
	}
	b.WriteString(`ws(x) AS (VALUES ` + strings.Join(vals, ", ") + `), `)
	b.WriteString(side("before", "<", "DESC") + ", " + side("after", ">=", "ASC") + ", ")
	b.WriteString(`w AS (SELECT COALESCE(MIN(x), ` + strconv.Itoa(ws[len(ws)-1]) + `) AS x FROM ws
		WHERE (SELECT COUNT(*) FROM before WHERE d >= ` + shift("-", "x") + `)
			+ (SELECT COUNT(*) FROM after WHERE d <= ` + shift("+", "x") + `) >= ` + p(q.N) + `) `)
	cols, guard := "cuil", ""
	switch mode {
	case windowWithSet:
		b.WriteString(`SELECT version, questions, CAST(NULL AS TEXT) AS cuil FROM stored UNION ALL `)
		cols, guard = "NULL, NULL, cuil", " AND NOT EXISTS (SELECT 1 FROM stored)"
	case windowStart:
		b.WriteString(`SELECT k.has_key, r.failures, r.locked_until, CAST(NULL AS INTEGER) AS version, CAST(NULL AS TEXT) AS questions, CAST(NULL AS TEXT) AS cuil
			FROM k LEFT JOIN r ON TRUE UNION ALL SELECT NULL, NULL, NULL, version, questions, NULL FROM stored UNION ALL `)
		cols, guard = "NULL, NULL, NULL, NULL, NULL, cuil", " AND NOT EXISTS (SELECT 1 FROM stored)"+reserved
	}
	parts := make([]string, len(sexes))
	for i, sex := range sexes {
		parts[i] = `SELECT ` + cols + ` FROM citizens WHERE sex = ` + p(sex) +
			` AND birth_date BETWEEN ` + shift("-", "(SELECT x FROM w)") + ` AND ` + shift("+", "(SELECT x FROM w)") +
			` AND cuil <> ` + p(string(q.CUIL)) + guard
	}
	b.WriteString(strings.Join(parts, " UNION ALL "))
	return b.String(), args
}

// windowMode is what the window statement reads with the window's CUILs.
type windowMode int

const (
	windowOnly    windowMode = iota // the CUILs alone
	windowWithSet                   // the stored set, else the CUILs
	windowStart                     // a round begun, then the stored set, else the CUILs
)

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
	var r donorRow // scanned into once for all rows, as in draw
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
