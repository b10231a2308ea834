package sqlstore

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// jsonNames appends to dst the names in s, a JSON array of strings, as
// json.Unmarshal would parse them. The arrays donors lend (donorSQL) are
// nearly always plain names, strings without escapes, which are read in
// place, sharing s's memory; anything else (escapes, control characters,
// invalid UTF-8 that json.Unmarshal would replace, null) goes to
// json.Unmarshal.
func jsonNames(dst []string, s string) ([]string, error) {
	if names, ok := plainNames(dst, s); ok {
		return names, nil
	}
	var names []string
	if err := json.Unmarshal([]byte(s), &names); err != nil {
		return nil, fmt.Errorf("scan json names: %w", err)
	}
	return append(dst, names...), nil
}

// plainNames appends to dst the names in s when it is an array of strings
// without escapes or control characters, in valid UTF-8; ok is false for
// anything else.
func plainNames(dst []string, s string) (names []string, ok bool) {
	i := skipJSONSpace(s, 0)
	if i == len(s) || s[i] != '[' {
		return nil, false
	}
	names = dst
	i = skipJSONSpace(s, i+1)
	if i < len(s) && s[i] == ']' {
		return names, skipJSONSpace(s, i+1) == len(s)
	}
	for i < len(s) && s[i] == '"' {
		end, ok := plainStringEnd(s, i+1)
		if !ok {
			return nil, false
		}
		names = append(names, s[i+1:end])
		i = skipJSONSpace(s, end+1)
		switch {
		case i == len(s):
			return nil, false
		case s[i] == ']':
			return names, skipJSONSpace(s, i+1) == len(s)
		case s[i] != ',':
			return nil, false
		}
		i = skipJSONSpace(s, i+1)
	}
	return nil, false
}

// plainStringEnd is the index of the quote closing the string whose text
// starts at s[i], when that text needs no decoding.
func plainStringEnd(s string, i int) (int, bool) {
	ascii := true
	for j := i; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			return j, ascii || utf8.ValidString(s[i:j])
		case c == '\\' || c < 0x20:
			return 0, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return 0, false
}

func skipJSONSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}
