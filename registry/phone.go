package registry

import (
	"strings"

	"github.com/clavebot/clavebot/internal/phone"
)

// ParsePhone reads a phone number as people type it and returns it in
// E.164: "11 2345-6789", "011 15 2345-6789", "+54 9 11 2345 6789",
// "0351 15-555-1234" and "5491123456789" all give +5491123456789. A number
// of another country must be written with + and its country code. Every
// Argentine number is a mobile, in the form +549 and its 10 digits (see
// internal/phone, which reads them).
func ParsePhone(s string) (string, error) {
	p, ok := phone.Parse(s)
	if !ok {
		return "", ErrPhoneFormat
	}
	return p, nil
}

// parseFilePhone reads the citizens file's phone, in E.164 (CONTRACT §2),
// as ParsePhone does but for an Argentine landline (+54 without the 9 of
// a mobile), refused: ParsePhone, reading what people type, would store
// the mobile with the same digits, another person's, as this citizen's
// second factor. Codes go to mobiles only (WhatsApp), so a landline is no
// contact to keep.
func parseFilePhone(s string) (string, error) {
	if phone.Landline(s) {
		return "", ErrLandline
	}
	return ParsePhone(s)
}

// MaskPhone shows a phone's country, its area code and its last four
// digits: +54 9 11 ****-1234, +54 9 351 ***-1234, +34 *****5678.
func MaskPhone(e164 string) string { return phone.Mask(e164) }

// FindPhone finds the one phone number said in a sentence ("mi celular es
// 11 2345-6789"): each run of digits and the signs numbers are written
// with is read as ParsePhone reads it; false when no run is a number, or
// two different ones are.
func FindPhone(s string) (string, bool) {
	runs := strings.FieldsFunc(s, func(r rune) bool { return !strings.ContainsRune("0123456789+-(). ", r) })
	for i, run := range runs {
		runs[i] = strings.Trim(run, " .-")
	}
	return onlyOne(runs, ParsePhone)
}
