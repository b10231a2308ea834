package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/clavebot/clavebot/registry"
)

// AuditSelection picks audit events to delete: those before Before, of
// the actions in Only when it is not empty, and of none of the actions in
// Except.
type AuditSelection struct {
	Before time.Time
	Only   []registry.Action
	Except []registry.Action
}

// auditBatch is how many events one statement deletes, so the audit table
// is never locked for long.
const auditBatch = 5000

// DeleteAudit deletes the events sel picks and returns how many. Runs at
// once in several places share the work without counting an event twice:
// on PostgreSQL each batch skips the rows another run holds; SQLite takes
// one writer at a time.
func (d *DB) DeleteAudit(ctx context.Context, sel AuditSelection) (int64, error) {
	q, args := d.auditPurge(sel)
	var total int64
	for {
		res, err := d.db.ExecContext(ctx, q, args...)
		if err != nil {
			return total, d.fail("delete audit", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, d.fail("delete audit", err)
		}
		total += n
		if n == 0 {
			return total, nil
		}
	}
}

// auditPurge is one batch's statement for sel, rebound for the dialect.
func (d *DB) auditPurge(sel AuditSelection) (string, []any) {
	where := []string{"at < ?"}
	args := []any{d.instant(sel.Before)}
	if len(sel.Only) > 0 {
		where = append(where, "action IN ("+placeholders(len(sel.Only))+")")
		args = appendActions(args, sel.Only)
	}
	if len(sel.Except) > 0 {
		where = append(where, "action NOT IN ("+placeholders(len(sel.Except))+")")
		args = appendActions(args, sel.Except)
	}
	pick := `SELECT id FROM audit WHERE ` + strings.Join(where, " AND ") + ` ORDER BY id LIMIT ?`
	if d.dialect == Postgres {
		pick += ` FOR UPDATE SKIP LOCKED`
	}
	args = append(args, auditBatch)
	return d.db.Rebind(`DELETE FROM audit WHERE id IN (` + pick + `)`), args
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func appendActions(args []any, actions []registry.Action) []any {
	for _, a := range actions {
		args = append(args, string(a))
	}
	return args
}
