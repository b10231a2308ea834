package dialog

import (
	"context"
	"time"

	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
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

// The values the desk and recorders get are declared in dialog/convo, a
// leaf, so that they need not import the engine.
type (
	// Handoff is what the desk gets with a chat.
	Handoff = convo.Handoff
	// Ticket is the chat's place in the queue.
	Ticket = convo.Ticket
	// Event is something the engine records for funnels and counters.
	Event = convo.Event
)

// Reminders writes to a person later, on their own channel.
type Reminders interface {
	Remind(ctx context.Context, chat string, at time.Time, m i18n.Message) error
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

// The do-nothing collaborators New starts with, for what the options do
// not give: the engine calls its collaborators without asking whether it
// has them.
type (
	noClassifier struct{}
	noDesk       struct{}
	noReminders  struct{}
	noCodeSender struct{}
)

func (noClassifier) Classify(string) []Guess { return nil }

// A desk is offered only when WithDesk gave one (Engine.hasDesk), so
// nothing is enqueued here; leaving, rating and relaying do nothing.
func (noDesk) Enqueue(context.Context, Handoff) (Ticket, error) {
	return Ticket{}, errs.E(errs.Unavailable, "enqueue", errNoDesk)
}
func (noDesk) Relay(context.Context, string, string) error { return nil }
func (noDesk) Leave(context.Context, string) error         { return nil }
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
