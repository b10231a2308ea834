package bot

import (
	"encoding/json"
	"errors"
)

// MessageID is a message id a client gives in JSON as a string or a
// number: scripts and clients number their messages, and "id":7 refused
// the whole message, which was lost (found by probes of the REST chat and
// of `chat --jsonl`). A number is kept as its digits.
type MessageID string

func (id *MessageID) UnmarshalJSON(raw []byte) error {
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		*id = MessageID(n)
		return nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return errors.New(`"id" must be a string or a number`)
	}
	*id = MessageID(s)
	return nil
}
