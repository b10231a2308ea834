package textsafe

import "testing"

func TestMisleads(t *testing.T) {
	tests := []struct {
		r    rune
		want bool
	}{
		{'a', false}, {'ñ', false}, {'\n', false}, {' ', false}, {'😀', false},
		{'\r', true}, {'\t', true}, {0x1b, true}, {0x00, true}, {0x7f, true}, {0x85, true},
		{0x202e, true}, {0x202a, true}, {0x2066, true}, {0x2069, true}, {0x200e, true}, {0x200f, true}, {0x061c, true},
		{0x202f, false}, {0x2065, false},
	}
	for _, tt := range tests {
		if got := Misleads(tt.r); got != tt.want {
			t.Errorf("Misleads(%U) = %v, want %v", tt.r, got, tt.want)
		}
	}
}
