package convo

import "time"

// Flow is what the person is doing.
type Flow string

// The flows of CONVERSATION.md. Each has its entry in the engine's flow
// table.
const (
	FlowNone    Flow = ""
	FlowCreate  Flow = "create"
	FlowRecover Flow = "recover"
	FlowChange  Flow = "change"
	FlowTrouble Flow = "trouble"
	FlowFAQ     Flow = "faq"
	FlowHandoff Flow = "handoff"
	FlowContact Flow = "contact" // the e-mail and phone: add, verify, change, remove
)

// Step is the question the bot is waiting on an answer to; the engine
// names its steps.
type Step string

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
