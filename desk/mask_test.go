package desk

import "testing"

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
