package registry

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
)

// Reasons an answer cannot be parsed.
var (
	ErrDateFormat    = errs.New(errs.Invalid, "not a date")
	ErrDNIFormat     = errs.New(errs.Invalid, "a DNI has 7 or 8 digits")
	ErrTramiteFormat = errs.New(errs.Invalid, "a número de trámite has 11 digits")

	// ErrDateFuture is a well-formed date after today. It wraps
	// ErrDateFormat, so callers that only know ErrDateFormat still match.
	ErrDateFuture = fmt.Errorf("%w: the date is in the future", ErrDateFormat)
)

// minYear is the earliest year ParseDate accepts: nobody alive was born
// before it, and it catches years typed with a digit missing (0985).
const minYear = 1900

var (
	// numericDate is D/M/Y or Y/M/D with one separator used twice; a
	// backslash is a slash typed on a computer's keyboard ("21\07\1990").
	numericDate = regexp.MustCompile(`^(\d{1,4})([/.\\-])(\d{1,2})([/.\\-])(\d{1,4})$`)
	// spacedSeparator is a date's separator with spaces around it, as
	// people type them: "21 / 07 / 1990", "21 - 7 - 90", "21/07 /1990"
	// (a data probe: "No pude leer esa fecha").
	spacedSeparator = regexp.MustCompile(`(\d) ?([/.\\-]) ?`)
	// wordDate is "14 de marzo de 1985", "1° de marzo 85", "14 marzo del 1985",
	// and in English "3 November 1958", "3rd of November, 1958"; also
	// "3-nov-1958" and a year with a thousands dot, "21 de julio de 1.990"
	// (found by a probe).
	wordDate = regexp.MustCompile(`^(\d{1,2})\s*(?:°|º|ro|er|st|nd|rd|th)?(?:\s+|\s*[-/]\s*)(?:de\s+|of\s+)?([a-z]+)\.?,?(?:\s+|\s*[-/]\s*)(?:de\s+|del\s+)?(\d{2}|\d{4}|\d\.\d{3})$`)
	// spokenNumeric is the month said as a number, as dates are said
	// aloud: "3 del 11 del 58", "3 de 11 de 1958". Both "de" are needed:
	// numbers in groups alone are more likely a DNI.
	spokenNumeric = regexp.MustCompile(`^(\d{1,2})\s*(?:°|º)?\s+(?:de|del)\s+(\d{1,2})\s+(?:de|del)\s+(\d{2}|\d{4})$`)
	// monthFirst is English's "November 3, 1958", "Nov. 3rd 1958", and
	// "julio 21 de 1990".
	monthFirst = regexp.MustCompile(`^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:de\s+|del\s+)?(\d{2}|\d{4})$`)
)

// months maps Spanish month names and their usual abbreviations, already
// folded, to their number. "setiembre" is the older spelling still common.
// English names serve the bot in English (--lang en); no abbreviation
// means one month in one language and another in the other.
var months = map[string]time.Month{
	"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6,
	"julio": 7, "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10,
	"noviembre": 11, "diciembre": 12,
	"ene": 1, "feb": 2, "mar": 3, "abr": 4, "may": 5, "jun": 6, "jul": 7,
	"ago": 8, "sep": 9, "sept": 9, "set": 9, "oct": 10, "nov": 11, "dic": 12,
	"january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "apr": 4, "aug": 8, "dec": 12,
}

// ParseDate accepts DD/MM/AAAA, D/M/AA, DD-MM-AAAA, AAAA-MM-DD and
// "14 de marzo de 1985" (CONTRACT §3), and also dots as separators
// (14.03.1985), spaces around the separators ("14 / 03 / 1985"), a
// backslash for the slash, month abbreviations, a missing "de", and the month said as
// a number ("14 del 3 del 85"). Two-digit years are
// taken in the century that puts the date at or before now. The result is
// midnight UTC. Errors wrap ErrDateFormat (ErrDateFuture for a date after
// now's day) as errs.Invalid.
func ParseDate(s string, now time.Time) (time.Time, error) {
	s = strings.Join(strings.Fields(fold(s)), " ")
	if strings.Contains(s, " ") {
		s = spacedSeparator.ReplaceAllString(s, "$1$2")
	}
	y, m, d, twoDigitYear, ok := splitDate(s)
	if !ok {
		return time.Time{}, errs.E(errs.Invalid, "parse date", ErrDateFormat)
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if twoDigitYear {
		y += now.Year() / 100 * 100
		if dateAfter(y, m, d, today) {
			y -= 100
		}
	}
	t, ok := civilDate(y, m, d)
	if !ok || y < minYear {
		return time.Time{}, errs.E(errs.Invalid, "parse date", ErrDateFormat)
	}
	if t.After(today) {
		return time.Time{}, errs.E(errs.Invalid, "parse date", ErrDateFuture)
	}
	return t, nil
}

// ParseCompactDate reads a date typed as digits alone, DDMMAAAA or DDMMAA
// ("14031985", "140385"), or in three groups with spaces for separators
// ("14 3 1985"), as ParseDate would read it with slashes. Only where a
// date is asked: elsewhere eight digits, or digits in groups, are more
// likely a DNI, so ParseDate refuses them.
func ParseCompactDate(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if p := spacedDate.FindStringSubmatch(s); p != nil {
		return ParseDate(p[1]+"/"+p[2]+"/"+p[3], now)
	}
	if (len(s) != 8 && len(s) != 6) || strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return time.Time{}, errs.E(errs.Invalid, "parse date", ErrDateFormat)
	}
	return ParseDate(s[:2]+"/"+s[2:4]+"/"+s[4:], now)
}

// spacedDate is D M AAAA or D M AA with spaces for separators.
var spacedDate = regexp.MustCompile(`^(\d{1,2}) +(\d{1,2}) +(\d{4}|\d{2})$`)

// splitDate reads year, month and day from a folded, space-collapsed answer.
func splitDate(s string) (y int, m time.Month, d int, twoDigitYear, ok bool) {
	if p := numericDate.FindStringSubmatch(s); p != nil && p[2] == p[4] {
		first, mid, last := p[1], p[3], p[5]
		if len(first) == 4 { // AAAA-MM-DD
			first, last = last, first
			if len(last) != 4 || len(first) > 2 {
				return 0, 0, 0, false, false
			}
		}
		if len(first) > 2 || (len(last) != 2 && len(last) != 4) {
			return 0, 0, 0, false, false
		}
		return atoi(last), time.Month(atoi(mid)), atoi(first), len(last) == 2, true
	}
	if p := wordDate.FindStringSubmatch(s); p != nil {
		mo, known := months[p[2]]
		year := strings.ReplaceAll(p[3], ".", "")
		return atoi(year), mo, atoi(p[1]), len(year) == 2, known
	}
	if p := spokenNumeric.FindStringSubmatch(s); p != nil {
		return atoi(p[3]), time.Month(atoi(p[2])), atoi(p[1]), len(p[3]) == 2, true
	}
	if p := monthFirst.FindStringSubmatch(s); p != nil {
		mo, known := months[p[1]]
		return atoi(p[3]), mo, atoi(p[2]), len(p[3]) == 2, known
	}
	return 0, 0, 0, false, false
}

// civilDate builds the date, reporting false when it does not exist (31/02).
func civilDate(y int, m time.Month, d int) (time.Time, bool) {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return t, t.Year() == y && t.Month() == m && t.Day() == d
}

// dateAfter reports whether y-m-d falls after today. An impossible date is
// compared as time.Date normalizes it; civilDate rejects it afterwards.
func dateAfter(y int, m time.Month, d int, today time.Time) bool {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).After(today)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s) // callers pass only short runs of digits
	return n
}

// ParseDNI accepts 7 or 8 digits, with dots or spaces, or in groups of
// thousands with another separator ("35,218,904", "35-218-904",
// "35'218'904"), and returns the digits.
func ParseDNI(s string) (string, error) {
	s = strings.TrimSpace(s)
	d, ok := digitsOnly(s, ".")
	if !ok && thousands.MatchString(s) {
		d, ok = digitsOf(s), true
	}
	if !ok || len(d) < 7 || len(d) > 8 {
		return "", errs.E(errs.Invalid, "parse dni", ErrDNIFormat)
	}
	return d, nil
}

// thousands is a DNI's digits grouped as a keyboard or a habit groups a
// number's thousands: with commas (a phone set in English), dashes or
// apostrophes between the groups. Only in groups of three: a
// date typed with commas ("21,07,1990") is no DNI (a data probe: "El DNI
// tiene 7 u 8 números" for "35,218,904").
var thousands = regexp.MustCompile(`^\d{1,2}([,'’-])\d{3}[,'’-]\d{3}$`)

func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// ParseTramite accepts the 11-digit número de trámite, with dots, dashes,
// commas or spaces ("00,512,345,678", a long number as a phone set in
// English groups it), and returns the digits.
func ParseTramite(s string) (string, error) {
	d, ok := digitsOnly(strings.TrimSpace(s), ".-,")
	if !ok || len(d) != 11 {
		return "", errs.E(errs.Invalid, "parse tramite", ErrTramiteFormat)
	}
	return d, nil
}

// FormatDate formats a date as DD/MM/AAAA, as identity questions show it.
func FormatDate(t time.Time) string { return t.Format("02/01/2006") }
