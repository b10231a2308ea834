// Package desk is the help desk people are handed to when the bot cannot
// help: the queue they wait in, the conversation with an agent, the hours
// the desk keeps, and the records of every conversation. Its stores are
// interfaces implemented by desk/redisdesk (the live queue) and
// desk/sqldesk (agents and records); desk/web is the agents' page.
package desk

import (
	"context"
	"time"

	"github.com/clavebot/clavebot/dialog/convo"
)

// Status is where a conversation is.
type Status string

// Conversation statuses.
const (
	Waiting Status = "waiting" // in the queue for an agent
	Pending Status = "pending" // left as a message outside the desk's hours
	Active  Status = "active"  // an agent has it
)

// Outcomes of a conversation, as recorded.
const (
	OutcomeResolved  = "resolved"  // an agent closed it
	OutcomeAbandoned = "abandoned" // the person left before an agent took it
	OutcomeLeft      = "left"      // the person left while talking to an agent
	OutcomeStopped   = "stopped"   // the person blocked the bot: nothing reaches them
	OutcomeLost      = "lost"      // the queue lost it (Redis restarted empty or was flushed)
)

// Conversation is one hand-over of a chat to the desk.
type Conversation struct {
	ID        string    `json:"id"`
	Chat      string    `json:"chat"`
	Label     string    `json:"label,omitempty"` // the chat as an agent's page shows it (Shown)
	Channel   string    `json:"channel"`
	Reason    string    `json:"reason"`
	CUIL      string    `json:"cuil,omitempty"` // in full only when Validated, else masked
	Validated bool      `json:"validated"`
	Status    Status    `json:"status"`
	Agent     string    `json:"agent,omitempty"`
	Enqueued  time.Time `json:"enqueued"`
	Taken     time.Time `json:"taken,omitzero"`
	// Awaiting is since when the person waits for an agent's answer:
	// since the hand-over, then since their first message after the
	// agent's last answer; zero while the agent answered last.
	Awaiting time.Time `json:"awaiting,omitzero"`
	Position int       `json:"position,omitempty"` // in the queue, 1 is next
	// Trimmed is how many of its earliest messages the queue no longer
	// keeps (MaxKept); the record has them.
	Trimmed int `json:"trimmed,omitempty"`
	// Returned is how many times an agent who left gave it back to the
	// line (desk.Return).
	Returned int `json:"returned,omitempty"`
}

// A person could post any number of messages into a hand-off, each kept
// in Redis for a week and rendered on the agent's page (found by a desk
// probe: 500 in 9 s). The desk takes MaxUnanswered of a person's messages
// in a row without an agent's answer, and a conversation keeps its latest
// MaxKept messages in the queue (the record keeps them all).
const (
	MaxUnanswered = 20
	MaxKept       = 300
)

// Message is one line of a conversation as the agent reads it. It never
// holds a key: the engine hands over "[clave oculta]" instead.
type Message struct {
	// ID is the outbox key of an agent's message, by which the page finds
	// what became of it (sent, delivered, read, failed).
	ID    string    `json:"id,omitempty"`
	At    time.Time `json:"at"`
	From  string    `json:"from"` // person, bot or agent
	Agent string    `json:"agent,omitempty"`
	Text  string    `json:"text"`
}

// Senders of a Message.
const (
	FromPerson = "person"
	FromBot    = "bot"
	FromAgent  = "agent"
)

// EventMissed is the Kind of an event that says events may have been
// lost (a subscription cut and made again): whoever reads them reads the
// state again instead of waiting for the next.
const EventMissed = "missed"

// Event tells the agents' pages that something changed.
type Event struct {
	Kind string `json:"kind"` // queue, message, closed, delivery
	Chat string `json:"chat,omitempty"`
	// Reason is why a chat closed, when not by an agent: the person left
	// (OutcomeLeft, OutcomeAbandoned), or why nothing reaches them.
	Reason string `json:"reason,omitempty"`
	// Conv is the chat's conversation, and Agent who has it ("" while it
	// waits): whose page may be told (ForViewer). A page is never sent
	// them.
	Conv  string `json:"conv,omitempty"`
	Agent string `json:"agent,omitempty"`
}

// ToldNear is how many places at the head of the line are told at each
// move. Further back a person was told each move too: the 40th got 30
// messages while 30 people ahead were taken, and with thousands waiting
// each take sent a message to everyone in the line, ahead of the agents'
// replies on the same platforms (a desk probe). There, a place is told
// once it is at most three quarters of the one told before (1,000, then
// 750, 562…: a few dozen messages in all); "¿cuánto falta?" is answered
// with the place at any time.
const ToldNear = 5

// Moved is a waiting chat whose place in the queue got better.
type Moved struct {
	Chat     string
	Position int
}

// HoursNow is what one process makes of the desk's hours now: open or
// not, since when (Hours.Since), by which hours (Hours.Key), in a process
// started when.
type HoursNow struct {
	Open    bool
	Since   time.Time
	Hours   string
	Started time.Time
}

// Turned is what SetOpen did: whether the desk opened or closed since
// any process last said, and the waiting chats to tell, with their places.
type Turned struct {
	Changed bool
	Tell    []Moved
}

// Queue is the live state of the desk, shared by every process.
type Queue interface {
	// Put adds c with its history to the waiting queue (or the pending
	// messages, by c.Status) and returns its place.
	Put(ctx context.Context, c Conversation, history []Message) (int, error)
	// Append adds a message to the chat's conversation and returns the
	// conversation, with its Position when it waits in the line; NotFound
	// when the chat has none. A conversation keeps its latest MaxKept
	// messages, counting in Trimmed those it let go.
	Append(ctx context.Context, chat string, m Message) (Conversation, error)
	// Remove ends the chat's conversation, whatever its status.
	Remove(ctx context.Context, chat string) (Conversation, error)
	// Take gives a waiting or pending conversation to agent; Conflict when
	// another agent has it.
	Take(ctx context.Context, chat, agent string, at time.Time) (Conversation, error)
	// TakeOver is Take, also of a conversation another agent has: a
	// supervisor's, when that agent is gone.
	TakeOver(ctx context.Context, chat, agent string, at time.Time) (Conversation, error)
	// Return gives agent's active conversation back to the head of the
	// line, ahead of everyone waiting (of two given back, the one that
	// came first goes first), nobody's, with line added to its messages,
	// and returns it with its Position; Conflict when it is not agent's.
	Return(ctx context.Context, chat, agent string, line Message) (Conversation, error)
	// Finish ends agent's conversation with chat; Conflict when it is not
	// agent's.
	Finish(ctx context.Context, chat, agent string) (Conversation, error)
	// Get returns the chat's conversation and its messages.
	Get(ctx context.Context, chat string) (Conversation, []Message, error)
	// List returns every conversation: waiting ones in queue order.
	List(ctx context.Context) ([]Conversation, error)
	// Head returns the first n waiting conversations (in queue order) and
	// the first n pending ones, every active one, and how many wait and
	// are pending in all: what an agent's page shows, read at each of its
	// updates without reading the whole line.
	Head(ctx context.Context, n int) (Head, error)
	// Active returns the conversations agents have, and only them: what
	// the desk reads of them every few seconds must not grow with the
	// line.
	Active(ctx context.Context) ([]Conversation, error)
	// Moves returns the waiting chats whose place is worth telling, and
	// remembers they have been told now: better than the one last told,
	// and within the first ToldNear places or at most three quarters of
	// the one last told.
	Moves(ctx context.Context) ([]Moved, error)
	// SetOpen records whether the desk is open now, once for every
	// process. Open, it moves the pending conversations into the line in
	// their order of arrival (ahead of anyone who came later). It tells
	// whom to tell: everyone in the line when the desk opened or closed,
	// and each pending conversation it moved. Processes may disagree: on
	// the same hours, one whose change is older than the one recorded (a
	// clock behind), or the other state for the same change, changes
	// nothing; on other hours (a rolling deploy that changes them), the
	// hours of the process started last win. The first call on a queue
	// changes nothing but the record: nobody is told the desk opened when
	// it was never said to be closed.
	SetOpen(ctx context.Context, now HoursNow) (Turned, error)
	// Publish tells every process's agents' pages about e.
	Publish(ctx context.Context, e Event) error
}

// Head is the head of the desk's line (Queue.Head).
type Head struct {
	// Conversations are the first waiting ones, then the first pending
	// ones, then the active ones.
	Conversations []Conversation
	// Waiting and Pending count the line and the messages left outside
	// hours, all of them.
	Waiting, Pending int
}

// Records keeps every conversation for the record (desk/sqldesk).
type Records interface {
	Opened(ctx context.Context, c Conversation, history []Message) error
	Said(ctx context.Context, convID string, m Message) error
	// Taken records that agent took the conversation from the line at
	// at. Taken again after an agent gave it back (Desk.Return), the
	// record names the new agent and keeps the first take's time: the
	// person waited until then.
	Taken(ctx context.Context, convID, agent string, at time.Time) error
	Closed(ctx context.Context, convID string, at time.Time, outcome string) error
	Rated(ctx context.Context, chat string, useful bool) error
}

// Engine is what the desk needs of the conversation engine;
// *dialog.Engine implements it.
type Engine interface {
	// AgentSaid adds the agent's message to the chat: under the chat's
	// lock, send gets it as replies to deliver, and the chat changes only
	// when send succeeds (its error returned as it is).
	AgentSaid(ctx context.Context, chat, agent, text string, send func(context.Context, []convo.Reply) error) error
	// EndHandoff gives the chat back to the bot: under the chat's lock,
	// finish gets the replies for the person and ends the desk's side,
	// and the chat goes back only when it succeeds (its error returned
	// as it is).
	EndHandoff(ctx context.Context, chat string, finish func(context.Context, []convo.Reply) error) error
	// Locked runs f under the chat's lock, the chat's state unchanged: a
	// person's message is handled before f or after it, never meanwhile.
	// Its error is returned as it is.
	Locked(ctx context.Context, chat string, f func(context.Context) error) error
}

// Deliverer sends replies to a chat on its own channel, once per key (a
// second delivery under the same key sends nothing); *bot.Outbox
// implements it.
type Deliverer interface {
	Deliver(ctx context.Context, chat, key string, replies []convo.Reply) error
}

// Withdrawer is a Deliverer that can take back a chat's unread messages
// of a kind (a place in the line, "position") where the channel keeps
// them until read; *bot.Outbox implements it.
type Withdrawer interface {
	Withdraw(ctx context.Context, chat, kind string) error
}
