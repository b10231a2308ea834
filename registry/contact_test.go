package registry_test

import (
	"errors"
	"testing"

	"github.com/clavebot/clavebot/registry"
)

func TestParsePhone(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"11 2345-6789", "+5491123456789"},
		{"011 15 2345-6789", "+5491123456789"},
		{"+54 9 11 2345 6789", "+5491123456789"},
		{"+54 11 2345 6789", "+5491123456789"},
		{"+54 11 15 2345 6789", "+5491123456789"},
		{"+54 9 11 15 2345-6789", "+5491123456789"},
		{"5491123456789", "+5491123456789"},
		{"541123456789", "+5491123456789"},
		{"(011) 15-2345-6789", "+5491123456789"},
		{"1123456789", "+5491123456789"},
		{"0351 15-555-1234", "+5493515551234"},
		{"351 555 1234", "+5493515551234"},
		{"+54 9 351 555-1234", "+5493515551234"},
		{"02966 15 423456", "+5492966423456"},
		{"2966 423456", "+5492966423456"},
		{"0221 15 456 7890", "+5492214567890"},
		{"+34 612 345 678", "+34612345678"},
		{"+1 (202) 555-0143", "+12025550143"},
	}
	for _, tt := range tests {
		got, err := registry.ParsePhone(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParsePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	bad := []string{
		"", "hola", "2345-6789", "15 2345 6789", "11 2345 678", "11 0345 6789",
		"011 16 2345 6789", "+0 123456789", "+12 345", "4123456789", "1123456789012345",
		"11 2345 6789 int 12",
	}
	for _, in := range bad {
		if got, err := registry.ParsePhone(in); !errors.Is(err, registry.ErrPhoneFormat) {
			t.Errorf("ParsePhone(%q) = %q, %v; want ErrPhoneFormat", in, got, err)
		}
	}
}

func TestParseEmail(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"lucia@gmail.com", "lucia@gmail.com"},
		{"  Lucia.Fernandez@Gmail.COM ", "lucia.fernandez@gmail.com"},
		{"ramon+anses@hotmail.com.ar", "ramon+anses@hotmail.com.ar"},
		{"mailto:a@b.gob.ar", "a@b.gob.ar"},
		{"x_y-z@mi-dominio.org", "x_y-z@mi-dominio.org"},
	}
	for _, tt := range tests {
		got, err := registry.ParseEmail(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseEmail(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	bad := []string{
		"", "lucia", "lucia@", "@gmail.com", "lucia@gmail", "lucia@@gmail.com",
		"Lucía <lucia@gmail.com>", "lucia@gmail.com, otro@gmail.com", "lucia @gmail.com",
		"lucia@[127.0.0.1]", "lucia@-gmail.com", "lucia@gmail.c0m", "lucía@gmail.com",
		"lucia@gmáil.com", "lucia@gmail..com",
	}
	for _, in := range bad {
		if got, err := registry.ParseEmail(in); !errors.Is(err, registry.ErrEmailFormat) {
			t.Errorf("ParseEmail(%q) = %q, %v; want ErrEmailFormat", in, got, err)
		}
	}
}

func TestMaskContact(t *testing.T) {
	tests := []struct {
		c    registry.Contact
		want string
	}{
		{registry.Contact{Kind: registry.ContactEmail, Value: "lucia@gmail.com"}, "l***@gmail.com"},
		{registry.Contact{Kind: registry.ContactPhone, Value: "+5491123451234"}, "+54 9 11 ****-1234"},
		{registry.Contact{Kind: registry.ContactPhone, Value: "+5493515551234"}, "+54 9 351 ***-1234"},
		{registry.Contact{Kind: registry.ContactPhone, Value: "+5492966123456"}, "+54 9 2966 **-3456"},
		{registry.Contact{Kind: registry.ContactPhone, Value: "+34612345678"}, "+34 *****5678"},
		{registry.Contact{Kind: registry.ContactPhone, Value: ""}, "***"},
		{registry.Contact{Kind: registry.ContactEmail, Value: "broken"}, "***"},
	}
	for _, tt := range tests {
		if got := tt.c.Masked(); got != tt.want {
			t.Errorf("%v masked = %q, want %q", tt.c, got, tt.want)
		}
	}
}

func TestMaskEmails(t *testing.T) {
	tests := []struct{ in, want string }{
		{"escribime a lucia@gmail.com por favor", "escribime a l***@gmail.com por favor"},
		{"lucia@gmail o ramon.q@hotmail.com.ar", "l***@gmail o r***@hotmail.com.ar"},
		{"l***@gmail.com", "l***@gmail.com"},
		{"sin correo, 35218904", "sin correo, 35218904"},
	}
	for _, tt := range tests {
		if got := registry.MaskEmails(tt.in); got != tt.want {
			t.Errorf("MaskEmails(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFindEmail(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"mi mail es Ana.Perez@Gmail.com", "ana.perez@gmail.com", true},
		{"es: ana@hotmail.com.", "ana@hotmail.com", true},
		{"(ana@yahoo.com.ar)", "ana@yahoo.com.ar", true},
		{"ana@a.com o ana@b.com", "", false},
		{"ana@a.com y de nuevo ana@a.com", "ana@a.com", true},
		{"mi mail es ana@gmail", "", false},
		{"no tengo mail", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := registry.FindEmail(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("FindEmail(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestFindPhone(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"mi celular es 11 2345-6789", "+5491123456789", true},
		{"es el 0351 15-555-1234.", "+5493515551234", true},
		{"cel: +54 9 11 2345 6789, gracias", "+5491123456789", true},
		{"11 2345-6789 o 351 555-1234", "", false},
		{"mi dni es 31456789", "", false},
		{"no tengo celular", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := registry.FindPhone(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("FindPhone(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// An address at a misspelt common provider ("gmail.con", "gmial.com",
// "hotmial.com") is written to nobody: the code would never arrive. The
// provider meant is suggested; an address at any other domain is left
// alone, whatever it looks like.
func TestEmailDomainTypo(t *testing.T) {
	tests := []struct{ in, want string }{
		{"lucia@gmail.con", "gmail.com"},
		{"lucia@gmial.com", "gmail.com"},
		{"lucia@gmail.co", "gmail.com"},
		{"lucia@hotmial.com", "hotmail.com"},
		{"lucia@hotmail.con.ar", "hotmail.com.ar"},
		{"lucia@yaho.com.ar", "yahoo.com.ar"},
		{"lucia@outlok.com", "outlook.com"},
		{"lucia@gmail.com", ""},
		{"lucia@hotmail.com.ar", ""},
		{"lucia@anses.gob.ar", ""},
		{"lucia@gmx.com", ""},   // a provider of its own
		{"lucia@mail.com", ""},  // likewise
		{"lucia@ymail.com", ""}, // Yahoo's own
		{"lucia@empresa.com.ar", ""},
	}
	for _, tt := range tests {
		got, ok := registry.EmailDomainTypo(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("EmailDomainTypo(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}
