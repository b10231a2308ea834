package registry_test

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/clavebot/clavebot/registry"
)

func maria() *registry.Citizen {
	return &registry.Citizen{
		CUIL:          "27314567892",
		DNI:           "31456789",
		FirstNames:    "María Belén",
		LastNames:     "Gómez Ruiz",
		BirthDate:     day(1985, 3, 14),
		DNIIssueDate:  day(2017, 8, 22),
		BirthProvince: "Córdoba",
		DNITramite:    "00123456789",
	}
}

// paz's first names end with her surname.
func paz() *registry.Citizen {
	c := maria()
	c.FirstNames, c.LastNames = "María Paz", "Paz"
	return c
}

func TestNormalizeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"María Belén", "maria belen"},
		{"  MARÍA   belén \t", "maria belen"},
		{"Muñoz", "munoz"},
		{"Güemes", "guemes"},
		{"José\u00a0Luis", "jose luis"},
		{"Mari\u0301a", "maria"}, // decomposed í
		{"D'Alessandro-Pérez", "d'alessandro-perez"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := registry.NormalizeName(tt.in); got != tt.want {
				t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMatchFirstNames(t *testing.T) {
	withSocial := maria()
	withSocial.SocialName = "Mateo"
	tests := []struct {
		name  string
		given string
		c     *registry.Citizen
		want  registry.Mismatch
	}{
		{"exact", "María Belén", maria(), registry.Match},
		{"case accents spaces", "  maria   BELEN ", maria(), registry.Match},
		{"first only", "María", maria(), registry.MissingName},
		{"second only", "Belén", maria(), registry.MissingName},
		{"order swapped", "Belén María", maria(), registry.DifferentName},
		{"one wrong", "María Laura", maria(), registry.DifferentName},
		{"extra name", "María Belén Sofía", maria(), registry.DifferentName},
		{"other single name", "Sofía", maria(), registry.SocialName},
		{"social name not registered", "Mateo", maria(), registry.SocialName},
		{"typo transposed", "Maira Belén", maria(), registry.DifferentName},
		{"single typo", "Maira", maria(), registry.DifferentName},
		{"single typo dropped letter", "Belen", maria(), registry.MissingName},
		{"single typo accentless missing", "Blen", maria(), registry.DifferentName},
		{"two unknown names", "Sofía Laura", maria(), registry.DifferentName},
		{"not a name", "12345", maria(), registry.DifferentName},
		{"empty", "", maria(), registry.DifferentName},
		{"registered social name", "mateo", withSocial, registry.Match},
		{"dni names with social registered", "María Belén", withSocial, registry.Match},
		{"other name with social registered", "Lucas", withSocial, registry.SocialName},
		// The whole name where the first names were asked: the surnames
		// typed with them are no error (they are asked next all the same).
		{"full name", "María Belén Gómez Ruiz", maria(), registry.Match},
		{"full name surnames first", "GOMEZ RUIZ maria belen", maria(), registry.Match},
		{"full name with the social name", "Mateo Gómez Ruiz", withSocial, registry.Match},
		{"full name missing a first name", "María Gómez Ruiz", maria(), registry.MissingName},
		{"full name with a typo", "Maira Belén Gómez Ruiz", maria(), registry.DifferentName},
		{"full name with another name", "Sofía Gómez Ruiz", maria(), registry.SocialName},
		// The card shows the surnames first: typed where the names go.
		{"surnames only", "Gómez Ruiz", maria(), registry.SwappedFields},
		// One of them alone is not the swap: the hint would say which
		// field of the record holds the word.
		{"one surname only", "Gómez", maria(), registry.SocialName},
		{"one surname is not the surnames", "María Belén Gómez", maria(), registry.DifferentName},
		// A name that ends with the surname is judged as typed first.
		{"first name as the surname", "María Paz", paz(), registry.Match},
		{"first name as the surname, full", "María Paz Paz", paz(), registry.Match},
		{"first name as the surname, one left out", "María", paz(), registry.MissingName},
		{"the surname that is also a name", "Paz", paz(), registry.MissingName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := registry.MatchFirstNames(tt.given, tt.c); got != tt.want {
				t.Errorf("MatchFirstNames(%q) = %q, want %q", tt.given, got, tt.want)
			}
		})
	}
}

func TestMatchLastNames(t *testing.T) {
	tests := []struct {
		name  string
		given string
		want  registry.Mismatch
	}{
		{"exact", "Gómez Ruiz", registry.Match},
		{"folded", "GOMEZ  ruiz", registry.Match},
		{"swapped", "Ruiz Gómez", registry.SwappedSurnames},
		{"first only", "Gómez", registry.MissingName},
		{"second only", "ruiz", registry.MissingName},
		{"different", "Pérez", registry.DifferentName},
		{"one different", "Gómez Pérez", registry.DifferentName},
		{"extra", "Gómez Ruiz Pérez", registry.DifferentName},
		{"repeated word is not swapped", "Gómez Gómez", registry.DifferentName},
		{"empty", "", registry.DifferentName},
		{"full name", "María Belén Gómez Ruiz", registry.Match},
		{"full name surnames first", "Gómez Ruiz María Belén", registry.Match},
		{"full name surnames swapped", "María Belén Ruiz Gómez", registry.SwappedSurnames},
		{"full name one surname", "María Belén Gómez", registry.MissingName},
		{"first names only", "María Belén", registry.SwappedFields},
		{"one first name only", "Belén", registry.DifferentName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := registry.MatchLastNames(tt.given, maria()); got != tt.want {
				t.Errorf("MatchLastNames(%q) = %q, want %q", tt.given, got, tt.want)
			}
		})
	}
	// A phone's keyboard types the apostrophe curly ("D’Angelo"): the same
	// name as the record's "D'Angelo"; and left out (see
	// TestNamesPunctuation).
	c0 := maria()
	c0.LastNames = "D'Angelo"
	for given, want := range map[string]registry.Mismatch{"D’Angelo": registry.Match, "d‘angelo": registry.Match,
		"D´Angelo": registry.Match, "D'Angelo": registry.Match, "DAngelo": registry.Match, "D.Angelo": registry.DifferentName} {
		if got := registry.MatchLastNames(given, c0); got != want {
			t.Errorf("MatchLastNames(%q) of D'Angelo = %q, want %q", given, got, want)
		}
	}
	c0.LastNames = "D’Angelo" // a record written with the curly one
	if got := registry.MatchLastNames("D'Angelo", c0); got != registry.Match {
		t.Errorf("MatchLastNames(\"D'Angelo\") of D’Angelo = %q, want a match", got)
	}

	// Surnames that begin with a first name are judged as typed first.
	c := maria()
	c.FirstNames, c.LastNames = "Paz", "Paz Gómez"
	for given, want := range map[string]registry.Mismatch{"Paz Gómez": registry.Match, "Paz Paz Gómez": registry.Match, "Gómez": registry.MissingName} {
		if got := registry.MatchLastNames(given, c); got != want {
			t.Errorf("MatchLastNames(%q) of Paz Paz Gómez = %q, want %q", given, got, want)
		}
	}
}

func TestMatchBirthDate(t *testing.T) {
	early := maria()
	early.BirthDate = day(1985, 3, 3)
	tests := []struct {
		name  string
		given time.Time
		c     *registry.Citizen
		want  registry.Mismatch
	}{
		{"same", day(1985, 3, 14), maria(), registry.Match},
		{"same day other location", time.Date(1985, 3, 14, 23, 0, 0, 0, time.FixedZone("ART", -3*3600)), maria(), registry.Match},
		{"swapped", day(1985, 12, 3), func() *registry.Citizen { c := maria(); c.BirthDate = day(1985, 3, 12); return c }(), registry.DateDayMonth},
		{"other year", day(1986, 3, 14), maria(), registry.DifferentDate},
		{"swapped and other year", day(1986, 12, 3), func() *registry.Citizen { c := maria(); c.BirthDate = day(1985, 3, 12); return c }(), registry.DifferentDate},
		{"same day and month equal", day(1985, 3, 3), early, registry.Match},
		{"off by a day", day(1985, 3, 15), maria(), registry.DifferentDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := registry.MatchBirthDate(tt.given, tt.c); got != tt.want {
				t.Errorf("MatchBirthDate(%v) = %q, want %q", tt.given, got, tt.want)
			}
		})
	}
}

func TestMatchDNIAndTramite(t *testing.T) {
	noTramite := maria()
	noTramite.DNITramite = ""
	tests := []struct {
		name string
		got  registry.Mismatch
		want registry.Mismatch
	}{
		{"dni same", registry.MatchDNI("31456789", maria()), registry.Match},
		{"dni leading zero", registry.MatchDNI("031456789", maria()), registry.Match},
		{"dni other", registry.MatchDNI("31456788", maria()), registry.DifferentDNI},
		{"dni empty", registry.MatchDNI("", maria()), registry.DifferentDNI},
		{"tramite same", registry.MatchTramite("00123456789", maria()), registry.Match},
		{"tramite other", registry.MatchTramite("00123456780", maria()), registry.DifferentTramite},
		{"tramite none stored", registry.MatchTramite("00123456789", noTramite), registry.DifferentTramite},
		{"tramite both empty", registry.MatchTramite("", noTramite), registry.DifferentTramite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

// TestFoldFastPath checks that the fast path folds exactly as decomposing
// does, for every letter it handles.
func TestFoldFastPath(t *testing.T) {
	for _, s := range normalizeCases {
		want := strings.Join(strings.Fields(slowFold(s)), " ")
		if got := registry.NormalizeName(s); got != want {
			t.Errorf("NormalizeName(%q) = %q, decomposing gives %q", s, got, want)
		}
	}
}

// normalizeCases are names whose NormalizeName must be what folding by
// decomposing and splitting at spaces gives: the one-pass path for the
// letters Spanish uses, and every way out of it.
var normalizeCases = []string{
	"Logística Güemes", "ÑANDÚ", "José María", "Áéíóú ÁÉÍÓÚ üÜ ñÑ", "abc XYZ 09 .,-'",
	"", " ", "  Acindar   SA  ", "\tMunicipalidad de\nCórdoba\r", "a\vb\fc", "ANSES",
	"José\u00a0Luis", "Mari\u0301a", "François", "a\xffb", "Ñ\u2003Ñ", "x\u0085y", "ÀÈ",
}

func FuzzNormalizeName(f *testing.F) {
	for _, s := range normalizeCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.Join(strings.Fields(slowFold(s)), " ")
		if got := registry.NormalizeName(s); got != want {
			t.Errorf("NormalizeName(%q) = %q, decomposing gives %q", s, got, want)
		}
	})
}

func slowFold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// TestNamesPunctuation: a hyphen or an apostrophe typed or left out is no
// other name ("perez-garcia" for Pérez García, "dangelo" for D'Angelo): it
// was a mismatch, an attempt counted, and three tries at the hyphen locked
// the CUIL for 4 hours (a probe of people's words). Other names are still
// other names.
func TestNamesPunctuation(t *testing.T) {
	tests := []struct {
		first, last string // the record's
		given       string
		field       string // "first" or "last"
		want        registry.Mismatch
	}{
		{"Luz Divina", "Pérez García", "perez-garcia", "last", registry.Match},
		{"Luz Divina", "Pérez García", "Perez - Garcia", "last", registry.Match},
		{"Luz Divina", "Gómez-Paz", "gomez paz", "last", registry.Match},
		{"Luz Divina", "Gómez-Paz", "GOMEZ-PAZ", "last", registry.Match},
		{"Luz Divina", "D'Angelo", "dangelo", "last", registry.Match},
		{"Luz Divina", "D'Angelo", "d angelo", "last", registry.Match},
		{"Luz Divina", "D'Angelo", "D´Angelo", "last", registry.Match},
		{"Luz Divina", "O'Connor Ruiz", "oconnor ruiz", "last", registry.Match},
		{"Luz Divina", "O'Connor Ruiz", "ruiz o'connor", "last", registry.SwappedSurnames},
		{"María-José", "Ruiz", "maria jose", "first", registry.Match},
		{"Juan Pablo", "Ruiz", "juan-pablo", "first", registry.Match},
		{"Juan Pablo", "Ruiz", "juan", "first", registry.MissingName},
		{"Luz Divina", "D'Angelo", "angelo", "last", registry.DifferentName},
		{"Luz Divina", "Pérez García", "perez garcía lopez", "last", registry.DifferentName},
	}
	for _, tt := range tests {
		c := maria()
		c.FirstNames, c.LastNames = tt.first, tt.last
		var got registry.Mismatch
		if tt.field == "first" {
			got = registry.MatchFirstNames(tt.given, c)
		} else {
			got = registry.MatchLastNames(tt.given, c)
		}
		if got != tt.want {
			t.Errorf("%s %q for %q %q = %q, want %q", tt.field, tt.given, tt.first, tt.last, got, tt.want)
		}
	}
}
