package desk_test

import (
	"testing"

	"github.com/clavebot/clavebot/desk"
)

// TestLabelMasksWhatsAppNumbers: a WhatsApp chat's id, through the Cloud
// API or whatsmeow, is shown with its number masked; a hidden id (LID)
// is not shown at all; other channels' ids as they are.
func TestLabelMasksWhatsAppNumbers(t *testing.T) {
	for chat, want := range map[string]string{
		"whatsapp:5491155552345":                "whatsapp:+54 9 11 ****-2345",
		"whatsapp:5493515552345@s.whatsapp.net": "whatsapp:+54 9 351 ***-2345",
		"whatsapp:34612345678":                  "whatsapp:+34 *****5678",
		"whatsapp:123456789012345@lid":          "whatsapp:(número oculto)",
		"telegram:99887766":                     "telegram:99887766",
		"rest:lucia":                            "rest:lucia",
	} {
		if got := desk.Label(chat); got != want {
			t.Errorf("Label(%q) = %q, want %q", chat, got, want)
		}
	}
	if got := desk.Ref("whatsapp:5491155552345", "CONV1"); got != "whatsapp:~CONV1" {
		t.Errorf("Ref = %q", got)
	}
}
