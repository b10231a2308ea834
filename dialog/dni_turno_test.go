package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/i18n"
)

// TestTurnoForTheDNISaysWhereToGo: "quiero sacar turno para el dni" got
// «Eso no lo sé responder…» (a people probe, carried from the last
// session): a person told, of an errand they plainly named, that it
// cannot be answered. The DNI and the passport are not ANSES's: the bot
// says where they are done (the Registro Civil, as for a lost DNI) and
// what it does, and the place is kept. A turno of ANSES is still Mi
// ANSES's (TestMiANSESTasksSayWhereTheyAreDone).
func TestTurnoForTheDNISaysWhereToGo(t *testing.T) {
	h := newHarness(t)
	want := i18n.M("elsewhere.dni_office")
	for i, text := range []string{"quiero sacar turno para el dni", "necesito sacar turno para el dni",
		"como saco turno para renovar el documento", "turno para el pasaporte", "TURNO DNI",
		"I want to book an appointment for my ID card", "appointment for a new id"} {
		elsewhereAt(t, h, "dni-"+string(rune('a'+i)), text, want)
	}
}
