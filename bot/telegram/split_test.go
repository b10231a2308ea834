package telegram

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitText(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"short", "hola", 10, []string{"hola"}},
		{"exactly the limit", "0123456789", 10, []string{"0123456789"}},
		{"empty", " \n ", 10, nil},
		{"at a paragraph", "primer párrafo\n\nsegundo", 20, []string{"primer párrafo", "segundo"}},
		{"at a line before a space", "una línea larga\notra más", 20, []string{"una línea larga", "otra más"}},
		{"early break rather than a cut word", "a cuatrocientos", 10, []string{"a", "cuatrocien", "tos"}},
		{"at a space", "uno dos tres cuatro", 10, []string{"uno dos", "tres", "cuatro"}},
		{"a long word between runes", "ááááá", 2, []string{"áá", "áá", "á"}},
		{"astral runes count twice", "🙂🙂🙂", 3, []string{"🙂", "🙂", "🙂"}},
		{"a rune wider than the limit", "🙂a", 1, []string{"🙂", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitText(tt.text, tt.limit)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("splitText(%q, %d) = %q, want %q", tt.text, tt.limit, got, tt.want)
			}
		})
	}
}

func TestSplitTextKeepsPartsValid(t *testing.T) {
	text := strings.Repeat("Señora, su CUIL es 20-31456789-4 🙂\n", 300) + strings.Repeat("ñ", 5000)
	parts := splitText(text, maxText)
	for i, p := range parts {
		if utf16Len(p) > maxText || !utf8.ValidString(p) || p == "" {
			t.Errorf("part %d: %d units, valid UTF-8 %v", i, utf16Len(p), utf8.ValidString(p))
		}
	}
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if squash(strings.Join(parts, "")) != squash(text) {
		t.Error("parts lose or add text")
	}
}

func BenchmarkSplitText(b *testing.B) {
	text := strings.Repeat("Para crear tu clave necesitás tu DNI 🙂. ", 1000)
	for b.Loop() {
		splitText(text, maxText)
	}
}
