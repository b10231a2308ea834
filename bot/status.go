package bot

import (
	"context"
	"time"
)

// State is where an out-of-turn message is on its way to the person.
type State string

// The states of a message, in the order a message goes through them;
// Failed can come at any point.
const (
	Queued    State = "queued"    // stored, not tried yet
	Retrying  State = "retrying"  // a try failed; another follows
	Held      State = "held"      // WhatsApp's 24-hour window closed: it waits for the person to write
	Sent      State = "sent"      // the platform took it
	Delivered State = "delivered" // it reached the person's phone
	Read      State = "read"      // the person opened it
	Failed    State = "failed"    // it will not be sent: see the reason
)

// Status is what became of one message of the outbox.
type Status struct {
	Key    string    `json:"key"`
	State  State     `json:"state"`
	Reason string    `json:"reason,omitempty"`
	Code   string    `json:"code,omitempty"` // the platform's code, "403", "131047"
	Tries  int       `json:"tries,omitempty"`
	ID     string    `json:"id,omitempty"` // the platform's message id
	At     time.Time `json:"at"`
}

// Receipt is a platform's later word on a message it took: delivered,
// read, or failed after all (WhatsApp's statuses, whatsmeow's receipts).
type Receipt struct {
	Chat   string // channel-qualified
	Key    string // the outbox key, when the platform echoes it
	ID     string // the platform's message id
	State  State  // Sent, Delivered, Read or Failed
	Code   string
	Reason string
	At     time.Time
	// Turn marks a turn's reply (see KeyedSender): its key may reach the
	// outbox just after this receipt, which is then kept for it.
	Turn bool
	// Again marks a failure that may pass (the platform's rate limits, a
	// failure on its side): the message, sent again, may go.
	Again bool
}

// Receipts takes the receipts platforms send; bot/relay implements it.
type Receipts interface {
	Receipt(ctx context.Context, r Receipt) error
}

// ChatDelivery is what the desk shows of a chat's out-of-turn messages.
type ChatDelivery struct {
	Chat     string            `json:"chat"`
	Statuses map[string]Status `json:"statuses"` // by key
	Waiting  int               `json:"waiting"`  // messages not sent yet
	// Stopped is why nothing is sent to the chat any more (the person
	// blocked the bot), until the person writes again.
	Stopped   string       `json:"stopped,omitempty"`
	StoppedAt time.Time    `json:"stopped_at,omitzero"`
	Window    *WindowState `json:"window,omitempty"` // set while the window is closed
}

// WindowState is a closed WhatsApp window and the template sent to reopen
// it.
type WindowState struct {
	ClosedAt time.Time `json:"closed_at"`
	Template string    `json:"template,omitempty"` // the template's name
	// TemplateStatus is nil until a template is tried.
	TemplateStatus *Status `json:"template_status,omitempty"`
}

// DeadLetter is a message the outbox gave up on, or one it holds with
// nothing asking the person to write (see Held).
type DeadLetter struct {
	Chat   string    `json:"chat"`
	Key    string    `json:"key"`
	Kind   string    `json:"kind"` // agent, reminder, rating, reply...
	Text   string    `json:"text"`
	Reason string    `json:"reason"`
	Code   string    `json:"code,omitempty"`
	Tries  int       `json:"tries"`
	At     time.Time `json:"at"`
	// Held is a message not given up but held behind a closed WhatsApp
	// window whose template failed for good: it still goes out if the
	// person writes (Reason says so), but nobody asked them to. It cannot
	// be sent again, only discarded.
	Held bool `json:"held,omitempty"`
}
