package dialog_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestGivenNamesApartAreTheFirstNames: "Lucía, Soledad" and "Lucía 🙏
// Soledad" where the first names are asked got "Anoté tus nombres y tu
// apellido": read as a full name, "Soledad" was the surname, "Fernández"
// typed next got "No pude leer esa fecha", and the validation failed and
// counted (a data probe). Known given names set apart are the first
// names, and the surname is asked; a full name set apart ("María Belén,
// Gómez Ruiz") is still a full name.
func TestGivenNamesApartAreTheFirstNames(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"María, Belén", "María 🙏 Belén", "María; Belén", "María ❤️ Belén"} {
		chat := "apart-" + strconv.Itoa(i)
		h.now = h.now.Add(2 * time.Hour) // past the rounds open at once
		h.toFirstNamesStep(chat)
		h.step(chat, text, dialog.ExpectLastNames)
		h.step(chat, "Gómez Ruiz", dialog.ExpectBirthDate)
		h.step(chat, "14/03/1985", dialog.ExpectDNI)
		h.step(chat, "31456789", dialog.ExpectChoice, question1)
	}
	h.now = h.now.Add(2 * time.Hour)
	h.toFirstNamesStep("apart-full")
	h.step("apart-full", "María Belén, Gómez Ruiz", dialog.ExpectBirthDate, i18n.M("data.taken"))
}

// TestSurnamesApartAreTheSurnames: "Quiroga, Sánchez" where the surnames
// are asked took "Quiroga" as the surnames and "Sánchez" as first names,
// and the validation failed on the surname missing and counted (a data
// probe). Runs of names set apart at the surnames are the surnames, but
// for known given names after them ("Gómez Ruiz, María Belén", the DNI's
// order), still the first names.
func TestSurnamesApartAreTheSurnames(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"Gómez, Ruiz", "Gómez 🙏 Ruiz", "Gómez; Ruiz", "Gómez Ruiz, María Belén"} {
		chat := "apart-surnames-" + strconv.Itoa(i)
		h.now = h.now.Add(2 * time.Hour) // past the rounds open at once
		h.toFirstNamesStep(chat)
		h.step(chat, "María Belén", dialog.ExpectLastNames)
		h.step(chat, text, dialog.ExpectBirthDate)
		h.step(chat, "14/03/1985", dialog.ExpectDNI)
		h.step(chat, "31456789", dialog.ExpectChoice, question1)
	}
}
