package faq

import (
	"slices"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"case and accents", "¿Qué es la CLAVE?", "que es la clave"},
		{"enie folded", "contraseña", "clave"},
		{"repeated letters", "holaaa siii", "hola si"},
		{"real double letters kept", "llave correo leer", "llave correo leer"},
		{"doubled a collapsed", "holaa", "hola"},
		{"abbreviations", "q hago xq no tengo la clabe", "que hago porque no tengo la clave"},
		{"expansion to two words", "xfa nose", "por favor no se"},
		{"misspelled password", "me olvide la contraceña", "me olvide la clave"},
		{"accented olvidé", "Olvidé", "olvide"},
		{"punctuation splits", "cuil:20-31456789-4!", "cuil num numdni num"},
		{"long number", "20314567894", "numcuil"},
		{"desk synonyms", "pasame con un operador", "pasame con un persona"},
		{"arca is afip", "ARCA", "afip"},
		{"emoji only", "👍👍", ""},
		{"english contractions", "I'm sure I can't, don't", "i am sure i can not do not"},
		{"contraction typed without apostrophe", "i cant", "i can not"},
		{"curly apostrophe", "I don’t know what’s that", "i do not know what is that"},
		{"no stray letter read as de", "i'd like", "id like"},
		{"english names of the key", "forgot my Key, passwords", "forgot my clave claves"},
		{"spanish accent typed apart", "olvid´e", "olvide"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(normalize(tt.in), " "); got != tt.want {
				t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTermsStemAndGrams(t *testing.T) {
	words, chars := terms("olvidé claves")
	for _, want := range []string{"w:olvid", "w:clav", "b:olvid_clav"} {
		if !slices.Contains(words, want) {
			t.Errorf("words %v lack %q", words, want)
		}
	}
	for _, want := range []string{"c: cl", "c:clave", "c:ves "} {
		if !slices.Contains(chars, want) {
			t.Errorf("chars lack %q", want)
		}
	}
	if slices.Contains(chars, "c:e cl") {
		t.Error("character n-grams cross a word boundary")
	}
}
