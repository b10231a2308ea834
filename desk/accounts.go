package desk

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
)

// AgentStore keeps agents' names and password hashes (desk/sqldesk).
type AgentStore interface {
	AddAgent(ctx context.Context, name, phc string, at time.Time) error
	PasswordHash(ctx context.Context, name string) (string, error)
	RemoveAgent(ctx context.Context, name string) error
	AgentNames(ctx context.Context) ([]string, error)
}

// Hasher makes and checks argon2id hashes; *registry.Hasher is one.
type Hasher interface {
	Hash(ctx context.Context, pw string) (string, error)
	Compare(ctx context.Context, phc, pw string) (ok, stale bool, err error)
}

// Accounts manages agents and checks their passwords. Only argon2id
// hashes are stored.
type Accounts struct {
	store  AgentStore
	hasher Hasher
	now    func() time.Time
	dummy  string // compared against for unknown names, so timing tells nothing
}

// NewAccounts returns Accounts over store.
func NewAccounts(ctx context.Context, store AgentStore, h Hasher, now func() time.Time) (*Accounts, error) {
	if now == nil {
		now = time.Now
	}
	dummy, err := h.Hash(ctx, "clavebot-no-such-agent")
	if err != nil {
		return nil, err
	}
	return &Accounts{store: store, hasher: h, now: now, dummy: dummy}, nil
}

var validName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,39}$`)

// MinPassword is the shortest agent password accepted.
const MinPassword = 10

// Add creates an agent.
func (a *Accounts) Add(ctx context.Context, name, password string) error {
	if !validName.MatchString(name) {
		return errs.E(errs.Invalid, "add agent", fmt.Errorf("name %q: 2 to 40 lower-case letters, digits, '.', '_' or '-'", name))
	}
	if len([]rune(password)) < MinPassword {
		return errs.E(errs.Invalid, "add agent", fmt.Errorf("the password needs at least %d characters", MinPassword))
	}
	phc, err := a.hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	return a.store.AddAgent(ctx, name, phc, a.now())
}

// Verify reports whether password is name's. An unknown name costs the
// same time as a wrong password.
func (a *Accounts) Verify(ctx context.Context, name, password string) (bool, error) {
	phc, err := a.store.PasswordHash(ctx, name)
	known := err == nil
	if errs.Is(errs.NotFound, err) {
		phc = a.dummy
	} else if err != nil {
		return false, err
	}
	ok, _, err := a.hasher.Compare(ctx, phc, password)
	if err != nil {
		return false, err
	}
	return ok && known, nil
}

// Remove deletes an agent.
func (a *Accounts) Remove(ctx context.Context, name string) error {
	return a.store.RemoveAgent(ctx, name)
}

// List names the agents.
func (a *Accounts) List(ctx context.Context) ([]string, error) { return a.store.AgentNames(ctx) }

// Session is a signed-in agent.
type Session struct {
	Agent string    `json:"agent"`
	CSRF  string    `json:"csrf"` // the token every POST of the session must carry
	Since time.Time `json:"since"`
}
