package sqldesk

import (
	"context"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/internal/errs"
)

var _ desk.AgentStore = (*DB)(nil)

// Agent is a help-desk agent. Only the argon2id hash of the password is
// kept.
type Agent struct {
	Name         string `db:"name"`
	PasswordHash string `db:"password_hash"`
	CreatedAt    int64  `db:"created_at"`
}

// AddAgent creates an agent; Conflict when the name is taken.
func (d *DB) AddAgent(ctx context.Context, name, phc string, at time.Time) error {
	var n int
	if err := d.db.GetContext(ctx, &n, d.db.Rebind(`SELECT count(*) FROM desk_agents WHERE name = ?`), name); err != nil {
		return fail("add agent", err)
	}
	if n > 0 {
		return errs.E(errs.Conflict, "add agent", errAgentExists(name))
	}
	_, err := d.exec(ctx, "add agent", `INSERT INTO desk_agents (name, password_hash, created_at) VALUES (?, ?, ?)`,
		name, phc, at.UnixMilli())
	return err
}

// Agent returns the agent named name; NotFound when none.
func (d *DB) Agent(ctx context.Context, name string) (Agent, error) {
	var a Agent
	err := d.db.GetContext(ctx, &a, d.db.Rebind(`SELECT name, password_hash, created_at FROM desk_agents WHERE name = ?`), name)
	if err != nil {
		return Agent{}, fail("agent", err)
	}
	return a, nil
}

// PasswordHash implements desk.AgentStore.
func (d *DB) PasswordHash(ctx context.Context, name string) (string, error) {
	a, err := d.Agent(ctx, name)
	return a.PasswordHash, err
}

// AgentNames implements desk.AgentStore.
func (d *DB) AgentNames(ctx context.Context) ([]string, error) {
	as, err := d.Agents(ctx)
	names := make([]string, len(as))
	for i, a := range as {
		names[i] = a.Name
	}
	return names, err
}

// Agents lists the agents by name.
func (d *DB) Agents(ctx context.Context) ([]Agent, error) {
	var as []Agent
	if err := d.db.SelectContext(ctx, &as, `SELECT name, password_hash, created_at FROM desk_agents ORDER BY name`); err != nil {
		return nil, fail("list agents", err)
	}
	return as, nil
}

// RemoveAgent deletes an agent; NotFound when none.
func (d *DB) RemoveAgent(ctx context.Context, name string) error {
	res, err := d.exec(ctx, "remove agent", `DELETE FROM desk_agents WHERE name = ?`, name)
	if err != nil {
		return err
	}
	return mustAffect("remove agent", res)
}

type errAgentExists string

func (e errAgentExists) Error() string { return "an agent named " + string(e) + " already exists" }
