package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// citizenRow is a citizens row; dates scan from either dialect.
type citizenRow struct {
	CUIL          string `db:"cuil"`
	DNI           string `db:"dni"`
	FirstNames    string `db:"first_names"`
	LastNames     string `db:"last_names"`
	BirthDate     dbDate `db:"birth_date"`
	Sex           string `db:"sex"`
	DNIIssueDate  dbDate `db:"dni_issue_date"`
	BirthProvince string `db:"birth_province"`
	SocialName    string `db:"social_name"`
	DNITramite    string `db:"dni_tramite"`
}

const citizenColumns = `cuil, dni, first_names, last_names, birth_date, sex, dni_issue_date, birth_province, social_name, dni_tramite`

// Citizen returns the record of cuil with its employers and benefits in
// the order the file gave them.
func (d *DB) Citizen(ctx context.Context, cuil registry.CUIL) (*registry.Citizen, error) {
	const op = "get citizen"
	var r citizenRow
	err := d.db.GetContext(ctx, &r, d.db.Rebind(`SELECT `+citizenColumns+` FROM citizens WHERE cuil = ?`), string(cuil))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, op, errors.New("no citizen with CUIL "+cuil.Masked()))
	}
	if err != nil {
		return nil, d.fail(op, err)
	}
	c := r.citizen()
	err = d.db.SelectContext(ctx, &c.Employers, d.db.Rebind(`SELECT name, cuit, from_month AS "from", to_month AS "to" FROM employers WHERE cuil = ? ORDER BY ord`), string(cuil))
	if err != nil {
		return nil, d.fail(op, err)
	}
	err = d.db.SelectContext(ctx, &c.Benefits, d.db.Rebind(`SELECT name, since FROM benefits WHERE cuil = ? ORDER BY ord`), string(cuil))
	if err != nil {
		return nil, d.fail(op, err)
	}
	return c, nil
}

func (r *citizenRow) citizen() *registry.Citizen {
	return &registry.Citizen{
		CUIL: registry.CUIL(r.CUIL), DNI: r.DNI,
		FirstNames: r.FirstNames, LastNames: r.LastNames,
		BirthDate: r.BirthDate.Time, Sex: r.Sex,
		DNIIssueDate: r.DNIIssueDate.Time, BirthProvince: r.BirthProvince,
		SocialName: r.SocialName, DNITramite: r.DNITramite,
	}
}
