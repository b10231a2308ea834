// Package statestore is the contract of the store that keeps each chat's
// state and transcript for the engine (dialog) and serializes a chat's
// turns: the Store interface, its Lease and its errors. It is a leaf, so
// an implementation (dialog/redisstore, dialog/dialogtest's MemStore)
// depends on neither the engine nor the registry behind it;
// dialog/statestore/statestoretest is the conformance suite every
// implementation runs.
package statestore

import (
	"context"
	"errors"
	"time"
)

// Store keeps each chat's state and transcript and serializes a chat's
// turns, across goroutines and processes. dialog/redisstore implements it.
//
// The transcript is kept apart from the state: a turn appends its few
// lines to it rather than rewriting it, and it is read only when the chat
// is handed to the desk.
type Store interface {
	// Acquire waits for the chat's lock (until ctx ends) and returns the
	// stored state (nil when none), with the chat's counts in the lease.
	// It returns ErrDuplicate, without the lock, when msgID was already
	// committed for this chat; the lease then carries the Replies that
	// commit kept, when msgID is the chat's last message committed with
	// them and ReplayTTL has not passed.
	Acquire(ctx context.Context, chat, msgID string) (Lease, []byte, error)
	// Commit stores state with the given idle TTL, appends lines to the
	// chat's transcript (which keeps its newest TranscriptLines lines and
	// expires with the state), stores the lease's Counts, marks the
	// lease's message id as handled, keeps the lease's Replies for that id
	// when it has both (forgetting the chat's previous ones either way),
	// and releases the lock, atomically. An
	// empty state forgets the chat: its state and transcript are deleted
	// and lines are not kept, but its counts stay. It returns
	// ErrLeaseLost, having changed nothing, when the lock expired and
	// another turn took it.
	Commit(ctx context.Context, l Lease, state []byte, lines [][]byte, ttl time.Duration) error
	// Release gives up the lock without changing the state or the
	// transcript.
	Release(ctx context.Context, l Lease) error
	// Transcript returns the chat's transcript lines, oldest first (none
	// when the chat has no state).
	Transcript(ctx context.Context, chat string) ([][]byte, error)
}

// NewCounter is a Store that can count the engine's limits across chats
// in Acquire's own step, so that they cost no round trip of their own
// (issue 14: 0.24 of a turn's 2.24 round trips with a source).
//
// AcquireNew is Acquire, counting one use of newChat (unless its Key is
// "") when the chat has no state and had none that idled out
// (Lease.Expired), and one use of armed (unless its Key is "") when the
// chat has its state and its last commit armed it (Lease.Arm): a
// reservation for a use the turn may make (a CUIL typed where it is
// asked), given back at Commit when the turn did not spend it
// (Lease.Spent). Each count is atomic with taking the lock, across every
// chat and process sharing the store, and said in Lease.New and
// Lease.Armed. Beyond newChat's Max it gives the lock back in the same
// step and returns the lease without it (Token empty) and no state:
// nothing of the chat is kept. Beyond armed's Max the lock is held: the
// turn refuses the use and goes on. A Store that cannot count them with
// the chat's lock atomically (Redis Cluster: other slots) leaves them
// uncounted, and the caller counts them itself.
type NewCounter interface {
	AcquireNew(ctx context.Context, chat, msgID string, newChat, armed Limit) (Lease, []byte, error)
}

// Limit is at most Max uses of Key per Window, a fixed window that starts
// at its first use, counted across chats and processes.
type Limit struct {
	Key    string
	Max    int
	Window time.Duration
}

// Verdict is what AcquireNew decided of one of its Limits.
type Verdict struct {
	// Key is the limit's (Limit.Key), for Commit to give back an unspent
	// reservation.
	Key string
	// Counted is true when the chat was new and the use counted (the
	// other fields say how it went); false when the chat was not new, or
	// the Store did not count it (see NewCounter).
	Counted bool
	// Refused is true when the use was beyond the limit: the lease holds
	// no lock. Retry is then how long until the window ends.
	Refused bool
	Retry   time.Duration
}

// Holder is a Store whose locks expire unless renewed. Hold renews the
// lease's lock while its holder works, so that the lock's time to live
// bounds only how long a chat waits when the process holding it dies, not
// how long a turn may run. The context it returns ends, with a cause that
// wraps ErrLeaseLost, as soon as the lock can no longer be known the
// lease's (another holder took it, or it was not renewed in time): its
// holder stops before the lock may pass to another. stop ends the
// renewals; call it once the lease is committed or released.
type Holder interface {
	Hold(ctx context.Context, l Lease) (held context.Context, stop func())
}

// TranscriptLines is how many of a chat's latest transcript lines a Store
// keeps. A line is opaque to the Store: the engine writes one a turn,
// holding that turn's messages, and shows the desk at most this many
// messages of a chat handed over.
const TranscriptLines = 60

// Lease is a held chat lock.
type Lease struct {
	Chat  string
	MsgID string
	Token string
	// Expired is true when the chat had a state that ran out of idle time
	// (the state is then nil): the engine says it starts over.
	Expired bool
	// LostAt, set only when the chat has no state and it did not expire,
	// is when the store last lost every chat's state (Redis emptied: a
	// restart without persistence, a flush, a failover to a replica that
	// had not synced), as far as it knows; zero when never. The chat's
	// state may have been among them: the engine, which knows how long
	// its states live, may tell the person their conversation was lost.
	LostAt time.Time
	// Counts are the chat's uses of what the engine limits per chat (the
	// CUILs it looked up, say), by name, as Acquire found them (the map is
	// the caller's); the engine counts in them and Commit stores them.
	// Kept beside the state rather than as counters of their own, a
	// chat's limit is checked and
	// counted under its lock, with no round trip of its own, and the use
	// is stored in the same step as the turn that answers it: a turn that
	// loses its lease neither counts nor answers. A Store keeps them as
	// Commit was given them, apart from the state (forgetting the chat
	// does not reset them), at least until their Ends; whether a window
	// has ended is the engine's to judge, on its own clock.
	Counts map[string]Count
	// Replies are what the turn answered, opaque to the Store, set by the
	// engine before Commit when the client reads the answer from its
	// request (the REST chat): a client that lost the answer and sends the
	// same message id again gets them back from Acquire, with
	// ErrDuplicate, instead of nothing. A Store keeps only the replies of
	// a chat's last message, for ReplayTTL: a commit without them (or
	// without an id) forgets those of the message before.
	Replies []byte
	// New and Armed are AcquireNew's verdicts on its limits (see
	// NewCounter); zero from Acquire.
	New, Armed Verdict
	// Arm, set by the engine before Commit, has the chat's next
	// AcquireNew count its armed limit (the chat is left where the use
	// it limits is made). Spent, set before Commit, says the turn spent
	// the use Armed counted; Commit gives back a use counted and not
	// spent. A turn that does not commit gives back nothing: its
	// reservation stays counted until the window ends, as a use would.
	Arm, Spent bool
}

// ReplayTTL is how long a Store keeps a turn's Replies: a client retries a
// lost answer within seconds, or a person taps "retry" within a minute or
// two; a retry later than this gets no replies, as before.
const ReplayTTL = 10 * time.Minute

// Count is a number of uses within a fixed window, which ends at Ends: a
// use after it starts a new window.
type Count struct {
	N    int
	Ends time.Time
}

// Errors a Store returns.
var (
	ErrDuplicate = errors.New("message already handled")
	ErrLeaseLost = errors.New("chat lock lost")
	// ErrChatBusy is wrapped by Acquire's error when ctx ended while
	// another turn held the chat: the store answered, the chat was
	// taken. It is no outage (the error is also errs.Unavailable: the
	// person is told to try again all the same).
	ErrChatBusy = errors.New("chat busy")
)
