package desk

import (
	"errors"
	"fmt"

	"github.com/clavebot/clavebot/internal/errs"
)

// Why an agent's action is refused, by name, for the agents' page to say
// in its own words: it showed the errors' English ("desk reply: a reply
// has 1 to 2000 characters", "desk take: the conversation is beto's") on
// a page in Spanish (found by a probe).
const (
	RefusedReplyLength = "reply_length"     // a reply has 1 to MaxReply characters
	RefusedReplyID     = "reply_id"         // the page's id for a reply is malformed
	RefusedTaken       = "taken"            // another agent has the chat
	RefusedNotYours    = "not_yours"        // the chat is not the agent's: take it first
	RefusedEnded       = "ended"            // the person left, or the chat was closed
	RefusedGone        = "gone"             // the chat is no longer on the desk
	RefusedSupervisors = "supervisors_only" // taking over a chat is a supervisor's
	RefusedUnavailable = "unavailable"      // a store is down: try again
)

var (
	errReplyLength = fmt.Errorf("a reply has 1 to %d characters", MaxReply)
	errReplyID     = errors.New("a reply id has 8 to 64 letters, digits, - or _")
	errNotYoursYet = errors.New("the chat is not yours: take it first")
	errSupervisors = errors.New("taking over a chat is for supervisors")
)

// Refusal names why err refused an agent's action (one of the Refused
// constants), "" when it is none of those.
func Refusal(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, errReplyLength):
		return RefusedReplyLength
	case errors.Is(err, errReplyID):
		return RefusedReplyID
	case errors.Is(err, errEnded):
		return RefusedEnded
	case errors.Is(err, errNotYoursYet):
		return RefusedNotYours
	case errors.Is(err, errNotYours):
		return RefusedTaken
	case errors.Is(err, errSupervisors):
		return RefusedSupervisors
	}
	var e *errs.Error
	if !errors.As(err, &e) {
		return ""
	}
	switch e.Kind {
	case errs.NotFound:
		return RefusedGone
	case errs.Unavailable:
		return RefusedUnavailable
	case errs.Conflict:
		// The queue's refusals: a take finds the chat another's, a close
		// one that is not the agent's.
		if e.Op == "desk finish" {
			return RefusedNotYours
		}
		return RefusedTaken
	}
	return ""
}
