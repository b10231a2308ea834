package desk

import "testing"

func TestMaskPersonal(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"mi dni es 35.218.904", "mi dni es **.***.***"},
		{"35218904", "********"},
		{"cuil 27-35218904-4 gracias", "cuil **-********-* gracias"},
		{"tramite 00512345678", "tramite ***********"},
		{"naci el 21/07/1990", "naci el **/**/****"},
		{"el 3-7-58", "el *-*-**"},
		{"nací el 21 de julio de 1990", "nací el ** de julio de ****"},
		{"el 5 de ago.", "el * de ago."},
		{"mi DNI 5.123.456", "mi DNI *.***.***"},
		{"llamame al 11 2345 6789", "llamame al ** **** ****"},
		// As phones and people write them: a space after each dot (the
		// keyboard adds it), commas, a dash the keyboard made long; a
		// month in numbers between "de"; the month first; a comma before
		// the year. They reached the agent whole (a desk probe).
		{"mi dni es 35. 218. 904", "mi dni es **. ***. ***"},
		{"dni 35,218,904", "dni **,***,***"},
		{"dni 35–218–904", "dni **–***–***"},
		{"naci el 21 de 07 de 1990", "naci el ** de ** de ****"},
		{"el 3 del 7 del 58", "el * del * del **"},
		{"julio 21 de 1990", "julio ** de ****"},
		{"nací el Julio 21, 1990", "nací el Julio **, ****"},
		{"21 de julio, 1990", "** de julio, ****"},
		{"en marzo 2019 pedí la clave", "en marzo 2019 pedí la clave"},
		{"marca 12, mayor 18 años", "marca 12, mayor 18 años"},
		{"pagué $ 1.500, 2.000 y 3.000", "pagué $ 1.500, 2.000 y 3.000"},
		// Short numbers are not personal: places in the queue, menu options, years.
		{"opción 2, lugar 14, en 2019, 8 a 15 caracteres", "opción 2, lugar 14, en 2019, 8 a 15 caracteres"},
		{"[clave oculta]", "[clave oculta]"},
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
