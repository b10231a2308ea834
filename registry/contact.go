package registry

import (
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/pii"
)

// Contact data are "un correo electrónico o celular para validaciones
// opcionales": something the person has, besides what they know. A
// contact proved to be theirs (a one-time code sent to it came back, or
// WhatsApp showed the message came from that phone) is a second factor in
// recovery and change.

// ContactKind names a kind of contact.
type ContactKind string

// The kinds of contact a citizen may have, one of each.
const (
	ContactEmail ContactKind = "email"
	ContactPhone ContactKind = "phone"
)

// ContactKinds lists the kinds in the order they are shown and tried.
var ContactKinds = [...]ContactKind{ContactEmail, ContactPhone}

// Contact is one of a citizen's contacts.
type Contact struct {
	Kind ContactKind
	// Value is normalised: an e-mail address in lower case (ParseEmail), a
	// phone in E.164 (ParsePhone).
	Value string
	// VerifiedAt is when the person proved it is theirs; zero when never.
	VerifiedAt time.Time
	UpdatedAt  time.Time
}

// Verified reports whether the person proved the contact is theirs.
func (c Contact) Verified() bool { return c.Value != "" && !c.VerifiedAt.IsZero() }

// Masked is the contact as shown to people and written in logs and the
// audit trail: l***@gmail.com, +54 9 11 ****-1234.
func (c Contact) Masked() string {
	if c.Kind == ContactEmail {
		return MaskEmail(c.Value)
	}
	return MaskPhone(c.Value)
}

// Contacts are a citizen's contacts; a kind with an empty Value is none.
type Contacts struct {
	Email Contact
	Phone Contact
}

// Get returns the contact of kind.
func (cs Contacts) Get(kind ContactKind) Contact {
	if kind == ContactEmail {
		return cs.Email
	}
	return cs.Phone
}

// Verified lists the verified contacts, the e-mail first.
func (cs Contacts) Verified() []Contact {
	var out []Contact
	for _, k := range ContactKinds {
		if c := cs.Get(k); c.Verified() {
			out = append(out, c)
		}
	}
	return out
}

// ContactUpdate is what a citizens-file line says of one kind of contact:
// its value ("" clears it) and whether it is verified.
type ContactUpdate struct {
	Kind     ContactKind
	Value    string
	Verified bool
}

// Reasons a contact is refused. Both are errs.Invalid.
var (
	ErrEmailFormat = errs.New(errs.Invalid, "not an e-mail address")
	ErrPhoneFormat = errs.New(errs.Invalid, "not a phone number (an Argentine mobile with its area code, or +country code and number)")
	ErrLandline    = errs.New(errs.Invalid, "a landline (+54 without the 9 of a mobile): the phone must be a mobile, +549 and its 10 digits")
)

// ParseEmail checks an e-mail address as a person types it and returns it
// in lower case. Only a plain address is taken (no display name, no
// comments, no IP literal), with a dotted domain: what a mail provider
// hands out, which is what a person means.
func ParseEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "mailto:")
	if len(s) > 254 || !isASCII(s) || strings.ContainsAny(s, " \t\"()<>,;:[]\\") {
		return "", ErrEmailFormat
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", ErrEmailFormat
	}
	local, domain, _ := strings.Cut(s, "@")
	if len(local) > 64 || !validDomain(domain) {
		return "", ErrEmailFormat
	}
	return s, nil
}

// FindEmail finds the one address said in a sentence ("mi mail es
// Ana@Gmail.com."), read as ParseEmail reads it; false when there is none
// or more than one (which to take would be a guess).
func FindEmail(s string) (string, bool) {
	var words []string
	for _, w := range strings.Fields(s) {
		if strings.Contains(w, "@") {
			words = append(words, strings.TrimFunc(w, func(r rune) bool { return strings.ContainsRune(".,;:!?¡¿()<>\"'«»", r) }))
		}
	}
	return onlyOne(words, ParseEmail)
}

// onlyOne returns the one value parse reads in the candidates (the same
// value read twice is one); false when none reads, or two different do.
func onlyOne(candidates []string, parse func(string) (string, error)) (string, bool) {
	found := ""
	for _, c := range candidates {
		v, err := parse(c)
		if err != nil {
			continue
		}
		if found != "" && found != v {
			return "", false
		}
		found = v
	}
	return found, found != ""
}

// isASCII: an address with other letters needs SMTPUTF8, which a
// person's provider may not speak; what people are given is ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// validDomain accepts host names of ASCII labels with a top-level domain
// of letters.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	return len(tld) >= 2 && strings.Trim(tld, "abcdefghijklmnopqrstuvwxyz") == ""
}

// commonDomains are the e-mail providers most people here use. An
// address one slip away from one of them (EmailDomainTypo) is almost
// surely a slip: the code sent there would never arrive.
var commonDomains = []string{
	"gmail.com", "hotmail.com", "hotmail.com.ar", "yahoo.com", "yahoo.com.ar", "outlook.com",
	"outlook.com.ar", "live.com", "live.com.ar", "icloud.com", "msn.com",
}

// nearCommonDomains are providers of their own one slip away from a
// common one.
var nearCommonDomains = []string{"mail.com", "email.com", "ymail.com", "gmx.com", "live.cl", "msn.cn"}

// EmailDomainTypo returns the common provider's domain that addr's
// (already parsed, lower case) is a slip of, by one edit ("gmial.com",
// "gmail.con", "gmail.co"), and true; "", false for a common domain or
// any other.
func EmailDomainTypo(addr string) (string, bool) {
	_, domain, ok := strings.Cut(addr, "@")
	if !ok || slices.Contains(commonDomains, domain) || slices.Contains(nearCommonDomains, domain) {
		return "", false
	}
	found := ""
	for _, d := range commonDomains {
		if EditDistance(domain, d) == 1 {
			if found != "" {
				return "", false // near two: which is a guess
			}
			found = d
		}
	}
	return found, found != ""
}

// MaskEmails masks every address written in text, as MaskEmail does:
// "escribime a lucia@gmail.com" → "escribime a l***@gmail.com".
func MaskEmails(text string) string { return pii.MaskEmails(text) }

// MaskEmail keeps an address's first letter and its domain: l***@gmail.com.
func MaskEmail(s string) string { return pii.MaskEmail(s) }
