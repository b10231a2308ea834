package pii

import "testing"

func TestPlain(t *testing.T) {
	tests := []struct{ in, want string }{
		{"nací el 14_03_1985", "nací el 14.03.1985"},
		{"31·456·789", "31.456.789"},
		{"dni ٣١٤٥٦٧٨٩", "dni 31456789"},
		{"٣١٫٤٥٦٫٧٨٩", "31.456.789"},
		{"dni 𝟑𝟏𝟒𝟓𝟔𝟕𝟖𝟗", "dni 31456789"},
		{"dni 31\u200b456\u200b789", "dni 31456789"},
		{"3️⃣1️⃣4️⃣", "314"},
		{"dni 35–218–904", "dni 35-218-904"},
		{"21—7—1990", "21-7-1990"},
		{"31\u00a0456\u2009789", "31 456 789"},
		// What is not between digits stays: an accented word, a dash
		// between words, a lone keycap's selector.
		{"José María — mañana", "José María — mañana"},
		{"a_b", "a_b"},
		{"sí ✔\ufe0f", "sí ✔\ufe0f"},
	}
	for _, tt := range tests {
		if got := Plain(tt.in); got != tt.want {
			t.Errorf("Plain(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestPlainSkipsOnlyWhatItKeeps: a text mayHaveOddDigits passes over is
// one Plain would keep as it is.
func TestPlainSkipsOnlyWhatItKeeps(t *testing.T) {
	for r := rune(0); r < 0x20000; r++ {
		for _, s := range []string{"1" + string(r) + "2", string(r)} {
			if !mayHaveOddDigits(s) && plain(s) != s {
				t.Fatalf("mayHaveOddDigits(%q) is false, but Plain changes it", s)
			}
		}
	}
}
