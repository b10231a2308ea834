package dialog

// The values the engine exchanges with those around it. They are declared
// in dialog/convo, a leaf, so that channels, the desk and recorders need
// not import the engine (nor the registry behind it); the engine names
// them here.

import "github.com/clavebot/clavebot/dialog/convo"

type (
	// Inbound is one message from a person.
	Inbound = convo.Inbound
	// Expect names the input the bot waits for (CONTRACT §3).
	Expect = convo.Expect
	// Reply is one message from the bot.
	Reply = convo.Reply
	// Result is what one inbound message produced.
	Result = convo.Result
	// Handoff is what the desk gets with a chat.
	Handoff = convo.Handoff
	// Ticket is the chat's place in the desk's queue.
	Ticket = convo.Ticket
	// Relayed is where a person's message relayed to the desk went.
	Relayed = convo.Relayed
	// Event is something the engine records for funnels and counters.
	Event = convo.Event
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

// Guess is one intent the classifier sees in a message, with a calibrated
// score in [0, 1].
type Guess struct {
	Intent string
	Score  float64
}
