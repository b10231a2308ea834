package dialog

import "testing"

func TestWithoutSelfNames(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"me olvidé la clave, soy Lucía Soledad Fernández, cuil", "me olvidé la clave, , cuil"},
		{"me olvidé la clave, me llamo María de los Ángeles O'Connor", "me olvidé la clave, "},
		{"soy Graciela y quiero crear mi clave", " quiero crear mi clave"},
		{"me olvidé la clave", "me olvidé la clave"},
		{"soy, como te dije, la titular", "soy, como te dije, la titular"},
	} {
		if got := withoutSelfNames(tt.in); got != tt.want {
			t.Errorf("withoutSelfNames(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
