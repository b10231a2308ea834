package dialog

// The interfaces the engine consumes, implemented elsewhere (the state
// store's contract is the leaf dialog/statestore's), and the do-nothing
// collaborators New starts with for those the options do not give.

import (
	"context"
	"time"

	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

type (
	// StateStore keeps each chat's state and transcript and serializes a
	// chat's turns (see statestore.Store); dialog/redisstore implements
	// it.
	StateStore = statestore.Store
	// Lease is a held chat lock.
	Lease = statestore.Lease
)

// TranscriptLines is how many of a chat's latest transcript entries a
// StateStore keeps (the engine writes one a turn; see entry.go), and how
// many lines of them the desk sees of a chat handed over.
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
	HasKey(ctx context.Context, cuil registry.CUIL) (bool, error)
	// KeySetAt is when the CUIL's key was stored (zero: none): the
	// contacts are open only while it is the key the chat proved.
	KeySetAt(ctx context.Context, cuil registry.CUIL) (time.Time, error)
	Lockout(ctx context.Context, cuil registry.CUIL, kind registry.LockKind) (registry.Lockout, error)
	FailValidation(ctx context.Context, cuil registry.CUIL) (registry.Lockout, error)
	BeginValidation(ctx context.Context, cuil registry.CUIL) (registry.Attempt, error)
	EndValidation(ctx context.Context, cuil registry.CUIL, attempt string, passed bool) (registry.Attempt, error)
	LeaveValidation(ctx context.Context, cuil registry.CUIL, attempt string) error
	FactorProved(ctx context.Context, cuil registry.CUIL) error
	// BeginQuestions checks the key, reserves an attempt and draws the
	// questions, in one round trip where the registry can.
	BeginQuestions(ctx context.Context, c *registry.Citizen, keyed bool) (registry.Round, error)
	// SealAnswers and AnswersRight keep a round's right answers out of
	// the chat's state (see registry/answerseal.go).
	SealAnswers(cuil registry.CUIL, qs []registry.Question) ([]registry.Question, string)
	AnswersRight(cuil registry.CUIL, qs []registry.Question, answers []int, seal string) bool
	// DerivedKey is a key derived from the deployment's secret, the same
	// on every replica and never in Redis: it seals what a chat's state
	// says the chat proved (see proof.go).
	DerivedKey(purpose string) []byte
	CheckNewKey(ctx context.Context, c *registry.Citizen, key string) error
	// SealNewKey and StoreSealedKey keep a new key between its two
	// entries without argon2id (see registry/keyseal.go).
	SealNewKey(key string) string
	StoreSealedKey(ctx context.Context, cuil registry.CUIL, seal, key string, over time.Time, action registry.Action, channel string) (bool, error)
	// KeyStored reports whether cuil's key is the one confirmed from
	// seal: a turn that stored it failed afterwards.
	KeyStored(ctx context.Context, cuil registry.CUIL, seal string) (bool, error)
	// VerifyBlind answers a CUIL without a key as a wrong key (see
	// registry.Service.VerifyBlind).
	VerifyBlind(ctx context.Context, cuil registry.CUIL, key, channel string) (registry.VerifyResult, error)

	Contacts(ctx context.Context, cuil registry.CUIL) (registry.Contacts, error)
	SetContact(ctx context.Context, cuil registry.CUIL, kind registry.ContactKind, value string, verified bool, channel string) error
	RemoveContact(ctx context.Context, cuil registry.CUIL, kind registry.ContactKind, channel string) error
	IssueCode(ctx context.Context, cuil registry.CUIL, purpose registry.CodePurpose, to registry.Contact) (registry.Code, error)
	ResendCode(ctx context.Context, cuil registry.CUIL, ref string) (registry.Code, error)
	CancelCode(ctx context.Context, c registry.Code) error
	CheckCode(ctx context.Context, cuil registry.CUIL, ref, value, channel string) (registry.CodeCheck, error)
}

var _ Registry = (*registry.Service)(nil)

// Classifier understands free text (dialog/faq implements it). Guesses come
// best first; the intent "none" means out of scope.
type Classifier interface {
	Classify(text string) []Guess
}

// Desk is the help-desk queue a chat is handed to.
type Desk interface {
	// Enqueue puts the chat in the agents' queue.
	Enqueue(ctx context.Context, h Handoff) (Ticket, error)
	// Relay passes a person's message to the agent (or to the pending
	// message when the desk is closed), and reports where it went: to an
	// agent who has the chat, to one waiting in line, whether the desk is
	// open now.
	Relay(ctx context.Context, chat, text string) (Relayed, error)
	// Leave takes the chat out of the queue, or ends its conversation.
	// It reports whether an agent had the chat.
	Leave(ctx context.Context, chat string) (bool, error)
	// Rate records the person's rating of the agent's help (1 useful, 0 not).
	Rate(ctx context.Context, chat string, useful bool) error
}

// Reminders writes to a person later, on their own channel.
type Reminders interface {
	Remind(ctx context.Context, chat string, at time.Time, m i18n.Message) error
}

// Recorder receives the engine's events. It must not block.
type Recorder interface {
	Record(ctx context.Context, ev Event)
}

// CodeSender delivers a one-time code to its contact: an e-mail over
// SMTP, a phone over WhatsApp. A contact that cannot be reached (an
// address the recipient's server refuses, a phone where no channel
// reaches phones) is errs.Invalid; a delivery that may work later,
// anything else.
type CodeSender interface {
	SendCode(ctx context.Context, c registry.Code) error
}

// Limiter counts uses of something within a window, across replicas:
// dialog/redisstore implements it in Redis.
type Limiter interface {
	// Allow counts one use of key and reports whether it stays within max
	// uses per window; when it does not, retry is how long until the
	// window ends.
	Allow(ctx context.Context, key string, max int, window time.Duration) (ok bool, retry time.Duration, err error)
}

// The do-nothing collaborators New starts with, for what the options do
// not give: the engine calls its collaborators without asking whether it
// has them.
type (
	noClassifier struct{}
	noDesk       struct{}
	noReminders  struct{}
	noCodeSender struct{}
	nopRecorder  struct{}
	noLimits     struct{}
)

func (noClassifier) Classify(string) []Guess { return nil }

// A desk is offered only when WithDesk gave one (Engine.hasDesk), so
// nothing is enqueued here; leaving, rating and relaying do nothing.
func (noDesk) Enqueue(context.Context, Handoff) (Ticket, error) {
	return Ticket{}, errs.E(errs.Unavailable, "enqueue", errNoDesk)
}
func (noDesk) Relay(context.Context, string, string) (Relayed, error) {
	return Relayed{Open: true}, nil
}
func (noDesk) Leave(context.Context, string) (bool, error) { return false, nil }
func (noDesk) Rate(context.Context, string, bool) error    { return nil }

var errNoDesk = errs.New(errs.Unavailable, "no desk configured")

// Reminders are offered only when WithReminders gave them
// (Engine.hasReminders).
func (noReminders) Remind(context.Context, string, time.Time, i18n.Message) error {
	return errs.E(errs.Unavailable, "remind", errNoReminders)
}

var errNoReminders = errs.New(errs.Unavailable, "no reminders configured")

// Without a sender no code goes out: the person is told it cannot be sent.
func (noCodeSender) SendCode(context.Context, registry.Code) error {
	return errs.E(errs.Unavailable, "send code", errNoSender)
}

var errNoSender = errs.New(errs.Unavailable, "no code sender configured")

func (nopRecorder) Record(context.Context, Event) {}

// Without a limiter nothing is limited.
func (noLimits) Allow(context.Context, string, int, time.Duration) (bool, time.Duration, error) {
	return true, 0, nil
}
