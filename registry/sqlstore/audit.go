package sqlstore

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clavebot/clavebot/registry"
)

// AppendAudit records ev.
func (d *DB) AppendAudit(ctx context.Context, ev registry.AuditEvent) error {
	if err := d.appendAudit(ctx, d.db, ev); err != nil {
		return d.fail("append audit", err)
	}
	return nil
}

// appendAudit inserts ev through q, the pool or a transaction.
func (d *DB) appendAudit(ctx context.Context, q sqlx.ExtContext, ev registry.AuditEvent) error {
	_, err := q.ExecContext(ctx, q.Rebind(`INSERT INTO audit (at, cuil, action, channel, detail) VALUES (?, ?, ?, ?, ?)`),
		d.instant(d.eventTime(ev)), string(ev.CUIL), string(ev.Action), ev.Channel, ev.Detail)
	return err
}

// eventTime is when ev happened; the service always says, the clock is a
// fallback for callers that do not.
func (d *DB) eventTime(ev registry.AuditEvent) time.Time {
	if ev.At.IsZero() {
		return d.now()
	}
	return ev.At
}
