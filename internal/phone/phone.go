// Package phone reads phone numbers as people in Argentina write them and
// shows them masked. It is a leaf: the registry keeps contact phones in
// the form Parse gives, and a channel that proves the number a message
// comes from (WhatsApp) gives it in that form too, without importing the
// registry.
package phone

import (
	"strings"
)

// Argentina's numbering plan, as people write it: an area code of 2 to 4
// digits (11 for Buenos Aires, 351 for Córdoba, 2966 for Río Gallegos), a
// local number that makes 10 digits with it, a trunk 0 before the area
// code and a 15 after it for mobiles dialled at home ("011 15 2345-6789"),
// and in international form +54 9 and the 10 digits for a mobile. A
// contact phone is a mobile, so every Argentine number is stored in that
// form: +549 and the 10 digits.

// areaCodes3 are the three-digit area codes. The only two-digit one is 11;
// every other code starting with 2 or 3 has four digits.
var areaCodes3 = map[string]bool{
	"220": true, "221": true, "223": true, "230": true, "236": true, "237": true,
	"249": true, "260": true, "261": true, "263": true, "264": true, "266": true,
	"280": true, "291": true, "294": true, "297": true, "298": true, "299": true,
	"336": true, "341": true, "342": true, "343": true, "345": true, "348": true,
	"351": true, "353": true, "358": true, "362": true, "364": true, "370": true,
	"376": true, "379": true, "380": true, "381": true, "383": true, "385": true,
	"387": true, "388": true,
}

// areaLen is the length of the area code that national (10-digit) number
// n starts with, or 0 when it starts with none.
func areaLen(n string) int {
	switch {
	case len(n) < 4:
		return 0
	case n[0] == '1':
		if n[1] == '1' {
			return 2
		}
		return 0
	case n[0] != '2' && n[0] != '3':
		return 0
	case areaCodes3[n[:3]]:
		return 3
	}
	return 4
}

// Parse reads a phone number as people type it and returns it in
// E.164: "11 2345-6789", "011 15 2345-6789", "+54 9 11 2345 6789",
// "0351 15-555-1234" and "5491123456789" all give +5491123456789. A number
// of another country must be written with + and its country code.
// false when s is not such a number.
func Parse(s string) (string, bool) {
	d, plus, ok := digits(s)
	if !ok {
		return "", false
	}
	switch {
	case plus && !strings.HasPrefix(d, "54"):
		return foreign(d)
	case plus, strings.HasPrefix(d, "54") && len(d) >= 12:
		d = strings.TrimPrefix(strings.TrimPrefix(d, "54"), "9")
	default:
		d = strings.TrimPrefix(d, "0")
	}
	n, ok := nationalMobile(d)
	if !ok {
		return "", false
	}
	return "+549" + n, true
}

// Landline reports whether s is an Argentine number in international form
// without a mobile's 9 ("+54 11 4321-9876", "541143219876"): a landline,
// which Parse, reading what people type, takes for the mobile with the
// same digits. One with the 15 of a mobile dialled at home is no landline.
func Landline(s string) bool {
	d, plus, ok := digits(s)
	if !ok || !strings.HasPrefix(d, "54") || (!plus && len(d) < 12) {
		return false
	}
	n := d[2:]
	return len(n) == 10 && n[0] != '9'
}

// digits keeps the digits of s, allowing the separators people use; plus
// reports a leading +.
func digits(s string) (d string, plus, ok bool) {
	s = strings.TrimSpace(s)
	plus = strings.HasPrefix(s, "+")
	var b strings.Builder
	for _, r := range strings.TrimPrefix(s, "+") {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(" -.()/", r):
		default:
			return "", false, false
		}
	}
	return b.String(), plus, b.Len() > 0
}

// nationalMobile turns the digits after the trunk 0 (or after +54 9) into
// the 10-digit national number, dropping the 15 of a mobile dialled at
// home. The local number never starts with 0 or 1.
func nationalMobile(d string) (string, bool) {
	switch len(d) {
	case 10:
	case 12:
		a := mobilePrefix(d)
		if a == 0 {
			return "", false
		}
		d = d[:a] + d[a+2:]
	default:
		return "", false
	}
	a := areaLen(d)
	if a == 0 || d[a] == '0' || d[a] == '1' {
		return "", false
	}
	return d, true
}

// mobilePrefix is where the 15 of a 12-digit national number sits: after
// its area code, or, for an area code missing from areaCodes3's view of
// the plan, after the first 2 to 4 digits where a 15 is followed by a
// local number. 0 when there is none.
func mobilePrefix(d string) int {
	for _, a := range []int{areaLen(d), 2, 3, 4} {
		if a > 0 && d[a:a+2] == "15" && d[a+2] != '0' && d[a+2] != '1' {
			return a
		}
	}
	return 0
}

// foreign accepts another country's number in E.164 (at most 15 digits,
// the country code never starting with 0).
func foreign(d string) (string, bool) {
	if len(d) < 8 || len(d) > 15 || d[0] == '0' {
		return "", false
	}
	return "+" + d, true
}

// Mask shows a phone's country, its area code and its last four
// digits: +54 9 11 ****-1234, +54 9 351 ***-1234, +34 *****5678,
// +1 ******2671.
func Mask(e164 string) string {
	d := strings.TrimPrefix(e164, "+")
	if len(d) < 8 {
		return "***"
	}
	if n, ok := strings.CutPrefix(d, "549"); ok && len(n) == 10 {
		if a := areaLen(n); a > 0 {
			local := n[a:]
			return "+54 9 " + n[:a] + " " + strings.Repeat("*", len(local)-4) + "-" + local[len(local)-4:]
		}
	}
	cc := countryCodeLen(d)
	return "+" + d[:cc] + " " + strings.Repeat("*", len(d)-cc-4) + d[len(d)-4:]
}

// countryCodeLen is the length of the country code that international
// number d (digits, without the +) starts with. E.164's codes are prefix
// free: 1 (North America) and 7 (Russia, Kazakhstan) are the one-digit
// ones, these the two-digit ones, every other a three-digit one.
func countryCodeLen(d string) int {
	switch {
	case d[0] == '1' || d[0] == '7':
		return 1
	case twoDigitCodes[d[:2]]:
		return 2
	}
	return 3
}

var twoDigitCodes = map[string]bool{
	"20": true, "27": true, "30": true, "31": true, "32": true, "33": true, "34": true, "36": true,
	"39": true, "40": true, "41": true, "43": true, "44": true, "45": true, "46": true, "47": true,
	"48": true, "49": true, "51": true, "52": true, "53": true, "54": true, "55": true, "56": true,
	"57": true, "58": true, "60": true, "61": true, "62": true, "63": true, "64": true, "65": true,
	"66": true, "81": true, "82": true, "84": true, "86": true, "90": true, "91": true, "92": true,
	"93": true, "94": true, "95": true, "98": true,
}
