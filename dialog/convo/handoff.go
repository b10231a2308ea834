package convo

import (
	"time"

	"github.com/clavebot/clavebot/i18n"
)

// Handoff is what the desk gets with a chat: why, and the transcript so
// far (which never holds a key).
type Handoff struct {
	Chat    string
	Channel string
	Reason  string
	// CUIL is the person's CUIL, its 11 digits ("" when none was given);
	// the desk shows it whole only when Validated.
	CUIL       string
	Validated  bool // the person passed identity validation
	Transcript []Line
}

// Ticket is the chat's place in the queue.
type Ticket struct {
	Position int  // 1 is next
	Open     bool // false outside the desk's hours: the person leaves a message
	// Opens is when the desk opens next, when it is closed (zero: not
	// known, or never).
	Opens time.Time
	// Opening is Opens as the person is told it ("hoy a las 08:00"), in
	// the desk's zone and by its clock (i18n.Opening); empty when Opens
	// is zero.
	Opening i18n.Message
}

// Relayed is where a person's message relayed to the desk went, for what
// the bot says of it.
type Relayed struct {
	AtAgent bool // an agent has the chat and reads it as it comes
	Waiting bool // in the line, with a place (not a message left outside hours)
	// Position is the place in the line when Waiting (1 is next; 0: not
	// known).
	Position int
	Open     bool // the desk is open now
	// Opens is when the desk opens next, when it is closed (zero: not
	// known, or never).
	Opens time.Time
	// Opening is Opens as the person is told it ("hoy a las 08:00"), in
	// the desk's zone and by its clock (i18n.Opening); empty when Opens
	// is zero.
	Opening i18n.Message
	// Full: the desk took none of the message, having as many of the
	// person's messages in a row as it takes without an answer; the
	// person is to wait for one.
	Full bool
}

// Line is one message of the transcript the help desk sees. A person's key
// is stored as the key "transcript.hidden_key", never as text.
type Line struct {
	At   time.Time    `json:"at"`
	From string       `json:"from"` // "person" or "bot"
	Msg  i18n.Message `json:"msg"`
}
