package registry_test

import (
	"errors"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

var testNow = time.Date(2025, 11, 24, 15, 30, 0, 0, time.UTC)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseDate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want time.Time
	}{
		{"DD/MM/AAAA", "14/03/1985", day(1985, 3, 14)},
		{"D/M/AAAA", "14/3/1985", day(1985, 3, 14)},
		{"D/M/AA", "4/3/85", day(1985, 3, 4)},
		{"DD-MM-AAAA", "14-03-1985", day(1985, 3, 14)},
		{"D-M-AA", "4-3-85", day(1985, 3, 4)},
		{"dots", "14.03.1985", day(1985, 3, 14)},
		{"AAAA-MM-DD", "1985-03-14", day(1985, 3, 14)},
		{"AAAA/M/D", "1985/3/4", day(1985, 3, 4)},
		{"words", "14 de marzo de 1985", day(1985, 3, 14)},
		{"words capitalized", "14 De Marzo De 1985", day(1985, 3, 14)},
		{"words without de", "14 marzo 1985", day(1985, 3, 14)},
		{"words del", "14 de marzo del 1985", day(1985, 3, 14)},
		// Found by a probe.
		{"a year with a thousands dot", "21 de Julio de 1.990", day(1990, 7, 21)},
		{"month abbreviated between dashes", "3-nov-1958", day(1958, 11, 3)},
		{"month between slashes", "03/NOV/58", day(1958, 11, 3)},
		{"words two-digit year", "14 de marzo de 85", day(1985, 3, 14)},
		{"setiembre", "2 de setiembre de 1990", day(1990, 9, 2)},
		{"septiembre", "2 de Septiembre de 1990", day(1990, 9, 2)},
		{"accented month", "2 de SEPTIÉMBRE de 1990", day(1990, 9, 2)},
		{"abbreviated month", "2 dic 1990", day(1990, 12, 2)},
		{"ordinal first", "1° de mayo de 2001", day(2001, 5, 1)},
		{"ordinal ro", "1ro de mayo de 2001", day(2001, 5, 1)},
		{"english", "3 November 1958", day(1958, 11, 3)},
		{"english ordinal of", "3rd of November, 1958", day(1958, 11, 3)},
		{"english month first", "November 3, 1958", day(1958, 11, 3)},
		{"english abbreviated month first", "Nov. 3rd 1958", day(1958, 11, 3)},
		{"english may", "1st May 2001", day(2001, 5, 1)},
		{"english two-digit year", "Aug 14 85", day(1985, 8, 14)},
		{"month first in spanish", "julio 21 de 1990", day(1990, 7, 21)},
		{"month as a number, said", "3 del 11 del 58", day(1958, 11, 3)},
		{"month as a number with de", "3 de 11 de 1958", day(1958, 11, 3)},
		{"spaces around", "  14/03/1985\n", day(1985, 3, 14)},
		// A data probe: "No pude leer esa fecha".
		{"spaces around slashes", "14 / 03 / 1985", day(1985, 3, 14)},
		{"spaces around dashes", "14 - 3 - 85", day(1985, 3, 14)},
		{"spaces around dots", "14 . 03 . 1985", day(1985, 3, 14)},
		{"a space on one side", "14/03 /1985", day(1985, 3, 14)},
		{"spaces around year first", "1985 - 03 - 14", day(1985, 3, 14)},
		{"backslashes", "14\\03\\1985", day(1985, 3, 14)},
		{"extra spaces in words", "14   de  marzo   de 1985", day(1985, 3, 14)},
		{"leap day", "29/02/2000", day(2000, 2, 29)},
		{"two-digit year this century", "1/1/20", day(2020, 1, 1)},
		{"two-digit year today", "24/11/25", day(2025, 11, 24)},
		{"two-digit year tomorrow pivots back", "25/11/25", day(1925, 11, 25)},
		{"two-digit year 00", "1/1/00", day(2000, 1, 1)},
		{"today", "24/11/2025", day(2025, 11, 24)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := registry.ParseDate(tt.in, testNow)
			if err != nil {
				t.Fatalf("ParseDate(%q) error: %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseDateRejects(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		future bool
	}{
		{"empty", "", false},
		{"text", "ayer", false},
		{"month first without a known month", "Marzito 3, 1958", false},
		{"words with an unknown month", "3 smarch 1958", false},
		{"impossible day", "31/02/1985", false},
		{"not leap", "29/02/2001", false},
		{"month 13", "14/13/1985", false},
		{"day 0", "0/3/1985", false},
		{"three-digit year", "14/03/985", false},
		{"before 1900", "14/03/1850", false},
		{"mixed separators", "14/03-1985", false},
		{"mixed separators spaced", "14 / 03 - 1985", false},
		{"a DNI in groups, dashes spaced", "35 - 218 - 904", false},
		{"no separators", "14031985", false},
		{"month as a number without de", "3 11 1958", false},
		{"month as a number, one de", "3 11 de 1958", false},
		{"month 13 said", "3 del 13 del 58", false},
		{"unknown month", "14 de marzzo de 1985", false},
		{"words impossible", "30 de febrero de 1990", false},
		{"trailing text", "14/03/1985 creo", false},
		{"ISO with 2-digit day-first", "85-03-14", false},
		{"tomorrow", "25/11/2025", true},
		{"next year", "2026-01-01", true},
		{"words future", "1 de enero de 2030", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := registry.ParseDate(tt.in, testNow)
			if err == nil {
				t.Fatalf("ParseDate(%q) accepted", tt.in)
			}
			if !errs.Is(errs.Invalid, err) || !errors.Is(err, registry.ErrDateFormat) {
				t.Errorf("ParseDate(%q) error %v: want Invalid wrapping ErrDateFormat", tt.in, err)
			}
			if got := errors.Is(err, registry.ErrDateFuture); got != tt.future {
				t.Errorf("ParseDate(%q) ErrDateFuture = %v, want %v", tt.in, got, tt.future)
			}
		})
	}
}

func TestParseDNI(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"eight digits", "31456789", "31456789", true},
		{"dots", "31.456.789", "31456789", true},
		{"spaces", " 31 456 789 ", "31456789", true},
		{"seven digits", "7.123.456", "7123456", true},
		{"leading zero", "07.123.456", "07123456", true},
		{"six digits", "123456", "", false},
		{"nine digits", "123456789", "", false},
		{"letters", "31a56789", "", false},
		// A data probe: "El DNI tiene 7 u 8 números" for the thousands
		// grouped with commas.
		{"commas", "35,218,904", "35218904", true},
		{"commas seven digits", "7,123,456", "7123456", true},
		{"dashes", "31-456-789", "31456789", true},
		{"apostrophes", "35'218'904", "35218904", true},
		{"commas and spaces", " 35,218,904 ", "35218904", true},
		{"a date with commas", "21,07,1990", "", false},
		{"commas not in thousands", "352,18,904", "", false},
		{"a date with dashes", "21-07-1990", "", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := registry.ParseDNI(tt.in)
			if tt.ok != (err == nil) || got != tt.want {
				t.Fatalf("ParseDNI(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
			}
			if err != nil && (!errs.Is(errs.Invalid, err) || !errors.Is(err, registry.ErrDNIFormat)) {
				t.Errorf("ParseDNI(%q) error %v: want Invalid wrapping ErrDNIFormat", tt.in, err)
			}
		})
	}
}

func TestParseTramite(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"eleven digits", "00123456789", "00123456789", true},
		{"spaces", "001 2345 6789", "00123456789", true},
		{"dots and dashes", "001.2345-6789", "00123456789", true},
		{"commas", "00,123,456,789", "00123456789", true},
		{"ten digits", "0012345678", "", false},
		{"twelve digits", "001234567890", "", false},
		{"letters", "0012345678a", "", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := registry.ParseTramite(tt.in)
			if tt.ok != (err == nil) || got != tt.want {
				t.Fatalf("ParseTramite(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
			}
			if err != nil && (!errs.Is(errs.Invalid, err) || !errors.Is(err, registry.ErrTramiteFormat)) {
				t.Errorf("ParseTramite(%q) error %v: want Invalid wrapping ErrTramiteFormat", tt.in, err)
			}
		})
	}
}

func TestFormatDateRoundTrip(t *testing.T) {
	d := day(1985, 3, 4)
	if got := registry.FormatDate(d); got != "04/03/1985" {
		t.Fatalf("FormatDate = %q", got)
	}
	back, err := registry.ParseDate(registry.FormatDate(d), testNow)
	if err != nil || !back.Equal(d) {
		t.Fatalf("ParseDate(FormatDate(d)) = %v, %v", back, err)
	}
}

// TestParseErrorsAreInvalid: every reason an input is rejected is of kind
// Invalid, so callers need not know each sentinel.
func TestParseErrorsAreInvalid(t *testing.T) {
	for _, err := range []error{
		registry.ErrCUILLength, registry.ErrCUILCheckDigit, registry.ErrDateFormat, registry.ErrDNIFormat,
		registry.ErrTramiteFormat, registry.ErrRequired, registry.ErrFileDate, registry.ErrFileMonth,
		registry.ErrMonthOrder, registry.ErrProvince, registry.ErrSex, registry.ErrCUIT, registry.ErrNotUTF8, registry.ErrReplacement, registry.ErrFutureDate, registry.ErrIssuedBeforeBirth, registry.ErrLandline,
		registry.ErrNotJSONLine, registry.ErrWrongJSONTyp, registry.ErrHashFormat,
	} {
		if !errs.Is(errs.Invalid, err) {
			t.Errorf("%q is not errs.Invalid", err)
		}
	}
	if !errs.Is(errs.Unavailable, registry.ErrSaturated) {
		t.Error("ErrSaturated is not errs.Unavailable")
	}
}

func TestParseCompactDate(t *testing.T) {
	now := day(2026, 11, 30)
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"14031985", day(1985, 3, 14), true},
		{" 21071990 ", day(1990, 7, 21), true},
		{"140385", day(1985, 3, 14), true},
		{"31456789", time.Time{}, false}, // a DNI: no month 45
		{"35218904", time.Time{}, false},
		{"01012030", time.Time{}, false}, // the future
		{"1403198", time.Time{}, false},
		{"14 3 1985", day(1985, 3, 14), true},
		{"14  03 85", day(1985, 3, 14), true},
		{"35 218 904", time.Time{}, false}, // a DNI in groups
		{"24 56 7890", time.Time{}, false},
		{"14/03/1985", time.Time{}, false}, // ParseDate's
		{"", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := registry.ParseCompactDate(tt.in, now)
			if (err == nil) != tt.ok || tt.ok && !got.Equal(tt.want) {
				t.Fatalf("ParseCompactDate(%q) = %v, %v", tt.in, got, err)
			}
		})
	}
}
