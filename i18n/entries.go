package i18n

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// decodeEntries reads a flat JSON object of strings as key/value pairs in
// order. json.Unmarshal into a map would silently keep the last of two
// entries with the same key; reading the pairs lets loadFile reject it.
func decodeEntries(data []byte) ([][2]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if tok != json.Delim('{') {
		return nil, errors.New("want a JSON object of strings")
	}
	var out [][2]string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, _ := tok.(string) // the decoder only yields strings as object keys
		var v string
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("key %q: %w", k, err)
		}
		out = append(out, [2]string{k, v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON object")
	}
	return out, nil
}
