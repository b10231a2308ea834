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

func TestLandline(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"+541143219876", true},
		{"+54 351 421-9876", true},
		{"541143219876", true},
		{"+5491143219876", false},
		{"+54 11 15 4321-9876", false}, // the 15 of a mobile
		{"011 4321-9876", false},       // national: a mobile without its 15, as often written
		{"1143219876", false},
		{"+34612345678", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := Landline(tt.in); got != tt.want {
			t.Errorf("Landline(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+5491123456789", "+54 9 11 ****-6789"},
		{"+5493515551234", "+54 9 351 ***-1234"},
		{"+34612345678", "+34 *****5678"},
		// The country code is 1, 2 or 3 digits (E.164): a US number
		// was shown "+14 *****2671", a country that does not exist.
		{"+14155552671", "+1 ******2671"},
		{"+79161234567", "+7 ******4567"},
		{"+447911123456", "+44 ******3456"},
		{"+59899123456", "+598 ****3456"},
		{"+351912345678", "+351 *****5678"},
		{"+5511987654321", "+55 *******4321"},
		{"+123", "***"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
