package textsplit

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func utf16(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		limit int
		units func(rune) int
		want  []string
	}{
		{"fits", "hola che", 8, Rune, []string{"hola che"}},
		{"at a space", "hola che", 6, Rune, []string{"hola", "che"}},
		{"at a paragraph", "uno dos\n\ntres", 10, Rune, []string{"uno dos", "tres"}},
		{"a long word between runes", "ñññ", 2, Rune, []string{"ññ", "ñ"}},
		{"emoji count twice in UTF-16", "👍👍👍", 4, utf16, []string{"👍👍", "👍"}},
		{"emoji count once as characters", "👍👍👍", 4, Rune, []string{"👍👍👍"}},
		{"blank", "  \n ", 10, Rune, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Split(tt.text, tt.limit, tt.units)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("Split(%q, %d) = %q, want %q", tt.text, tt.limit, got, tt.want)
			}
			for _, p := range got {
				if !utf8.ValidString(p) || Len(p, tt.units) > tt.limit {
					t.Errorf("part %q: invalid or over the limit", p)
				}
			}
		})
	}
}
