package registry_test

import (
	"errors"
	"testing"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

func TestParseCUIL(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want registry.CUIL
		err  error
	}{
		{"digits", "27314567892", "27314567892", nil},
		{"dashes", "27-31456789-2", "27314567892", nil},
		{"dots and spaces", " 27.31456789 2", "27314567892", nil},
		{"en dashes (autocorrect)", "27–31456789–2", "27314567892", nil},
		{"em dash and minus sign", "27—31456789−2", "27314567892", nil},
		{"check digit zero", "20404040406", "20404040406", nil},
		// A data probe: "El CUIL tiene 11 números" for eleven digits.
		{"commas", "27,31456789,2", "27314567892", nil},
		{"commas in the DNI's thousands", "27-31,456,789-2", "27314567892", nil},
		{"wrong check digit", "27-31456789-4", "", registry.ErrCUILCheckDigit},
		{"ten digits", "2731456789", "", registry.ErrCUILLength},
		{"twelve digits", "273145678921", "", registry.ErrCUILLength},
		{"letters", "27-3145678X-2", "", registry.ErrCUILLength},
		{"empty", "", "", registry.ErrCUILLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := registry.ParseCUIL(tt.in)
			if got != tt.want || !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Fatalf("ParseCUIL(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
			}
			if err != nil && !errs.Is(errs.Invalid, err) {
				t.Errorf("error %v is not Invalid", err)
			}
		})
	}
}

func TestCUILFormats(t *testing.T) {
	c := registry.CUIL("27314567892")
	if got := c.String(); got != "27-31456789-2" {
		t.Errorf("String = %q", got)
	}
	if got := c.Masked(); got != "27-****6789-2" {
		t.Errorf("Masked = %q", got)
	}
	if got := registry.CUIL("123").Masked(); got != "***" {
		t.Errorf("Masked of a short CUIL = %q", got)
	}
}
