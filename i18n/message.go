// Package i18n holds every word a person reads: message keys, the embedded
// catalogs (Rioplatense Spanish first, English too) and the printer that
// renders a keyed message in a language.
package i18n

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Key names a catalog entry, e.g. "create.ask_cuil".
type Key string

// Message is something to say: a catalog key with named arguments, or, for
// data that is not ours to translate (a province, an employer), literal Text.
type Message struct {
	Key  Key            `json:"k,omitempty"`
	Args map[string]any `json:"a,omitempty"`
	Text string         `json:"t,omitempty"`
}

// M builds a keyed message; kv alternates argument names and values.
func M(key Key, kv ...any) Message {
	m := Message{Key: key}
	if len(kv) > 0 {
		m.Args = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			name, _ := kv[i].(string)
			m.Args[name] = kv[i+1]
		}
	}
	return m
}

// List lists items as a sentence does, "a, b y c": the last joined by and
// (a key with the arguments head and last: "list.and", or another list's
// own), the others by "list.comma". items must not be empty.
func List(items []Message, and Key) Message {
	m := items[0]
	for i, it := range items[1:] {
		key := Key("list.comma")
		if i == len(items)-2 {
			key = and
		}
		m = M(key, "head", m, "last", it)
	}
	return m
}

// Raw wraps text that is shown as is.
func Raw(text string) Message { return Message{Text: text} }

// Lang is a language tag.
type Lang string

// The languages that ship.
const (
	ES Lang = "es" // Rioplatense Spanish, the default
	EN Lang = "en"
)

// UnmarshalJSON reads a Message as encoding/json wrote it, with its
// arguments as they were given: an object is a Message within the message
// ("Anoté {what}"), a string in RFC 3339 a time. Without this, a message
// read back from a store (the transcript the desk shows) printed a nested
// message as a Go map and a date as RFC 3339 text.
func (m *Message) UnmarshalJSON(raw []byte) error {
	var s struct {
		Key  Key                        `json:"k"`
		Args map[string]json.RawMessage `json:"a"`
		Text string                     `json:"t"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return err
	}
	*m = Message{Key: s.Key, Text: s.Text}
	if s.Args == nil {
		return nil
	}
	m.Args = make(map[string]any, len(s.Args))
	for name, v := range s.Args {
		a, err := argument(v)
		if err != nil {
			return fmt.Errorf("argument %s: %w", name, err)
		}
		m.Args[name] = a
	}
	return nil
}

// argument reads one argument of a Message.
func argument(raw json.RawMessage) (any, error) {
	switch raw = bytes.TrimSpace(raw); {
	case len(raw) > 0 && raw[0] == '{':
		var inner Message
		err := json.Unmarshal(raw, &inner)
		return inner, err
	case len(raw) > 0 && raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t, nil
		}
		return s, nil
	}
	var v any
	err := json.Unmarshal(raw, &v)
	return v, err
}

// Opening says when something happens next as a person reads it now: the
// hour alone when it is today where loc is ("hoy a las 08:00"), the date
// and hour otherwise ("el 30/11/2026 a las 08:00"). A date on a day that
// is today read as another day, and "abre el …" a date when it opened in
// an hour.
func Opening(at, now time.Time, loc *time.Location) Message {
	at, now = at.In(loc), now.In(loc)
	if y, m, d := at.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return M("when.today", "hour", at.Format("15:04"))
	}
	return M("when.day", "at", at)
}
