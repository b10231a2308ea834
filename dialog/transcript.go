package dialog

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

// Line is one message of the transcript the help desk sees (see
// convo.Line).
type Line = convo.Line

// storedLine is a Line as the StateStore keeps it, one JSON object per
// line: short names, the time in Unix milliseconds (as the desk keeps it).
// appendLine writes it; encoding/json reads it.
type storedLine struct {
	At   int64        `json:"a"`
	From string       `json:"f"`
	Msg  i18n.Message `json:"m"`
}

// appendLine appends l as a storedLine in JSON. It is written by hand
// because a turn writes several lines and encoding/json took most of a
// turn's time doing it; the lines read back the same (see
// TestLineEncoding).
func appendLine(buf []byte, l Line) ([]byte, error) {
	buf = append(buf, `{"a":`...)
	buf = strconv.AppendInt(buf, l.At.UnixMilli(), 10)
	buf = append(buf, `,"f":`...)
	buf = appendString(buf, l.From)
	buf = append(buf, `,"m":`...)
	buf, err := appendMessage(buf, l.Msg)
	return append(buf, '}'), err
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

func decodeLine(raw []byte) (Line, error) {
	var s storedLine
	if err := json.Unmarshal(raw, &s); err != nil {
		return Line{}, err
	}
	return Line{At: time.UnixMilli(s.At), From: s.From, Msg: s.Msg}, nil
}

// addLine adds a line to the transcript the desk sees.
func (t *turn) addLine(from string, m i18n.Message) {
	t.lines = append(t.lines, Line{At: t.now, From: from, Msg: m})
}

// newLines encodes the turn's lines for the store, the newest
// TranscriptLines of them (the store keeps no more), in one buffer.
func (t *turn) newLines() ([][]byte, error) {
	lines := t.lines[max(0, len(t.lines)-TranscriptLines):]
	out := make([][]byte, len(lines))
	buf := make([]byte, 0, 96*len(lines))
	for i, l := range lines {
		start := len(buf)
		var err error
		if buf, err = appendLine(buf, l); err != nil {
			return nil, fmt.Errorf("transcript line: %w", err)
		}
		out[i] = buf[start:len(buf):len(buf)]
	}
	return out, nil
}

// transcript returns the chat's transcript so far, for the desk: the
// store's lines and this turn's. A line the store holds that cannot be
// read is left out rather than keep the chat from the desk.
func (t *turn) transcript() ([]Line, error) {
	stored, err := t.e.store.Transcript(t.ctx, t.in.Chat)
	if err != nil {
		return nil, fmt.Errorf("dialog: read transcript: %w", err)
	}
	lines := make([]Line, 0, len(stored)+len(t.lines))
	for _, raw := range stored {
		l, err := decodeLine(raw)
		if err != nil {
			t.e.log.Warn("unreadable transcript line left out", "err", err)
			continue
		}
		lines = append(lines, l)
	}
	lines = append(lines, t.lines...)
	return lines[max(0, len(lines)-TranscriptLines):], nil
}
