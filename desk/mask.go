package desk

import (
	"regexp"
	"strings"

	"github.com/clavebot/clavebot/internal/pii"
)

// maskPersonal hides the digits of dates and long numbers in text,
// keeping their shape so the agent sees what kind of datum was there, and
// masks e-mail addresses as the bot shows them (l***@gmail.com). Digits
// are read as the engine reads them (pii.Plain): of any script, drawn as
// keys, parted by what no mask reads.
func maskPersonal(text string) string {
	return pii.HideData(pii.MaskEmails(pii.Plain(text)))
}

// maskTyped is what an agent is shown of text a person typed: e-mail
// addresses always masked (an agent never needs one whole), and before
// the person validates, dates and long numbers too.
func maskTyped(text string, validated bool) string {
	if validated {
		return pii.MaskEmails(text)
	}
	return maskPersonal(text)
}

// cuilRun is a CUIL as the bot writes one (27-35218904-4) or whole.
var cuilRun = regexp.MustCompile(`\b\d{2}-?\d{8}-?\d\b`)

// maskBot is what an agent is shown of the bot's words: before the person
// validates, every CUIL in them masked as the desk shows the CUIL
// (27-****8904-4). The bot says a person's CUIL back to them ("…con tu
// CUIL 27-35218904-4 y tu clave"), and a person who proved who they were
// earlier and then asked for a person from the menu reached the desk
// unvalidated with it whole in the transcript (found by a probe).
func maskBot(text string, validated bool) string {
	if validated {
		return text
	}
	return cuilRun.ReplaceAllStringFunc(text, func(c string) string {
		return pii.MaskCUIL(strings.ReplaceAll(c, "-", ""))
	})
}
