package registry

import "golang.org/x/text/unicode/norm"

// keyForm is a key as it is judged, sealed and hashed: in NFC. A letter
// with an accent reaches the bot as one code point from most phones and as
// the letter and a combining accent from some keyboards and pastes: the
// same key typed on two devices was two keys, "wrong" at the portal and
// "Las dos claves no coinciden" at the confirmation (a data probe).
func keyForm(key string) string { return norm.NFC.String(key) }
