package pii

import "testing"

func TestCUIL(t *testing.T) {
	tests := []struct{ in, format, masked string }{
		{"27352189044", "27-35218904-4", "27-****8904-4"},
		{"2735218904", "2735218904", "***"},
		{"", "", "***"},
	}
	for _, tt := range tests {
		if got := CUIL(tt.in); got != tt.format {
			t.Errorf("CUIL(%q) = %q, want %q", tt.in, got, tt.format)
		}
		if got := MaskCUIL(tt.in); got != tt.masked {
			t.Errorf("MaskCUIL(%q) = %q, want %q", tt.in, got, tt.masked)
		}
	}
}

func TestMaskEmails(t *testing.T) {
	tests := []struct{ in, want string }{
		{"escribime a lucia@gmail.com", "escribime a l***@gmail.com"},
		{"<ñandu@x.ar>, @solo", "<ñ***@x.ar>, @solo"},
		{"sin direcciones", "sin direcciones"},
		// Spaces around the @, as a phone's keyboard puts them: the bot
		// takes the address.
		{"mi mail es Lucia.F @ Gmail.com", "mi mail es L***@Gmail.com"},
		{"lucia@ gmail.com y lucia @gmail.com", "l***@gmail.com y l***@gmail.com"},
	}
	for _, tt := range tests {
		if got := MaskEmails(tt.in); got != tt.want {
			t.Errorf("MaskEmails(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := MaskEmail("@x"); got != "***" {
		t.Errorf("MaskEmail(@x) = %q", got)
	}
}
