package registry

import (
	"slices"
	"strings"
	"time"
	"unicode"
)

// Mismatch is the likely cause of personal data that does not match the
// record. It never carries the stored value.
type Mismatch string

// Causes of a mismatch (CONVERSATION.md, "Personal data").
const (
	Match           Mismatch = ""
	MissingName     Mismatch = "missing_name"   // a second first name or surname left out
	SwappedSurnames Mismatch = "swapped"        // the surnames in another order
	SocialName      Mismatch = "social_name"    // a name other than the registered one
	DifferentName   Mismatch = "different_name" // not the name on the DNI
	// SwappedFields: the surnames typed where the names were asked, or the
	// names where the surnames were (the DNI card shows surnames first).
	SwappedFields    Mismatch = "swapped_fields"
	DateDayMonth     Mismatch = "date_day_month" // day and month swapped
	DifferentDate    Mismatch = "different_date" // a mistyped date
	DifferentDNI     Mismatch = "different_dni"  // a mistyped DNI
	DifferentTramite Mismatch = "different_tramite"
)

// NormalizeName folds case, accents and extra spaces, the only differences
// the comparison forgives. ñ folds to n, so "Muñoz" and "Munoz" are equal.
func NormalizeName(s string) string {
	if n, ok := normalizeSpanish(s); ok {
		return n
	}
	return strings.Join(strings.Fields(fold(s)), " ")
}

// nameWords are the words of a name as compared: NormalizeName's, with a
// hyphen as a space and an apostrophe as nothing, and a letter left alone
// before an apostrophe's place joined to the word after it. People type
// "perez-garcia" for Pérez García, "gomez paz" for Gómez-Paz, "dangelo"
// or "d angelo" for D'Angelo: no other name, and a mismatch counted an
// attempt (a probe of people's words).
func nameWords(s string) []string {
	n := NormalizeName(s)
	if strings.ContainsAny(n, "-'") {
		n = strings.NewReplacer("-", " ", "'", " ").Replace(n)
	}
	ws := strings.Fields(n)
	out := ws[:0]
	for i := 0; i < len(ws); i++ {
		if w := ws[i]; len(w) == 1 && isNameLetter(w[0]) && i+1 < len(ws) && len(ws[i+1]) > 1 && joinsNext[w] {
			out = append(out, w+ws[i+1])
			i++
			continue
		}
		out = append(out, ws[i])
	}
	return out
}

// joinsNext are the letters that begin a surname with an apostrophe
// (D'Angelo, O'Connor, L'Huillier), as people type them apart.
var joinsNext = map[string]bool{"d": true, "o": true, "l": true}

func isNameLetter(c byte) bool { return 'a' <= c && c <= 'z' }

// MatchFirstNames compares what the person typed with the record's first
// names (or its registered social name).
//
// Equal after NormalizeName to the first names or to the registered social
// name is a Match. Some but not all of the stored names, in any order, is
// MissingName ("María" for "María Belén"). Otherwise the heuristic below
// tells a nombre autopercibido from a typo:
//
//   - SocialName when the answer is a single plausible name (one word, only
//     letters, 2 to 20 of them) that shares no word with the stored names
//     and is not a near-miss (edit distance) of any of them: the person most
//     likely typed the name they go by, not the one on the DNI, and the bot
//     asks for the one printed on the DNI.
//   - DifferentName for everything else: typos, extra or wrong names.
//
// Many people type their whole name when asked their names: the record's
// surnames, whole, before or after the names, are left out and the rest is
// judged as above ("María Belén Gómez Ruiz" is a Match, "María Gómez Ruiz"
// MissingName). The surnames are still asked next, as after any answer:
// what is asked never depends on the record.
func MatchFirstNames(given string, c *Citizen) Mismatch {
	stored := []string{strings.Join(nameWords(c.FirstNames), " ")}
	if c.SocialName != "" {
		stored = append(stored, strings.Join(nameWords(c.SocialName), " "))
	}
	gt := nameWords(given)
	if len(gt) > 0 && slices.Equal(gt, nameWords(c.LastNames)) &&
		!sameWords(gt, strings.Fields(stored[0])) && !strictSubset(gt, strings.Fields(stored[0])) {
		// The surnames, whole, and none of the names ("Paz" of María Paz
		// Paz is a name left out). One of them alone is not said: the
		// hint would tell which field of the record holds the word.
		return SwappedFields
	}
	m := matchFirst(gt, stored)
	if rest, ok := without(gt, nameWords(c.LastNames)); ok {
		// Judged as typed first: "María Paz" of María Paz Paz is a Match.
		m = closer(m, matchFirst(rest, stored))
	}
	return m
}

// closer is the nearer of two judgements of one answer: a Match, then a
// likely cause, then DifferentName.
func closer(a, b Mismatch) Mismatch {
	rank := func(m Mismatch) int {
		switch m {
		case Match:
			return 0
		case DifferentName:
			return 2
		}
		return 1
	}
	if rank(b) < rank(a) {
		return b
	}
	return a
}

// matchFirst judges the words gt given as first names against the stored
// forms (see MatchFirstNames).
func matchFirst(gt, stored []string) Mismatch {
	g := strings.Join(gt, " ")
	for _, s := range stored {
		if g != "" && g == s {
			return Match
		}
	}
	for _, s := range stored {
		if strictSubset(gt, strings.Fields(s)) {
			return MissingName
		}
	}
	if looksLikeOtherName(gt, stored) {
		return SocialName
	}
	return DifferentName
}

// without returns gt with other, a run of words, taken off its end or its
// start, when gt has more words than other and begins or ends with it.
func without(gt, other []string) ([]string, bool) {
	n := len(other)
	if n == 0 || len(gt) <= n {
		return gt, false
	}
	if slices.Equal(gt[len(gt)-n:], other) {
		return gt[:len(gt)-n], true
	}
	if slices.Equal(gt[:n], other) {
		return gt[n:], true
	}
	return gt, false
}

// looksLikeOtherName reports whether gt is one plausible name sharing
// nothing, not even a typo's worth, with the stored names.
func looksLikeOtherName(gt, stored []string) bool {
	if len(gt) != 1 || !plausibleName(gt[0]) {
		return false
	}
	for _, s := range stored {
		for _, t := range strings.Fields(s) {
			if nearMiss(gt[0], t) {
				return false
			}
		}
	}
	return true
}

// plausibleName reports whether w reads as a given name: 2 to 20 letters.
func plausibleName(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
		n++
	}
	return n >= 2 && n <= 20
}

// nearMiss reports whether a and b are equal or one slip apart: one edit
// for short words, two for words of 7 or more letters.
func nearMiss(a, b string) bool {
	limit := 1
	if len([]rune(b)) >= 7 {
		limit = 2
	}
	return EditDistance(a, b) <= limit
}

// MatchLastNames compares what the person typed with the record's surnames:
// the same words in another order are SwappedSurnames, some of them
// MissingName, anything else DifferentName. The whole name typed where the
// surnames were asked is judged without the record's first names (or
// registered social name), whole, before or after them.
func MatchLastNames(given string, c *Citizen) Mismatch {
	gt, st := nameWords(given), nameWords(c.LastNames)
	if len(gt) > 0 && slices.Equal(gt, nameWords(c.FirstNames)) && !sameWords(gt, st) && !strictSubset(gt, st) {
		return SwappedFields
	}
	m := matchLast(gt, st)
	for _, names := range []string{c.FirstNames, c.SocialName} {
		if rest, ok := without(gt, nameWords(names)); ok {
			m = closer(m, matchLast(rest, st))
		}
	}
	return m
}

// matchLast judges the words gt given as surnames against the stored ones
// st (see MatchLastNames).
func matchLast(gt, st []string) Mismatch {
	switch {
	case len(gt) > 0 && slices.Equal(gt, st):
		return Match
	case sameWords(gt, st):
		return SwappedSurnames
	case strictSubset(gt, st):
		return MissingName
	}
	return DifferentName
}

// MatchBirthDate compares a parsed date with the record's birth date. Only
// the calendar day counts, not the time or location.
func MatchBirthDate(given time.Time, c *Citizen) Mismatch {
	gy, gm, gd := given.Date()
	sy, sm, sd := c.BirthDate.Date()
	switch {
	case gy == sy && gm == sm && gd == sd:
		return Match
	case gy == sy && int(gm) == sd && gd == int(sm):
		return DateDayMonth
	}
	return DifferentDate
}

// MatchDNI compares a parsed DNI (digits only) with the record's. Leading
// zeros and separators in either are ignored.
func MatchDNI(given string, c *Citizen) Mismatch {
	if g := canonicalDigits(given); g != "" && g == canonicalDigits(c.DNI) {
		return Match
	}
	return DifferentDNI
}

// MatchTramite compares a parsed número de trámite with the record's. A
// record without one matches nothing.
func MatchTramite(given string, c *Citizen) Mismatch {
	g, s := canonicalDigits(given), canonicalDigits(c.DNITramite)
	if g != "" && g == s {
		return Match
	}
	return DifferentTramite
}

// canonicalDigits keeps s's digits and drops leading zeros.
func canonicalDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' && (b.Len() > 0 || r != '0') {
			b.WriteRune(r)
		}
	}
	return b.String()
}
