package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// citizenRow is a citizen with their employers and benefits, read in one
// query (the lists aggregated as JSON arrays); dates scan from either
// dialect.
type citizenRow struct {
	CUIL          string   `db:"cuil"`
	DNI           string   `db:"dni"`
	FirstNames    string   `db:"first_names"`
	LastNames     string   `db:"last_names"`
	BirthDate     dbDate   `db:"birth_date"`
	Sex           string   `db:"sex"`
	DNIIssueDate  dbDate   `db:"dni_issue_date"`
	BirthProvince string   `db:"birth_province"`
	SocialName    string   `db:"social_name"`
	DNITramite    string   `db:"dni_tramite"`
	Employers     jsonRows `db:"employers"`
	Benefits      jsonRows `db:"benefits"`
}

// jsonRows scans a JSON array of arrays of strings.
type jsonRows [][]string

func (j *jsonRows) Scan(v any) error {
	var b []byte
	switch v := v.(type) {
	case nil:
		*j = nil
		return nil
	case []byte:
		b = v
	case string:
		b = []byte(v)
	default:
		return fmt.Errorf("scan json rows: unexpected %T", v)
	}
	return json.Unmarshal(b, (*[][]string)(j))
}

// citizenSQL selects a citizen; cuilExpr is the CUIL the employers and
// benefits belong to, and the aggregates are the dialect's.
func citizenSQL(dialect, cuilExpr string) string {
	agg := "COALESCE((SELECT json_agg(json_build_array(%s) ORDER BY ord) FROM %s WHERE cuil = %s), '[]')"
	if dialect == SQLite {
		agg = "(SELECT json_group_array(json_array(%s) ORDER BY ord) FROM %s WHERE cuil = %s)"
	}
	cols := []string{"cuil", "dni", "first_names", "last_names", "birth_date", "sex", "dni_issue_date", "birth_province", "social_name", "dni_tramite"}
	for i, c := range cols {
		if c != "birth_date" && c != "dni_issue_date" {
			c = "COALESCE(c." + c + ", '') AS " + c // NULL when a lookup finds no citizen
		} else {
			c = "c." + c
		}
		cols[i] = c
	}
	return strings.Join(cols, ", ") + ", " +
		fmt.Sprintf(agg, "name, cuit, from_month, to_month", "employers", cuilExpr) + " AS employers, " +
		fmt.Sprintf(agg, "name, since", "benefits", cuilExpr) + " AS benefits"
}

// Citizen returns the record of cuil with its employers and benefits in
// the order the file gave them, in one round trip: from the read replica
// when there is one, and from the primary when the replica fails.
func (d *DB) Citizen(ctx context.Context, cuil registry.CUIL) (*registry.Citizen, error) {
	const op = "get citizen"
	var r citizenRow
	err := d.stmts.citizen.GetContext(ctx, &r, string(cuil))
	if err != nil && !errors.Is(err, sql.ErrNoRows) && d.stmts.citizenPrimary != nil && ctx.Err() == nil {
		d.log.Warn("read replica failed, reading the primary", "err", err)
		err = d.stmts.citizenPrimary.GetContext(ctx, &r, string(cuil))
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, op, errors.New("no citizen with CUIL "+cuil.Masked()))
	}
	if err != nil {
		return nil, d.fail(op, err)
	}
	return r.citizen()
}

func (r *citizenRow) citizen() (*registry.Citizen, error) {
	c := &registry.Citizen{
		CUIL: registry.CUIL(r.CUIL), DNI: r.DNI,
		FirstNames: r.FirstNames, LastNames: r.LastNames,
		BirthDate: r.BirthDate.Time, Sex: r.Sex,
		DNIIssueDate: r.DNIIssueDate.Time, BirthProvince: r.BirthProvince,
		SocialName: r.SocialName, DNITramite: r.DNITramite,
	}
	for _, e := range r.Employers {
		if len(e) != 4 {
			return nil, fmt.Errorf("get citizen: employer row of %d fields", len(e))
		}
		c.Employers = append(c.Employers, registry.Employer{Name: e[0], CUIT: e[1], From: e[2], To: e[3]})
	}
	for _, b := range r.Benefits {
		if len(b) != 2 {
			return nil, fmt.Errorf("get citizen: benefit row of %d fields", len(b))
		}
		c.Benefits = append(c.Benefits, registry.Benefit{Name: b[0], Since: b[1]})
	}
	return c, nil
}
