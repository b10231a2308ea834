package cloud

import (
	"testing"

	"github.com/clavebot/clavebot/i18n"
)

// TestKeyInACaption: a photo, a video or a file whose caption held a key
// stayed in the chat and the person was not asked to delete it (the bot
// cannot delete it on WhatsApp Cloud): the caption never reached the
// engine. It goes now with the media (never as its text), and such a
// message is treated as a key typed as text.
func TestKeyInACaption(t *testing.T) {
	for _, kind := range []string{"image", "video", "document"} {
		t.Run(kind, func(t *testing.T) {
			h := newHarness(t)
			if _, code, err := h.g.Captioned(alice, kind, "key Secreta123"); err != nil || code != 200 {
				t.Fatalf("webhook answered %d, %v", code, err)
			}
			h.c.Close()
			got := h.engine.Inbounds()
			if len(got) != 1 || got[0].Media == "" || got[0].Text != "" || got[0].Caption != "key Secreta123" {
				t.Fatalf("engine got %+v, want the media with its caption apart", got)
			}
			ask := h.c.bot.Printer().Sprint(i18n.M("bot.delete_key_message"))
			texts := h.g.Texts(alice)
			if len(texts) == 0 || texts[0] != ask {
				t.Fatalf("sent %q, want first the request to delete the message", texts)
			}
		})
	}
}
