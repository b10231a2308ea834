package desk_test

import (
	"strings"
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

// TestShownTellsMaskedNumbersApart: two WhatsApp people of one area code
// with the same last four digits got the same label on the desk.
func TestShownTellsMaskedNumbersApart(t *testing.T) {
	a := desk.Shown(desk.Conversation{ID: "K3P9XQ", Chat: "whatsapp:5491188880001"})
	b := desk.Shown(desk.Conversation{ID: "Z7M2LR", Chat: "whatsapp:5491166660001"})
	if a.Label == b.Label {
		t.Fatalf("two people, one label: %q", a.Label)
	}
	for _, c := range []desk.Conversation{a, b} {
		if strings.Contains(c.Label, "8888") || strings.Contains(c.Label, "6666") || strings.Contains(c.Chat, "549") {
			t.Errorf("the number shows: %+v", c)
		}
	}
	if r := desk.Shown(desk.Conversation{ID: "K3P9XQ", Chat: "rest:lucia"}); r.Label != "rest:lucia" {
		t.Errorf("a REST chat's label: %q", r.Label)
	}
}

// TestLabelShowsTheIDAsWritten: a REST chat's id is its client's choice,
// and reached the agent's page as it was: "rest:x\u202egnp.exe" read
// "rest:xexe.png", and an escape or a carriage return could hide what
// came before. The label shows each control or bidi character as �,
// whatever the channel; the API still names the chat by its id.
func TestLabelShowsTheIDAsWritten(t *testing.T) {
	for chat, want := range map[string]string{
		"rest:x\u202egnp.exe":    "rest:x\ufffdgnp.exe",
		"rest:a\u2067b\u2069c":   "rest:a\ufffdb\ufffdc",
		"rest:\x1b[2Jhola\rchau": "rest:\ufffd[2Jhola\ufffdchau",
		"telegram:12\u200f34":    "telegram:12\ufffd34",
		"rest:emoji😀 <script>":   "rest:emoji😀 <script>",
	} {
		if got := desk.Label(chat); got != want {
			t.Errorf("Label(%q) = %q, want %q", chat, got, want)
		}
		if got := desk.Shown(desk.Conversation{ID: "K3P9XQ", Chat: chat}); got.Chat != chat || got.Label != want {
			t.Errorf("Shown(%q) = chat %q label %q, want the chat as it is and %q", chat, got.Chat, got.Label, want)
		}
	}
}

// TestRESTChatNamedByPersonalDataIsHidden: a REST chat's id is its
// client's choice, and a portal that names its chats by the person's
// CUIL, DNI or e-mail ("rest:20126043377") had it shown whole to every
// agent, in the line, the chat's header and the page's data, before the
// person proved who they were (an attack probe). Such a chat is named on
// the page by its conversation's reference, as a WhatsApp chat is, and
// labelled with the data masked; a REST id that holds none is shown, and
// named, as it is.
func TestRESTChatNamedByPersonalDataIsHidden(t *testing.T) {
	for _, chat := range []string{"rest:20126043377", "rest:dni-12604337", "rest:ramon@example.com", "rest:portal/35.218.904"} {
		c := desk.Shown(desk.Conversation{ID: "K3P9XQ", Chat: chat})
		for _, secret := range []string{"20126043377", "12604337", "ramon@", "35.218.904", "218"} {
			if strings.Contains(c.Chat, secret) || strings.Contains(c.Label, secret) {
				t.Errorf("Shown(%q) = chat %q label %q: %s shows", chat, c.Chat, c.Label, secret)
			}
		}
		if c.Chat != "rest:~K3P9XQ" || !strings.HasPrefix(c.Label, "rest:") || !strings.HasSuffix(c.Label, " · #K3P9") {
			t.Errorf("Shown(%q) = chat %q label %q, want it named by its conversation", chat, c.Chat, c.Label)
		}
	}
	for _, chat := range []string{"rest:lucia", "rest:line001", "rest:sess-4f9a2c"} {
		if c := desk.Shown(desk.Conversation{ID: "K3P9XQ", Chat: chat}); c.Chat != chat || c.Label != chat {
			t.Errorf("Shown(%q) = chat %q label %q, want it as it is", chat, c.Chat, c.Label)
		}
	}
}
