package dialog

import (
	"context"
	"time"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// Desk is the help-desk queue a chat is handed to.
type Desk interface {
	// Enqueue puts the chat in the agents' queue.
	Enqueue(ctx context.Context, h Handoff) (Ticket, error)
	// Relay passes a person's message to the agent (or to the pending
	// message when the desk is closed).
	Relay(ctx context.Context, chat, text string) error
	// Leave takes the chat out of the queue, or ends its conversation.
	Leave(ctx context.Context, chat string) error
	// Rate records the person's rating of the agent's help (1 useful, 0 not).
	Rate(ctx context.Context, chat string, useful bool) error
}

// Handoff is what the desk gets with a chat: why, and the transcript so
// far (which never holds a key).
type Handoff struct {
	Chat       string
	Channel    string
	Reason     string
	CUIL       registry.CUIL // "" when none was given
	Validated  bool          // the person passed identity validation
	Transcript []Line
}

// Ticket is the chat's place in the queue.
type Ticket struct {
	Position int  // 1 is next
	Open     bool // false outside the desk's hours: the person leaves a message
}

// Reminders writes to a person later, on their own channel.
type Reminders interface {
	Remind(ctx context.Context, chat string, at time.Time, m i18n.Message) error
}

// Event is something the engine records for funnels and counters.
type Event struct {
	Chat    string
	Channel string
	Name    string // start, step, done, validated, faq, faq_rating, ...
	Flow    Flow
	Step    Step
	Intent  string
	Value   int
	At      time.Time
}

// Recorder receives the engine's events. It must not block.
type Recorder interface {
	Record(ctx context.Context, ev Event)
}

type nopRecorder struct{}

func (nopRecorder) Record(context.Context, Event) {}

// event records ev with the turn's chat, channel and time.
func (t *turn) event(ev Event) {
	ev.Chat, ev.Channel, ev.At = t.in.Chat, t.in.Channel, t.now
	if ev.Flow == FlowNone {
		ev.Flow = t.st.Flow
	}
	t.e.rec.Record(t.ctx, ev)
}
