package telegram

import (
	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/internal/textsplit"
)

// maxText is Telegram's limit on a message's text. Telegram counts UTF-16
// code units, so that is what utf16Len counts.
const maxText = 4096

// splitText cuts text into parts of at most limit UTF-16 code units (see
// textsplit.Split).
func splitText(text string, limit int) []string {
	return textsplit.Split(text, limit, runeUnits)
}

func utf16Len(s string) int { return textsplit.Len(s, runeUnits) }

// runeUnits is how many UTF-16 code units r takes.
func runeUnits(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

var _ bot.Splitter = (*Channel)(nil)

// Split implements bot.Splitter: a text longer than Telegram's limit goes
// as parts, the buttons under the last.
func (c *Channel) Split(m bot.Message) []bot.Message {
	return bot.SplitMessage(m, splitText(m.Text, maxText))
}
