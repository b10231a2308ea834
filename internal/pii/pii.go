// Package pii shows personal data to those who may see only part of it: a
// CUIL with its middle digits hidden, an e-mail address with only its
// first letter and its domain. It is a leaf: the registry (whose CUIL and
// contacts these are), the engine and the help desk all show data this
// way, and the desk need not import the registry to do it.
package pii

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// CUIL formats a CUIL's 11 digits as XX-XXXXXXXX-X; anything else is
// returned as it is.
func CUIL(digits string) string {
	if len(digits) != 11 {
		return digits
	}
	return digits[:2] + "-" + digits[2:10] + "-" + digits[10:]
}

// MaskCUIL hides a CUIL's middle digits, for logs and for people who have
// not validated: 20-****6789-4 ("***" for anything but 11 digits).
func MaskCUIL(digits string) string {
	if len(digits) != 11 {
		return "***"
	}
	return digits[:2] + "-****" + digits[6:10] + "-" + digits[10:]
}

// emailLike is anything written as an address, well formed or not, with
// a space on either side of the @ as a phone's keyboard puts it ("lucia @
// gmail.com", which the bot takes as the address: it reached the desk in
// clear; an attack probe).
var emailLike = regexp.MustCompile(`[^\s@<>()\[\],;:"']+ ?@ ?[^\s@<>()\[\],;:"']+`)

// MaskEmails masks every address written in text, as MaskEmail does:
// "escribime a lucia@gmail.com" → "escribime a l***@gmail.com".
func MaskEmails(text string) string {
	if strings.IndexByte(text, '@') < 0 {
		// What emailLike matches holds an "@": most messages have none,
		// and the regexp scanned them whole every turn (issue 14).
		return text
	}
	return emailLike.ReplaceAllStringFunc(text, MaskEmail)
}

// MaskEmail keeps an address's first letter and its domain: l***@gmail.com.
func MaskEmail(s string) string {
	local, domain, ok := strings.Cut(s, "@")
	local, domain = strings.TrimSpace(local), strings.TrimSpace(domain)
	if !ok || local == "" {
		return "***"
	}
	r, _ := utf8.DecodeRuneInString(local)
	return string(r) + "***@" + domain
}
