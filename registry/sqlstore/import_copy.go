package sqlstore

import (
	"context"
	"errors"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/clavebot/clavebot/registry"
)

// copyWriter is PostgreSQL's fast path, a handful of round trips for
// thousands of citizens: each batch's citizens are COPYed into a temporary
// table and upserted from it in one statement, their old employers and
// benefits deleted in one statement each, and the new ones COPYed straight
// into their tables.
type copyWriter struct {
	tx  *sqlx.Tx
	now any
}

const copySetup = `CREATE TEMP TABLE import_citizens (LIKE citizens) ON COMMIT DROP`

var (
	employerColumns = []string{"cuil", "ord", "name", "cuit", "from_month", "to_month"}
	benefitColumns  = []string{"cuil", "ord", "name", "since"}
)

// copyMerge upserts a batch's citizens from the temporary table and deletes
// their employers and benefits, which copyChildren then writes. ANALYZE first:
// without statistics on the temporary table the planner scans all of
// employers for the DELETE, which made it the slowest step.
var copyMerge = `ANALYZE import_citizens;
` + upsertCitizen(`SELECT `+strings.Join(importColumns, ", ")+` FROM import_citizens`) + `;
DELETE FROM employers e USING import_citizens i WHERE e.cuil = i.cuil;
DELETE FROM benefits b USING import_citizens i WHERE b.cuil = i.cuil;
TRUNCATE import_citizens;`

func newCopyWriter(ctx context.Context, tx *sqlx.Tx, now any) (*copyWriter, error) {
	if _, err := tx.ExecContext(ctx, copySetup); err != nil {
		return nil, err
	}
	return &copyWriter{tx: tx, now: now}, nil
}

func (w *copyWriter) write(ctx context.Context, batch []*registry.Citizen) error {
	err := copyIn(ctx, w.tx, "import_citizens", importColumns, func(put putFunc) error {
		for _, c := range batch {
			if err := put(citizenArgs(c, w.now)...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if _, err = w.tx.ExecContext(ctx, copyMerge); err != nil {
		return err
	}
	return copyChildren(ctx, w.tx, batch)
}

func copyChildren(ctx context.Context, tx *sqlx.Tx, batch []*registry.Citizen) error {
	err := copyIn(ctx, tx, "employers", employerColumns, func(put putFunc) error {
		for _, c := range batch {
			for i, e := range c.Employers {
				if err := put(string(c.CUIL), i, e.Name, e.CUIT, e.From, e.To); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return copyIn(ctx, tx, "benefits", benefitColumns, func(put putFunc) error {
		for _, c := range batch {
			for i, b := range c.Benefits {
				if err := put(string(c.CUIL), i, b.Name, b.Since); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (w *copyWriter) close() error { return nil } // ON COMMIT DROP cleans up

type putFunc func(args ...any) error

// copyIn streams the rows fill puts into table with COPY FROM STDIN
// (lib/pq buffers them and sends them in large messages).
func copyIn(ctx context.Context, tx *sqlx.Tx, table string, cols []string, fill func(putFunc) error) error {
	stmt, err := tx.PrepareContext(ctx, `COPY `+table+` (`+strings.Join(cols, ", ")+`) FROM STDIN`)
	if err != nil {
		return err
	}
	err = fill(func(args ...any) error {
		_, err := stmt.ExecContext(ctx, args...)
		return err
	})
	if err == nil {
		_, err = stmt.ExecContext(ctx) // ends the COPY and reports its errors
	}
	return errors.Join(err, stmt.Close())
}
