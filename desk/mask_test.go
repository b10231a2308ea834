package desk

import (
	"strings"
	"testing"
	"unicode"
)

// TestMaskPersonal: the desk hides dates and long numbers as pii.HideData
// does (its table there), and masks e-mail addresses.
func TestMaskPersonal(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"mi dni es 35.218.904", "mi dni es **.***.***"},
		{"mi mail es lucia.fernandez@gmail.com", "mi mail es l***@gmail.com"},
		{"escribime a ramon@hotmail.com.ar o al 11 2345 6789", "escribime a r***@hotmail.com.ar o al ** **** ****"},
	}
	for _, tt := range tests {
		if got := maskPersonal(tt.in); got != tt.want {
			t.Errorf("maskPersonal(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := maskPersonal(tt.want); again != tt.want {
			t.Errorf("masking %q again gave %q", tt.want, again)
		}
	}
}

// TestMaskPersonalReadsDigitsAsTheEngine: a datum typed in digits of
// another script, drawn as keys, or parted by what no mask reads is
// hidden as the engine hides it (pii.Plain); the desk's masks read ASCII
// digits parted by dots, dashes, slashes and spaces, and showed them whole.
func TestMaskPersonalReadsDigitsAsTheEngine(t *testing.T) {
	for _, text := range []string{
		"dni ٣١٤٥٦٧٨٩", "٣١٫٤٥٦٫٧٨٩", "dni 𝟑𝟏𝟒𝟓𝟔𝟕𝟖𝟗", "3️⃣1️⃣4️⃣5️⃣6️⃣7️⃣8️⃣9️⃣",
		"dni 31\u200b456\u200b789", "nací el 14_03_1985", "31·456·789", "dni 35‐218‐904",
	} {
		got := maskPersonal(text)
		if strings.ContainsFunc(got, unicode.IsDigit) {
			t.Errorf("maskPersonal(%q) = %q: digits left in clear", text, got)
		}
	}
}
