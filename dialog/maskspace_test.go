package dialog

import (
	"strings"
	"testing"
	"time"
)

// TestKeysBetweenUnicodeSpaces: a key typed where none is asked, between
// spaces that are not ASCII (a phone's no-break space, a CJK keyboard's
// ideographic space, text pasted from a web page), is hidden as between
// plain ones. The masks split words at ASCII spaces only: the sentence
// was one "word" longer than a key can be, and reached the desk in clear
// (an attack probe). The key policy already reads every Unicode space as
// one (registry.RuleSpace), so no key holds one.
func TestKeysBetweenUnicodeSpaces(t *testing.T) {
	now := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ name, space string }{
		{"no-break space", "\u00a0"},
		{"narrow no-break space", "\u202f"},
		{"figure space", "\u2007"},
		{"thin space", "\u2009"},
		{"ideographic space", "\u3000"},
		{"em space", "\u2003"},
		{"next line", "\u0085"},
		// Invisible, and no key may hold one (registry.RuleInvisible).
		{"zero-width space", "\u200b"},
		{"word joiner", "\u2060"},
		{"byte order mark", "\ufeff"},
		{"soft hyphen", "\u00ad"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.Join([]string{"hola,", "mi", "clave", "es", "Mate2025amargo", "y", "no", "entra"}, tt.space)
			if got := maskData(text, now); strings.Contains(got, "Mate2025") {
				t.Errorf("maskData(%q) = %q: the key left in clear", text, got)
			}
		})
	}
}

// TestKeysGluedToLongWords: a key written with its label and the next
// datum without a space after the punctuation ("clave:Mate2025amargo,
// cuil:…") made one word longer than a key can be, which the mask let
// through whole (an attack probe). The parts of such a word between
// punctuation are judged as words.
func TestKeysGluedToLongWords(t *testing.T) {
	now := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	for _, text := range []string{
		"clave:Mate2025amargo,cuil:27352189044",
		"usuario=lucia.fernandez;clave=Mate2025amargo",
		"(mi-clave-era:Mate2025amargo)no-entra-nunca",
		"hola!!!mi_clave_es_Mate2025amargo,gracias",
	} {
		if got := maskData(text, now); strings.Contains(got, "Mate2025") {
			t.Errorf("maskData(%q) = %q: the key left in clear", text, got)
		}
	}
}
