package desk

import (
	"regexp"
	"strings"

	"github.com/clavebot/clavebot/internal/pii"
)

// What a person may type about themselves that the desk must not show
// before they prove who they are. The engine already masks the answers it
// asks for; these catch the same data typed freely, in the transcript or
// while waiting.
var (
	// numberRun is seven or more digits, maybe grouped by dots, dashes,
	// slashes or spaces: a DNI (35.218.904), a CUIL (27-35218904-4), a
	// número de trámite (00512345678), a phone number.
	numberRun = regexp.MustCompile(`\d(?:[.\-/ ]?\d){6,}`)
	// numericDate is a day, month and year: 21/07/1990, 21-7-90, 21.07.1990.
	numericDate = regexp.MustCompile(`\b\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}\b`)
	// spelledDate is "21 de julio de 1990", "21 julio 1990", "21 de jul".
	spelledDate = regexp.MustCompile(`(?i)\b\d{1,2}\s+(?:de\s+)?(?:ene|feb|mar|abr|may|jun|jul|ago|sep|set|oct|nov|dic)[a-záéíóú]*\.?(?:\s+(?:de(?:l)?\s+)?\d{2,4})?\b`)
)

// maskPersonal hides the digits of dates and long numbers in text,
// keeping their shape so the agent sees what kind of datum was there, and
// masks e-mail addresses as the bot shows them (l***@gmail.com).
func maskPersonal(text string) string {
	text = pii.MaskEmails(text)
	for _, re := range []*regexp.Regexp{spelledDate, numericDate, numberRun} {
		text = re.ReplaceAllStringFunc(text, hideDigits)
	}
	return text
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

func hideDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '*'
		}
		return r
	}, s)
}
