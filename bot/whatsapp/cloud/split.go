package cloud

import (
	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/internal/textsplit"
)

// maxText is Meta's limit on a text message's body, in characters.
const maxText = 4096

var _ bot.Splitter = (*Cloud)(nil)

// Split implements bot.Splitter: a text longer than Meta takes goes as
// parts. The last part carries the options, as numbered lines when they
// do not fit buttons or a list (see render), so its text leaves room for
// them.
func (c *Cloud) Split(m bot.Message) []bot.Message {
	text := runes(m.Text)
	numbered := runes(bot.NumberedText(m))
	limit := maxText - (numbered - text)
	if numbered <= maxText || limit < maxBodyText {
		// Fits; or options so long that parts would be slivers: Meta
		// refuses it whole, a dead letter an agent sees.
		return []bot.Message{m}
	}
	return bot.SplitMessage(m, textsplit.Split(m.Text, limit, textsplit.Rune))
}
