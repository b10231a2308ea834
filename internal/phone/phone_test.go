package phone

import "testing"

// The numbering plan's cases are registry's (TestParsePhone, which reads
// through Parse); these hold what a channel's sender number and the
// masks rely on.
func TestParse(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"+5491123456789", "+5491123456789", true},
		{"+541123456789", "+5491123456789", true},
		{"+34612345678", "+34612345678", true},
		{"+5491111111111", "", false}, // a local number starting with 1
		{"+12345", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Parse(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if ok {
			if again, _ := Parse(got); again != got {
				t.Errorf("Parse(%q) = %q: not a fixed point", got, again)
			}
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+5491123456789", "+54 9 11 ****-6789"},
		{"+5493515551234", "+54 9 351 ***-1234"},
		{"+34612345678", "+34 *****5678"},
		{"+123", "***"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
