package dialog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/clavebot/clavebot/i18n"
)

// The StateStore keeps a chat's transcript as a list of entries, each
// JSON, of two kinds:
//
//   - A turn, [at, person, bot...]: the lines of one message of the
//     person and the bot's answer, written by this version. at is their
//     time in Unix seconds (the desk shows it to the minute; the lines
//     keep their order); person is the person's message, or null when
//     the bot spoke alone (an agent's message pushed to the chat); bot...
//     are the bot's messages, in order. A message is a number when it is
//     a key of entryKeys without arguments (its index there); a JSON
//     string when it is the person's text or another key of the bot
//     without arguments; an array [key, name, value, name, value...] for
//     any other key without text (the person's included), its key a
//     number or a string as above; else an i18n.Message's own JSON object
//     ({"k":..,"a":{..},"t":..}).
//   - A line, {"a": at in Unix ms, "f": sender, "m": message} (storedLine):
//     one message. The version before turns wrote every line so, and such
//     lines stay in Redis through a rolling upgrade: they are still read.
//     This version writes a line only for a sender other than the person
//     and the bot, which it does not have.
//
// A turn of the questions-cancel flow, [1795532400,"hola",0,1], takes 25
// bytes where its three lines took 149: issue 14 asks at most 1.5 KB of
// Redis for an active chat (TestRedisFootprint).
//
// appendEntry and appendLine write them by hand: a turn writes one at
// least, and encoding/json took most of a turn's time doing it. They read
// back as encoding/json reads them (TestEntryEncoding, TestLineEncoding).

// The senders of a turn.
const (
	fromPerson = "person"
	fromBot    = "bot"
)

// turnLen is how many of lines, from the first, appendEntry writes as one
// turn: at most one of the person's, then the bot's, all of one time.
func turnLen(lines []Line) int {
	i := 0
	if len(lines) > 0 && lines[0].From == fromPerson {
		i = 1
	}
	for i < len(lines) && lines[i].From == fromBot && lines[i].At.Equal(lines[0].At) {
		i++
	}
	return i
}

// appendEntry appends lines (see turnLen) as a turn.
func appendEntry(buf []byte, lines []Line) ([]byte, error) {
	buf = append(buf, '[')
	buf = strconv.AppendInt(buf, lines[0].At.Unix(), 10)
	if lines[0].From == fromBot {
		buf = append(buf, ",null"...)
	}
	for _, l := range lines {
		var err error
		if buf, err = appendSaid(append(buf, ','), l.Msg, l.From); err != nil {
			return buf, err
		}
	}
	return append(buf, ']'), nil
}

// appendSaid appends m, said by from, as a turn writes a message (see
// above); decodeMessage reads it back.
func appendSaid(buf []byte, m i18n.Message, from string) ([]byte, error) {
	switch code := keyCode(m.Key); {
	case code >= 0 && m.Text == "" && len(m.Args) == 0:
		return strconv.AppendInt(buf, int64(code), 10), nil
	case from == fromPerson && m.Key == "" && len(m.Args) == 0:
		return appendString(buf, m.Text), nil
	case from == fromBot && m.Text == "" && len(m.Args) == 0:
		return appendString(buf, string(m.Key)), nil
	case m.Key != "" && m.Text == "":
		return appendKeyed(buf, m)
	default:
		return appendMessage(buf, m)
	}
}

// appendKeyed appends m, a key with arguments, as [key, name, value...].
func appendKeyed(buf []byte, m i18n.Message) ([]byte, error) {
	buf = append(buf, '[')
	if code := keyCode(m.Key); code >= 0 {
		buf = strconv.AppendInt(buf, int64(code), 10)
	} else {
		buf = appendString(buf, string(m.Key))
	}
	for name, v := range m.Args {
		buf = append(appendString(append(buf, ','), name), ',')
		var err error
		if buf, err = appendValue(buf, v); err != nil {
			return buf, fmt.Errorf("argument %s: %w", name, err)
		}
	}
	return append(buf, ']'), nil
}

// decodeEntry reads a transcript entry of either kind.
func decodeEntry(raw []byte) ([]Line, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '[' {
		l, err := decodeLine(raw)
		if err != nil {
			return nil, err
		}
		return []Line{l}, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, err
	}
	var sec int64
	if len(items) < 2 {
		return nil, errors.New("transcript turn without a message")
	}
	if err := json.Unmarshal(items[0], &sec); err != nil {
		return nil, fmt.Errorf("transcript turn time: %w", err)
	}
	at := time.Unix(sec, 0)
	lines := make([]Line, 0, len(items)-1)
	for i, it := range items[1:] {
		it, from := bytes.TrimSpace(it), fromBot
		if i == 0 {
			if string(it) == "null" {
				continue
			}
			from = fromPerson
		}
		m, err := decodeMessage(it, from)
		if err != nil {
			return nil, err
		}
		lines = append(lines, Line{At: at, From: from, Msg: m})
	}
	return lines, nil
}

// decodeMessage reads a message of a turn said by from.
func decodeMessage(raw json.RawMessage, from string) (i18n.Message, error) {
	var m i18n.Message
	switch {
	case len(raw) > 0 && raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		if from == fromPerson {
			return i18n.Raw(s), err
		}
		return i18n.M(i18n.Key(s)), err
	case len(raw) > 0 && raw[0] == '[':
		return decodeKeyed(raw)
	case len(raw) > 0 && raw[0] >= '0' && raw[0] <= '9':
		key, err := codedKey(raw)
		return i18n.M(key), err
	}
	err := json.Unmarshal(raw, &m)
	return m, err
}

// decodeKeyed reads [key, name, value...] as i18n.Message reads its own
// JSON, {"k": key, "a": {name: value...}}, which it is rewritten to: an
// argument comes back as it was given (a message, a date).
func decodeKeyed(raw json.RawMessage) (i18n.Message, error) {
	var parts []json.RawMessage
	if err := json.Unmarshal(raw, &parts); err != nil {
		return i18n.Message{}, err
	}
	if len(parts)%2 != 1 {
		return i18n.Message{}, fmt.Errorf("transcript message %s: a name without its value", raw)
	}
	for i := range parts {
		parts[i] = bytes.TrimSpace(parts[i])
	}
	obj := []byte(`{"k":`)
	if len(parts[0]) > 0 && parts[0][0] >= '0' && parts[0][0] <= '9' {
		key, err := codedKey(parts[0])
		if err != nil {
			return i18n.Message{}, err
		}
		obj = appendString(obj, string(key))
	} else {
		obj = append(obj, parts[0]...)
	}
	for i := 1; i < len(parts); i += 2 {
		if len(parts[i]) == 0 || parts[i][0] != '"' {
			return i18n.Message{}, fmt.Errorf("transcript message %s: argument name %s", raw, parts[i])
		}
		obj = append(obj, ',')
		if i == 1 {
			obj = append(obj, `"a":{`...)
		}
		obj = append(append(append(obj, parts[i]...), ':'), parts[i+1]...)
	}
	if len(parts) > 1 {
		obj = append(obj, '}')
	}
	var m i18n.Message
	err := json.Unmarshal(append(obj, '}'), &m)
	return m, err
}

// codedKey reads a key written as its number in entryKeys.
func codedKey(raw json.RawMessage) (i18n.Key, error) {
	n, err := strconv.Atoi(string(raw))
	if err != nil || n < 0 || n >= len(entryKeys) {
		return "", fmt.Errorf("transcript message %s: no such key number", raw)
	}
	return entryKeys[n], nil
}

// storedLine is a Line as a line entry of the transcript.
type storedLine struct {
	At   int64        `json:"a"`
	From string       `json:"f"`
	Msg  i18n.Message `json:"m"`
}

// appendLine appends l as a line entry.
func appendLine(buf []byte, l Line) ([]byte, error) {
	buf = append(buf, `{"a":`...)
	buf = strconv.AppendInt(buf, l.At.UnixMilli(), 10)
	buf = append(buf, `,"f":`...)
	buf = appendString(buf, l.From)
	buf = append(buf, `,"m":`...)
	buf, err := appendMessage(buf, l.Msg)
	return append(buf, '}'), err
}

func decodeLine(raw []byte) (Line, error) {
	var s storedLine
	if err := json.Unmarshal(raw, &s); err != nil {
		return Line{}, err
	}
	return Line{At: time.UnixMilli(s.At), From: s.From, Msg: s.Msg}, nil
}

// appendMessage appends m as encoding/json would write it.
func appendMessage(buf []byte, m i18n.Message) ([]byte, error) {
	buf = append(buf, '{')
	sep := false
	field := func(name string) {
		if sep {
			buf = append(buf, ',')
		}
		buf, sep = append(buf, name...), true
	}
	if m.Key != "" {
		field(`"k":`)
		buf = appendString(buf, string(m.Key))
	}
	if len(m.Args) > 0 {
		field(`"a":{`)
		first := true
		for name, v := range m.Args {
			if !first {
				buf = append(buf, ',')
			}
			first = false
			buf = append(appendString(buf, name), ':')
			var err error
			if buf, err = appendValue(buf, v); err != nil {
				return buf, fmt.Errorf("argument %s: %w", name, err)
			}
		}
		buf = append(buf, '}')
	}
	if m.Text != "" {
		field(`"t":`)
		buf = appendString(buf, m.Text)
	}
	return append(buf, '}'), nil
}

// appendValue appends a message argument: the common kinds by hand, the
// rest (a date, a named type) through encoding/json.
func appendValue(buf []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case string:
		return appendString(buf, v), nil
	case int:
		return strconv.AppendInt(buf, int64(v), 10), nil
	case i18n.Message:
		return appendMessage(buf, v)
	}
	raw, err := json.Marshal(v)
	return append(buf, raw...), err
}

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD,
// as encoding/json writes it.
func appendString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				buf = append(buf, `\ufffd`...)
			} else {
				buf = append(buf, s[i:i+n]...)
			}
			i += n
			continue
		case c == '"' || c == '\\':
			buf = append(buf, '\\', c)
		case c == '\n':
			buf = append(buf, '\\', 'n')
		case c < 0x20:
			buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			buf = append(buf, c)
		}
		i++
	}
	return append(buf, '"')
}
