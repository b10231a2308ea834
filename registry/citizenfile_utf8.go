package registry

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// notUTF8 names the first field of raw, a JSON value at path that is not
// valid UTF-8, holding bytes that are not: "last_names",
// "employers[0].name"; the path itself when raw is a string (or does not
// parse). The first in the line's order, whatever the field, those a
// citizen does not have included: the file is in another encoding.
func notUTF8(raw []byte, path string) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return path
	}
	switch tok {
	case json.Delim('{'):
		for dec.More() {
			start := dec.InputOffset()
			key, err := dec.Token()
			name, _ := key.(string)
			field := join(path, name)
			if err != nil || !utf8.Valid(raw[start:dec.InputOffset()]) {
				return field
			}
			if f, bad := notUTF8Value(dec, field); bad {
				return f
			}
		}
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if f, bad := notUTF8Value(dec, fmt.Sprintf("%s[%d]", path, i)); bad {
				return f
			}
		}
	}
	return path
}

// notUTF8Value reads the next value of dec, and names its field that is
// not UTF-8, if any.
func notUTF8Value(dec *json.Decoder, path string) (string, bool) {
	var v json.RawMessage // the bytes as written
	if err := dec.Decode(&v); err != nil {
		return path, true
	}
	if utf8.Valid(v) {
		return "", false
	}
	return notUTF8(v, path), true
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
