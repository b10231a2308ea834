package dialog

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/clavebot/clavebot/i18n"
)

// Line is one message of the transcript the help desk sees. A person's key
// is stored as the key "transcript.hidden_key", never as text.
type Line struct {
	At   time.Time    `json:"at"`
	From string       `json:"from"` // "person" or "bot"
	Msg  i18n.Message `json:"msg"`
}

// storedLine is a Line as the StateStore keeps it, one JSON object per
// line: short names, the time in Unix milliseconds (as the desk keeps it).
type storedLine struct {
	At   int64        `json:"a"`
	From string       `json:"f"`
	Msg  i18n.Message `json:"m"`
}

func encodeLine(l Line) ([]byte, error) {
	return json.Marshal(storedLine{At: l.At.UnixMilli(), From: l.From, Msg: l.Msg})
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
// TranscriptLines of them (the store keeps no more).
func (t *turn) newLines() ([][]byte, error) {
	lines := t.lines[max(0, len(t.lines)-TranscriptLines):]
	out := make([][]byte, len(lines))
	for i, l := range lines {
		raw, err := encodeLine(l)
		if err != nil {
			return nil, err
		}
		out[i] = raw
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
