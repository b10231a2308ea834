// Package i18n holds every word a person reads: message keys, the embedded
// catalogs (Rioplatense Spanish first, English too) and the printer that
// renders a keyed message in a language.
package i18n

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

// Raw wraps text that is shown as is.
func Raw(text string) Message { return Message{Text: text} }

// Lang is a language tag.
type Lang string

// The languages that ship.
const (
	ES Lang = "es" // Rioplatense Spanish, the default
	EN Lang = "en"
)
