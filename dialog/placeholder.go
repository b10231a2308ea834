package dialog

import (
	"regexp"
	"strings"
)

// mediaPlaceholders are the texts that stand for a voice note, a sticker,
// a photo or a file where one could not be sent or was copied as text:
// what a bridge writes ("[audio]"), a forwarded or exported WhatsApp chat
// ("<Multimedia omitido>", "audio omitido", "<Media omitted>"), a phone's
// preview ("🎤 Nota de voz (0:12)"). Folded, the whole message. None of
// them is a name or a datum: at a name step they were taken as the
// surname (a data probe).
var mediaPlaceholders = set(
	"audio", "nota de voz", "mensaje de voz", "audio omitido", "nota de voz omitida", "audio adjunto", "ptt",
	"sticker", "sticker omitido", "foto", "foto omitida", "imagen", "imagen omitida", "video", "video omitido",
	"gif", "gif omitido", "archivo adjunto", "archivo omitido", "documento omitido", "multimedia omitido",
	"multimedia omitida", "se omitio multimedia",
	"voice message", "voice note", "audio message", "audio omitted", "sticker omitted", "image", "photo",
	"image omitted", "video omitted", "gif omitted", "document omitted", "attachment", "media omitted")

// duration is a voice note's or video's length in its preview: "0:12".
var duration = regexp.MustCompile(`\b\d{1,2}:\d{2}\b`)

// mediaPlaceholder reports whether the whole of text is a placeholder of
// media (marks, emoji and a length around it aside). A number elsewhere,
// or another word, makes it a message.
func mediaPlaceholder(text string) bool {
	if len(text) > 64 || strings.ContainsFunc(duration.ReplaceAllString(text, ""), isDigit) {
		return false
	}
	return mediaPlaceholders[foldedPhrase(text)]
}
