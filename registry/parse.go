package registry

import (
	"errors"
	"time"
)

// Reasons an answer cannot be parsed.
var (
	ErrDateFormat    = errors.New("not a date")
	ErrDNIFormat     = errors.New("a DNI has 7 or 8 digits")
	ErrTramiteFormat = errors.New("a número de trámite has 11 digits")
)

// ParseDate accepts DD/MM/AAAA, D/M/AA, DD-MM-AAAA, AAAA-MM-DD and
// "14 de marzo de 1985" (CONTRACT §3). Two-digit years are taken in the
// century that puts the date at or before now. Errors wrap ErrDateFormat as
// Invalid.
func ParseDate(s string, now time.Time) (time.Time, error) { panic("TODO") }

// ParseDNI accepts 7 or 8 digits, with dots or spaces, and returns the digits.
func ParseDNI(s string) (string, error) { panic("TODO") }

// ParseTramite accepts the 11-digit número de trámite and returns the digits.
func ParseTramite(s string) (string, error) { panic("TODO") }

// FormatDate formats a date as DD/MM/AAAA, as identity questions show it.
func FormatDate(t time.Time) string { return t.Format("02/01/2006") }
