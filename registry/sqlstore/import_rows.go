package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/clavebot/clavebot/registry"
)

// importColumns are the citizens columns an import writes.
var importColumns = []string{
	"cuil", "dni", "first_names", "last_names", "birth_date", "sex",
	"dni_issue_date", "birth_province", "social_name", "dni_tramite", "updated_at",
	"lent_employers", "lent_benefits",
}

// upsertCitizen is INSERT ... ON CONFLICT (cuil) DO UPDATE, rows from
// source (VALUES or a SELECT); both dialects speak it.
func upsertCitizen(source string) string {
	set := make([]string, 0, len(importColumns)-1)
	for _, c := range importColumns[1:] {
		set = append(set, c+" = excluded."+c)
	}
	return `INSERT INTO citizens (` + strings.Join(importColumns, ", ") + `) ` + source +
		` ON CONFLICT (cuil) DO UPDATE SET ` + strings.Join(set, ", ")
}

func citizenArgs(c *registry.Citizen, now any) []any {
	return []any{
		string(c.CUIL), c.DNI, c.FirstNames, c.LastNames, day(c.BirthDate), c.Sex,
		day(c.DNIIssueDate), c.BirthProvince, c.SocialName, c.DNITramite, now,
		lentNames(c.Employers, func(e registry.Employer) string { return e.Name }),
		lentNames(c.Benefits, func(b registry.Benefit) string { return b.Name }),
	}
}

// lentNames is the JSON array of the names a donor lends (see donorSQL),
// "[]" when there are none.
func lentNames[T any](rows []T, name func(T) string) string {
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = name(r)
	}
	b, _ := json.Marshal(names) // a []string always marshals
	return string(b)
}

// rowWriter upserts citizens one by one through prepared statements: the
// SQLite path, where a statement costs no round trip.
type rowWriter struct {
	now   any
	stmts []*sqlx.Stmt // upsert, delete employers, delete benefits, insert employer, insert benefit
}

func newRowWriter(ctx context.Context, tx *sqlx.Tx, now any) (*rowWriter, error) {
	w := &rowWriter{now: now}
	queries := []string{
		upsertCitizen(`VALUES (?` + strings.Repeat(", ?", len(importColumns)-1) + `)`),
		`DELETE FROM employers WHERE cuil = ?`,
		`DELETE FROM benefits WHERE cuil = ?`,
		`INSERT INTO employers (cuil, ord, name, cuit, from_month, to_month) VALUES (?, ?, ?, ?, ?, ?)`,
		`INSERT INTO benefits (cuil, ord, name, since) VALUES (?, ?, ?, ?)`,
	}
	for _, q := range queries {
		s, err := tx.PreparexContext(ctx, tx.Rebind(q))
		if err != nil {
			return nil, errors.Join(err, w.close())
		}
		w.stmts = append(w.stmts, s)
	}
	return w, nil
}

func (w *rowWriter) write(ctx context.Context, batch []*registry.Citizen) error {
	for _, c := range batch {
		if err := w.writeOne(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

func (w *rowWriter) writeOne(ctx context.Context, c *registry.Citizen) error {
	upsert, delEmp, delBen, insEmp, insBen := w.stmts[0], w.stmts[1], w.stmts[2], w.stmts[3], w.stmts[4]
	if _, err := upsert.ExecContext(ctx, citizenArgs(c, w.now)...); err != nil {
		return err
	}
	for _, del := range []*sqlx.Stmt{delEmp, delBen} {
		if _, err := del.ExecContext(ctx, string(c.CUIL)); err != nil {
			return err
		}
	}
	for i, e := range c.Employers {
		if _, err := insEmp.ExecContext(ctx, string(c.CUIL), i, e.Name, e.CUIT, e.From, e.To); err != nil {
			return err
		}
	}
	for i, b := range c.Benefits {
		if _, err := insBen.ExecContext(ctx, string(c.CUIL), i, b.Name, b.Since); err != nil {
			return err
		}
	}
	return nil
}

func (w *rowWriter) close() error {
	var errs []error
	for _, s := range w.stmts {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}
