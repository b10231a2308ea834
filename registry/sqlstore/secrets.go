package sqlstore

import (
	"context"
	"crypto/rand"
)

// ServiceSecret returns the deployment's secret called name, drawn at
// random and stored by the first process that asks: every process and
// replica on the database reads the same one.
func (d *DB) ServiceSecret(ctx context.Context, name string) (string, error) {
	const op = "service secret"
	if _, err := d.db.ExecContext(ctx, d.db.Rebind(
		`INSERT INTO service_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`), name, rand.Text()+rand.Text()); err != nil {
		return "", d.fail(op, err)
	}
	var v string
	if err := d.db.GetContext(ctx, &v, d.db.Rebind(`SELECT value FROM service_secrets WHERE name = ?`), name); err != nil {
		return "", d.fail(op, err)
	}
	return v, nil
}
