package dialog

import (
	"fmt"

	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
)

// Line is one message of the transcript the help desk sees (see
// convo.Line).
type Line = convo.Line

// addLine adds a line to the transcript the desk sees.
func (t *turn) addLine(from string, m i18n.Message) {
	t.lines = append(t.lines, Line{At: t.now, From: from, Msg: m})
}

// newLines encodes the turn's lines for the store (see entry.go), the
// newest TranscriptLines of them (the desk sees no more), in one buffer:
// one turn entry, or more when the lines are of several times (those of a
// state of the version before the transcript was kept apart) or of
// another sender (a line entry each).
func (t *turn) newLines() ([][]byte, error) {
	lines := t.lines[max(0, len(t.lines)-TranscriptLines):]
	var out [][]byte
	buf := make([]byte, 0, 40*len(lines))
	for len(lines) > 0 {
		start, n := len(buf), turnLen(lines)
		var err error
		if n == 0 {
			n = 1
			buf, err = appendLine(buf, lines[0])
		} else {
			buf, err = appendEntry(buf, lines[:n])
		}
		if err != nil {
			return nil, fmt.Errorf("transcript line: %w", err)
		}
		out = append(out, buf[start:len(buf):len(buf)])
		lines = lines[n:]
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
	var lines []Line
	for _, raw := range stored {
		ls, err := decodeEntry(raw)
		if err != nil {
			t.e.log.Warn("unreadable transcript entry left out", "err", err)
			continue
		}
		lines = append(lines, ls...)
	}
	lines = append(lines, t.lines...)
	return lines[max(0, len(lines)-TranscriptLines):], nil
}
