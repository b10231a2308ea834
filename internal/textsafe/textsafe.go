// Package textsafe says which characters would make a reader see other
// text than was written: the engine drops them from what a person types,
// and the desk shows them as U+FFFD in ids a client chose.
package textsafe

// Misleads reports whether r is a C0 or C1 control other than the line
// feed (an escape sequence, a carriage return over a line), DEL, or one of
// Unicode's bidi embeddings, overrides, isolates and marks, which reorder
// text ("\u202egnp.exe" shows as "exe.png").
func Misleads(r rune) bool {
	switch {
	case r == '\n':
		return false
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}
