package sqldesk

import (
	"context"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/internal/errs"
)

var _ desk.AgentStore = (*DB)(nil)

// Agent is a help-desk agent's row. Only the argon2id hash of the
// password is kept.
type Agent struct {
	Name         string `db:"name"`
	PasswordHash string `db:"password_hash"`
	Role         string `db:"role"`
	Epoch        string `db:"epoch"`
	CreatedAt    int64  `db:"created_at"`
}

func (a Agent) desk() desk.Agent {
	return desk.Agent{Name: a.Name, Role: desk.Role(a.Role), Epoch: a.Epoch}
}

const agentColumns = `name, password_hash, role, epoch, created_at`

// AddAgent implements desk.AgentStore; Conflict when the name is taken.
func (d *DB) AddAgent(ctx context.Context, a desk.Agent, phc string, at time.Time) error {
	var n int
	if err := d.db.GetContext(ctx, &n, d.db.Rebind(`SELECT count(*) FROM desk_agents WHERE name = ?`), a.Name); err != nil {
		return fail("add agent", err)
	}
	if n > 0 {
		return errs.E(errs.Conflict, "add agent", errAgentExists(a.Name))
	}
	_, err := d.exec(ctx, "add agent", `INSERT INTO desk_agents (name, password_hash, role, epoch, created_at) VALUES (?, ?, ?, ?, ?)`,
		a.Name, phc, string(a.Role), a.Epoch, at.UnixMilli())
	return err
}

// Agent returns the agent named name; NotFound when none.
func (d *DB) Agent(ctx context.Context, name string) (Agent, error) {
	var a Agent
	err := d.db.GetContext(ctx, &a, d.db.Rebind(`SELECT `+agentColumns+` FROM desk_agents WHERE name = ?`), name)
	if err != nil {
		return Agent{}, fail("agent", err)
	}
	return a, nil
}

// AgentCredentials implements desk.AgentStore.
func (d *DB) AgentCredentials(ctx context.Context, name string) (desk.Agent, string, error) {
	a, err := d.Agent(ctx, name)
	return a.desk(), a.PasswordHash, err
}

// ListAgents implements desk.AgentStore.
func (d *DB) ListAgents(ctx context.Context) ([]desk.Agent, error) {
	as, err := d.Agents(ctx)
	out := make([]desk.Agent, len(as))
	for i, a := range as {
		out[i] = a.desk()
	}
	return out, err
}

// Agents lists the agents by name.
func (d *DB) Agents(ctx context.Context) ([]Agent, error) {
	var as []Agent
	if err := d.db.SelectContext(ctx, &as, `SELECT `+agentColumns+` FROM desk_agents ORDER BY name`); err != nil {
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
