package dialog

import "testing"

// TestKeyInSentence: the key said in a sentence is the key; a key of
// several words set before keys were one word is compared whole (a
// regression probe: "Mi Clave2024" was split and counted wrong).
func TestKeyInSentence(t *testing.T) {
	for _, tt := range []struct{ text, key string }{
		{"mi clave actual es Primera2024a", "Primera2024a"},
		{"la clave era Primera2024a", "Primera2024a"},
		{"clave: Primera2024a", "Primera2024a"},
		{"my password is Primera2024a", "Primera2024a"},
		{"Mi Clave2024", ""},
		{"la Luna2024", ""},
		{"clave Sol2024x", ""},
		{"gato azul 2025", ""},
		{"Primera2024a", ""},
		{"mi clave es Uno2024a o Dos2024b", ""},
		{"creo que es Primera2024a", ""},
	} {
		key, ok := keyInSentence(tt.text)
		if key != tt.key || ok != (tt.key != "") {
			t.Errorf("keyInSentence(%q) = %q, %v; want %q", tt.text, key, ok, tt.key)
		}
	}
}
