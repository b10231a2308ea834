package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestMediaPlaceholderIsNoDatum: "[nota de voz]", "<Multimedia omitido>",
// "🎤 Nota de voz (0:12)", "[sticker]" typed where the surname is asked
// (what a bridge, a forwarded chat or a copied export writes for a voice
// note or a sticker) were taken as the surname, and the validation after
// the DNI failed and counted toward the CUIL's lock (a data probe). Such a
// text is the media it names: "solo puedo leer texto", the step asked
// again. Words around it make it no placeholder, and a name is still a
// name.
func TestMediaPlaceholderIsNoDatum(t *testing.T) {
	h := newHarness(t)
	const chat = "placeholders"
	h.toFirstNamesStep(chat)
	h.step(chat, "María Belén", dialog.ExpectLastNames)
	for _, text := range []string{
		"[nota de voz]", "<audio omitido>", "<Multimedia omitido>", "[sticker]", "sticker omitido",
		"audio", "[Audio]", "(audio)", "*audio*", "🎤 Nota de voz (0:12)", "🎵 Audio 0:07", "[imagen]",
		"foto", "<Media omitted>", "image omitted", "[voice message]", "Mensaje de voz",
	} {
		h.step(chat, text, dialog.ExpectLastNames, i18n.M("input.media"), i18n.M("ask.last_names"))
	}
	h.step(chat, "Gómez Ruiz", dialog.ExpectBirthDate)
	h.step(chat, "[nota de voz]", dialog.ExpectBirthDate, i18n.M("input.media"))
	h.step(chat, "14/03/1985", dialog.ExpectDNI)
	h.step(chat, "31456789", dialog.ExpectChoice)
	if rs := h.send("placeholder-menu", "hola"); last(rs).Expect != dialog.ExpectMenu {
		t.Fatalf("hola:\n%s", h.dump(rs))
	}
	h.step("placeholder-menu", "<Multimedia omitido>", dialog.ExpectMenu, i18n.M("input.media"))
}
