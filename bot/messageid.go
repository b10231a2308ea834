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
	// A string, as nearly every client sends, is read as one at once:
	// tried first as a number, it failed and built an error every turn.
	// A JSON string read as a json.Number or as a string gives the same.
	if len(raw) > 0 && raw[0] == '"' {
		return id.unmarshalString(raw)
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		*id = MessageID(n)
		return nil
	}
	return id.unmarshalString(raw)
}

func (id *MessageID) unmarshalString(raw []byte) error {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return errors.New(`"id" must be a string or a number`)
	}
	*id = MessageID(s)
	return nil
}
