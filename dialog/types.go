// Package dialog is clavebot's conversation engine: one state machine per
// chat, its state in a StateStore, its answers as i18n message keys. It
// knows no channel and no storage driver; the interfaces it needs are
// declared here and implemented elsewhere.
package dialog

import (
	"context"

	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/registry"
)

// The values the engine exchanges with channels are declared in
// dialog/convo, a leaf, so that channels need not import the engine.
type (
	// Inbound is one message from a person.
	Inbound = convo.Inbound
	// Expect names the input the bot waits for (CONTRACT §3).
	Expect = convo.Expect
	// Reply is one message from the bot.
	Reply = convo.Reply
	// Result is what one inbound message produced.
	Result = convo.Result
)

// The inputs the bot can wait for.
const (
	ExpectMenu       = convo.ExpectMenu
	ExpectChoice     = convo.ExpectChoice
	ExpectCUIL       = convo.ExpectCUIL
	ExpectFirstNames = convo.ExpectFirstNames
	ExpectLastNames  = convo.ExpectLastNames
	ExpectBirthDate  = convo.ExpectBirthDate
	ExpectDNI        = convo.ExpectDNI
	ExpectTramite    = convo.ExpectTramite
	ExpectCurrentKey = convo.ExpectCurrentKey
	ExpectNewKey     = convo.ExpectNewKey
	ExpectConfirmKey = convo.ExpectConfirmKey
	ExpectEmail      = convo.ExpectEmail
	ExpectPhone      = convo.ExpectPhone
	ExpectCode       = convo.ExpectCode
	ExpectText       = convo.ExpectText
)

// The state store's contract is declared in dialog/statestore, a leaf, so
// that its implementations need not import the engine.
type (
	// StateStore keeps each chat's state and transcript and serializes a
	// chat's turns (see statestore.Store).
	StateStore = statestore.Store
	// Lease is a held chat lock.
	Lease = statestore.Lease
)

// TranscriptLines is how many of a chat's latest transcript lines a
// StateStore keeps: what the desk sees of a chat handed over.
const TranscriptLines = statestore.TranscriptLines

// Errors a StateStore returns.
var (
	ErrDuplicate = statestore.ErrDuplicate
	ErrLeaseLost = statestore.ErrLeaseLost
)

// Registry is what the engine needs of the system of record;
// *registry.Service implements it.
type Registry interface {
	Policy() registry.Policy
	Citizen(ctx context.Context, cuil registry.CUIL) (*registry.Citizen, error)
	// Lookup reads what the CUIL step decides on (the citizen, whether
	// they have a key, their lockouts) in one round trip.
	Lookup(ctx context.Context, cuil registry.CUIL) (registry.Lookup, error)
	HasKey(ctx context.Context, cuil registry.CUIL) (bool, error)
	Lockout(ctx context.Context, cuil registry.CUIL, kind registry.LockKind) (registry.Lockout, error)
	FailValidation(ctx context.Context, cuil registry.CUIL) (registry.Lockout, error)
	BeginValidation(ctx context.Context, cuil registry.CUIL) (registry.Attempt, error)
	EndValidation(ctx context.Context, cuil registry.CUIL, attempt string, passed bool) (registry.Attempt, error)
	Questions(ctx context.Context, c *registry.Citizen) ([]registry.Question, error)
	CheckNewKey(ctx context.Context, c *registry.Citizen, key string) error
	HashKey(ctx context.Context, key string) (string, error)
	CompareHash(ctx context.Context, phc, key string) (bool, error)
	SetKey(ctx context.Context, cuil registry.CUIL, phc string, action registry.Action, channel string) error
	Verify(ctx context.Context, cuil registry.CUIL, key, channel string) (registry.VerifyResult, error)

	Contacts(ctx context.Context, cuil registry.CUIL) (registry.Contacts, error)
	SetContact(ctx context.Context, cuil registry.CUIL, kind registry.ContactKind, value string, verified bool, channel string) error
	RemoveContact(ctx context.Context, cuil registry.CUIL, kind registry.ContactKind, channel string) error
	IssueCode(ctx context.Context, cuil registry.CUIL, purpose registry.CodePurpose, to registry.Contact) (registry.Code, error)
	ResendCode(ctx context.Context, cuil registry.CUIL, ref string) (registry.Code, error)
	CancelCode(ctx context.Context, c registry.Code) error
	CheckCode(ctx context.Context, cuil registry.CUIL, ref, value, channel string) (registry.CodeCheck, error)
}

var _ Registry = (*registry.Service)(nil)

// Guess is one intent the classifier sees in a message, with a calibrated
// score in [0, 1].
type Guess struct {
	Intent string
	Score  float64
}

// Classifier understands free text (dialog/faq implements it). Guesses come
// best first; the intent "none" means out of scope.
type Classifier interface {
	Classify(text string) []Guess
}
