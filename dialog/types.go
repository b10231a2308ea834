// Package dialog is clavebot's conversation engine: one state machine per
// chat, its state in a StateStore, its answers as i18n message keys. It
// knows no channel and no storage driver; the interfaces it needs are
// declared here and implemented elsewhere.
package dialog

import (
	"context"
	"errors"
	"time"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// Inbound is one message from a person.
type Inbound struct {
	Chat    string // channel-qualified chat id, e.g. "telegram:12345"
	ID      string // the channel's message id; a repeated id is ignored ("" disables)
	Text    string
	Media   string // non-text content: "sticker", "photo", "voice", "file", ...; Text is then empty
	Channel string // telegram, whatsapp, rest, console
	// Source is who sends it beyond the chat, where a channel's chat ids
	// are not people: the client's address on REST. "" when the chat is
	// the person (Telegram, WhatsApp). Limits count per chat and per source.
	Source string
	// From is the sender's phone number in E.164, set only by a channel
	// that proves it (WhatsApp, whose messages come from the number):
	// it registers a verified phone without a code, and a message from a
	// verified phone is the second factor of a recovery. "" elsewhere.
	From string
}

// Expect names the input the bot waits for (CONTRACT §3).
type Expect string

// The inputs the bot can wait for.
const (
	ExpectMenu       Expect = "menu"
	ExpectChoice     Expect = "choice"
	ExpectCUIL       Expect = "cuil"
	ExpectFirstNames Expect = "first_names"
	ExpectLastNames  Expect = "last_names"
	ExpectBirthDate  Expect = "birth_date"
	ExpectDNI        Expect = "dni"
	ExpectTramite    Expect = "dni_tramite"
	ExpectCurrentKey Expect = "current_key"
	ExpectNewKey     Expect = "new_key"
	ExpectConfirmKey Expect = "confirm_key"
	ExpectEmail      Expect = "email"
	ExpectPhone      Expect = "phone"
	ExpectCode       Expect = "code" // a one-time code sent to the person's e-mail or phone
	ExpectText       Expect = "text"
)

// Secret reports whether an answer to e is a key: channels delete it where
// they can, and nothing logs, stores or shows it.
func (e Expect) Secret() bool {
	return e == ExpectCurrentKey || e == ExpectNewKey || e == ExpectConfirmKey
}

// Reply is one message from the bot. Options, when present, can be answered
// by their label or their 1-based number. Expect is set on every reply; the
// last reply's is what the bot waits for.
type Reply struct {
	Msg     i18n.Message
	Options []i18n.Message
	Expect  Expect
}

// Result is what one inbound message produced.
type Result struct {
	Replies []Reply
	// Secret is true when the inbound text was a key: the channel deletes
	// the person's message where it can, or asks them to.
	Secret bool
}

// StateStore keeps each chat's state and transcript and serializes a
// chat's turns, across goroutines and processes. dialog/redisstore
// implements it.
//
// The transcript is kept apart from the state: a turn appends its few
// lines to it rather than rewriting it, and it is read only when the chat
// is handed to the desk.
type StateStore interface {
	// Acquire waits for the chat's lock (until ctx ends) and returns the
	// stored state (nil when none). It returns ErrDuplicate, without the
	// lock, when msgID was already committed for this chat.
	Acquire(ctx context.Context, chat, msgID string) (Lease, []byte, error)
	// Commit stores state with the given idle TTL, appends lines to the
	// chat's transcript (which keeps its newest TranscriptLines lines and
	// expires with the state), marks the lease's message id as handled,
	// and releases the lock, atomically. An empty state forgets the chat:
	// its state and transcript are deleted and lines are not kept. It
	// returns ErrLeaseLost, having changed nothing, when the lock expired
	// and another turn took it.
	Commit(ctx context.Context, l Lease, state []byte, lines [][]byte, ttl time.Duration) error
	// Release gives up the lock without changing the state or the
	// transcript.
	Release(ctx context.Context, l Lease) error
	// Transcript returns the chat's transcript lines, oldest first (none
	// when the chat has no state).
	Transcript(ctx context.Context, chat string) ([][]byte, error)
}

// TranscriptLines is how many of a chat's latest transcript lines a
// StateStore keeps: what the desk sees of a chat handed over.
const TranscriptLines = 60

// Lease is a held chat lock.
type Lease struct {
	Chat  string
	MsgID string
	Token string
	// Expired is true when the chat had a state that ran out of idle time
	// (the state is then nil): the engine says it starts over.
	Expired bool
}

// Errors a StateStore returns.
var (
	ErrDuplicate = errors.New("message already handled")
	ErrLeaseLost = errors.New("chat lock lost")
)

// Registry is what the engine needs of the system of record;
// *registry.Service implements it.
type Registry interface {
	Policy() registry.Policy
	Citizen(ctx context.Context, cuil registry.CUIL) (*registry.Citizen, error)
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
