package registry

import (
	"strings"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/pii"
)

// CUIL is a Código Único de Identificación Laboral, kept as its 11 digits.
type CUIL string

// Reasons a CUIL is rejected before the registry is consulted.
var (
	ErrCUILLength     = errs.New(errs.Invalid, "a CUIL has 11 digits")
	ErrCUILCheckDigit = errs.New(errs.Invalid, "the CUIL's check digit is wrong")
)

var cuilWeights = [10]int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}

// ParseCUIL accepts a CUIL with or without dashes, dots, commas, slashes
// and spaces and checks
// its length and check digit. Errors are ErrCUILLength or ErrCUILCheckDigit,
// wrapped as errs.Invalid.
func ParseCUIL(s string) (CUIL, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-' || r == '.' || r == ',' || r == ' ' || r == '/' || r == '\t' || IsDash(r):
		default:
			return "", errs.E(errs.Invalid, "parse cuil", ErrCUILLength)
		}
	}
	d := b.String()
	if len(d) != 11 {
		return "", errs.E(errs.Invalid, "parse cuil", ErrCUILLength)
	}
	if CheckDigit(d[:10]) != int(d[10]-'0') {
		return "", errs.E(errs.Invalid, "parse cuil", ErrCUILCheckDigit)
	}
	return CUIL(d), nil
}

// IsDash reports whether r is one of the dashes a phone types for "-":
// autocorrect makes "27-35218904-4" "27–35218904–4".
func IsDash(r rune) bool { return pii.IsDash(r) }

// CheckDigit computes the modulo-11 check digit of a CUIL's first ten digits.
// It returns -1 when no digit fits (such numbers are issued with prefix 23).
func CheckDigit(first10 string) int {
	sum := 0
	for i, w := range cuilWeights {
		sum += int(first10[i]-'0') * w
	}
	switch d := 11 - sum%11; d {
	case 11:
		return 0
	case 10:
		return -1
	default:
		return d
	}
}

// Company reports whether the CUIL is a company's CUIT (prefixes 30, 33
// and 34) rather than a person's CUIL (20, 23, 24, 27): well formed, it
// names no one who has a key.
func (c CUIL) Company() bool {
	if len(c) != 11 {
		return false
	}
	switch c[:2] {
	case "30", "33", "34":
		return true
	}
	return false
}

// String formats the CUIL as XX-XXXXXXXX-X.
func (c CUIL) String() string { return pii.CUIL(string(c)) }

// Masked hides the middle digits, for logs and for people who have not
// validated: 20-****6789-4.
func (c CUIL) Masked() string { return pii.MaskCUIL(string(c)) }
