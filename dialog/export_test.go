package dialog

import "strings"

// ReadStoredLines reads a transcript as dialogtest.MemStore's Lines shows
// it, one entry a line of text, for the tests that check what is stored.
func ReadStoredLines(entries string) ([]Line, error) {
	var lines []Line
	for _, raw := range strings.Split(strings.TrimSpace(entries), "\n") {
		if raw == "" {
			continue
		}
		ls, err := decodeEntry([]byte(raw))
		if err != nil {
			return nil, err
		}
		lines = append(lines, ls...)
	}
	return lines, nil
}
