package desk

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
)

// Role is what an agent may see on the desk.
type Role string

// Roles. An agent reads the queue and their own conversations; a
// supervisor reads every conversation.
const (
	RoleAgent      Role = "agent"
	RoleSupervisor Role = "supervisor"
)

// ParseRole reads a role's name; "" is RoleAgent.
func ParseRole(s string) (Role, error) {
	switch Role(s) {
	case "", RoleAgent:
		return RoleAgent, nil
	case RoleSupervisor:
		return RoleSupervisor, nil
	}
	return "", errs.E(errs.Invalid, "role", fmt.Errorf("%q: want %s or %s", s, RoleAgent, RoleSupervisor))
}

// Agent is a desk account as the desk uses it; the password hash stays in
// the AgentStore.
type Agent struct {
	Name string
	Role Role
	// Epoch is drawn anew each time an account is created, so sessions of
	// a removed account do not come back when the name is reused.
	Epoch string
}

// ReadsAll reports whether a may read every conversation.
func (a Agent) ReadsAll() bool { return a.Role == RoleSupervisor }

// AgentStore keeps agents and their password hashes (desk/sqldesk).
type AgentStore interface {
	AddAgent(ctx context.Context, a Agent, phc string, at time.Time) error
	// AgentCredentials returns the agent and its password hash; NotFound
	// when there is none.
	AgentCredentials(ctx context.Context, name string) (Agent, string, error)
	RemoveAgent(ctx context.Context, name string) error
	ListAgents(ctx context.Context) ([]Agent, error)
}

// Hasher makes and checks argon2id hashes; *registry.Hasher is one.
type Hasher interface {
	Hash(ctx context.Context, pw string) (string, error)
	Compare(ctx context.Context, phc, pw string) (ok, stale bool, err error)
}

// Revoker ends every session of an agent on every desk server at once
// (redisdesk.Sessions announces it through Redis). Without one, the desk
// servers notice a removed agent at their next check of the accounts.
type Revoker interface {
	EndAgent(ctx context.Context, name string) error
}

// Accounts manages agents and checks their passwords. Only argon2id
// hashes are stored.
type Accounts struct {
	store   AgentStore
	hasher  Hasher
	now     func() time.Time
	revoker Revoker
	dummy   string // compared against for unknown names, so timing tells nothing
}

// AccountsOption configures NewAccounts.
type AccountsOption func(*Accounts)

// WithClock sets the clock that stamps new accounts; time.Now by default.
func WithClock(now func() time.Time) AccountsOption { return func(a *Accounts) { a.now = now } }

// WithRevoker ends a removed agent's sessions through r at once.
func WithRevoker(r Revoker) AccountsOption { return func(a *Accounts) { a.revoker = r } }

// NewAccounts returns Accounts over store.
func NewAccounts(ctx context.Context, store AgentStore, h Hasher, opts ...AccountsOption) (*Accounts, error) {
	a := &Accounts{store: store, hasher: h, now: time.Now}
	for _, o := range opts {
		o(a)
	}
	dummy, err := h.Hash(ctx, "clavebot-no-such-agent")
	if err != nil {
		return nil, err
	}
	a.dummy = dummy
	return a, nil
}

var validName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,39}$`)

// FoldName is an account's name as stored. The sign-in form has always
// taken "Ana" for ana; the commands that add and remove agents read a
// name the same way, so an operator's capital does not refuse an
// account its owner could then sign in to.
func FoldName(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// MinPassword is the shortest agent password accepted.
const MinPassword = 10

// Add creates an agent with role.
func (a *Accounts) Add(ctx context.Context, name, password string, role Role) error {
	name = FoldName(name)
	if !validName.MatchString(name) {
		return errs.E(errs.Invalid, "add agent", fmt.Errorf("name %q: 2 to 40 lower-case letters, digits, '.', '_' or '-'", name))
	}
	if len([]rune(password)) < MinPassword {
		return errs.E(errs.Invalid, "add agent", fmt.Errorf("the password needs at least %d characters", MinPassword))
	}
	role, err := ParseRole(string(role))
	if err != nil {
		return err
	}
	phc, err := a.hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	return a.store.AddAgent(ctx, Agent{Name: name, Role: role, Epoch: rand.Text()[:16]}, phc, a.now())
}

// Verify returns the agent whose name and password these are; ok is false
// for a wrong password or an unknown name, which cost the same time.
func (a *Accounts) Verify(ctx context.Context, name, password string) (ag Agent, ok bool, err error) {
	ag, phc, err := a.store.AgentCredentials(ctx, name)
	known := err == nil
	if errs.Is(errs.NotFound, err) {
		phc = a.dummy
	} else if err != nil {
		return Agent{}, false, err
	}
	match, _, err := a.hasher.Compare(ctx, phc, password)
	if err != nil {
		return Agent{}, false, err
	}
	if !match || !known {
		return Agent{}, false, nil
	}
	return ag, true, nil
}

// Current returns the agent named name as it is now; NotFound once removed.
func (a *Accounts) Current(ctx context.Context, name string) (Agent, error) {
	ag, _, err := a.store.AgentCredentials(ctx, name)
	return ag, err
}

// Remove deletes an agent, then ends their sessions through the Revoker.
// The account is gone once the store says so: a Revoker that cannot be
// reached only delays the end of open pages until the servers' next check.
func (a *Accounts) Remove(ctx context.Context, name string) error {
	name = FoldName(name)
	if err := a.store.RemoveAgent(ctx, name); err != nil {
		return err
	}
	if a.revoker != nil {
		if err := a.revoker.EndAgent(ctx, name); err != nil {
			return fmt.Errorf("agent %s removed; ending the open sessions at once failed (they end at the servers' next check): %w", name, err)
		}
	}
	return nil
}

// List returns the agents by name.
func (a *Accounts) List(ctx context.Context) ([]Agent, error) { return a.store.ListAgents(ctx) }

// Session is a signed-in agent.
type Session struct {
	ID    string    `json:"id"` // names the session in notices; not its token
	Agent string    `json:"agent"`
	Epoch string    `json:"epoch"` // the account's, checked on every request
	CSRF  string    `json:"csrf"`  // the token every POST of the session must carry
	Since time.Time `json:"since"`
	// Until is when the session ends unless the agent does something
	// before (a sliding end, never past the longest sign-in); zero in a
	// session stored before it was kept.
	Until time.Time `json:"until,omitzero"`
	// Role is the account's role now, filled in on every request from the
	// account, never trusted from the stored session.
	Role Role `json:"-"`
}

// Viewer is the agent a session acts as.
func (s Session) Viewer() Agent { return Agent{Name: s.Agent, Role: s.Role, Epoch: s.Epoch} }

// SessionEnd tells every desk server that sessions ended: one session
// (Session, its ID) or every session of an agent (Agent).
type SessionEnd struct {
	Session string `json:"session,omitempty"`
	Agent   string `json:"agent,omitempty"`
}
