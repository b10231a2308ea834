package registry

import "time"

// Mismatch is the likely cause of personal data that does not match the
// record. It never carries the stored value.
type Mismatch string

// Causes of a mismatch (CONVERSATION.md, "Personal data").
const (
	Match            Mismatch = ""
	MissingName      Mismatch = "missing_name"   // a second first name or surname left out
	SwappedSurnames  Mismatch = "swapped"        // the surnames in another order
	SocialName       Mismatch = "social_name"    // a name other than the registered one
	DifferentName    Mismatch = "different_name" // not the name on the DNI
	DateDayMonth     Mismatch = "date_day_month" // day and month swapped
	DifferentDate    Mismatch = "different_date" // a mistyped date
	DifferentDNI     Mismatch = "different_dni"  // a mistyped DNI
	DifferentTramite Mismatch = "different_tramite"
)

// NormalizeName folds case, accents and extra spaces, the only differences
// the comparison forgives.
func NormalizeName(s string) string { panic("TODO") }

// MatchFirstNames compares what the person typed with the record's first
// names (or its registered social name).
func MatchFirstNames(given string, c *Citizen) Mismatch { panic("TODO") }

// MatchLastNames compares what the person typed with the record's surnames.
func MatchLastNames(given string, c *Citizen) Mismatch { panic("TODO") }

// MatchBirthDate compares a parsed date with the record's birth date.
func MatchBirthDate(given time.Time, c *Citizen) Mismatch { panic("TODO") }

// MatchDNI compares a parsed DNI (digits only) with the record's.
func MatchDNI(given string, c *Citizen) Mismatch { panic("TODO") }

// MatchTramite compares a parsed número de trámite with the record's.
func MatchTramite(given string, c *Citizen) Mismatch { panic("TODO") }
