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
	// numberRun is seven or more digits, maybe grouped by dots, commas,
	// dashes (the keyboard's long ones too), slashes or spaces, a space
	// after a dot as phones add it: a DNI (35.218.904, 35. 218. 904,
	// 35,218,904), a CUIL (27-35218904-4), a número de trámite
	// (00512345678), a phone number. A comma and a space part a list
	// ($ 1.500, 2.000).
	numberRun = regexp.MustCompile(`\d(?:(?:\.\s?|[,\-–—/]|\s)?\d){6,}`)
	// numericDate is a day, month and year: 21/07/1990, 21-7-90,
	// 21.07.1990, 21 de 07 de 1990.
	numericDate = regexp.MustCompile(`\b\d{1,2}(?:\s*[/.\-]\s*|\s+del?\s+)\d{1,2}(?:\s*[/.\-]\s*|\s+del?\s+)\d{2,4}\b`)
	// spelledDate is "21 de julio de 1990", "21 julio 1990", "21 de julio,
	// 1990", "21 de jul".
	spelledDate = regexp.MustCompile(`(?i)\b\d{1,2}\s+(?:de\s+)?` + months + `[a-záéíóú]*\.?(?:,?\s+(?:de(?:l)?\s+)?\d{2,4})?\b`)
	// monthFirst is "julio 21 de 1990", "Julio 21, 1990", "julio 21": a
	// day after the month (a year alone after it, "marzo 2019", is not).
	// Only a month's name or its short form: "marca 12", "mayor 18" are
	// not dates.
	monthFirst = regexp.MustCompile(`(?i)\b` + monthNames + `\.?\s+\d{1,2}\b(?:,?\s+(?:de(?:l)?\s+)?\d{2,4}\b)?`)
)

// months are the months' first letters; monthNames, their names whole or
// short.
const (
	months     = `(?:ene|feb|mar|abr|may|jun|jul|ago|sep|set|oct|nov|dic)`
	monthNames = `(?:ene(?:ro)?|feb(?:rero)?|mar(?:zo)?|abr(?:il)?|may(?:o)?|jun(?:io)?|jul(?:io)?|ago(?:sto)?|sept?(?:iembre)?|set(?:iembre)?|oct(?:ubre)?|nov(?:iembre)?|dic(?:iembre)?)\b`
)

// maskPersonal hides the digits of dates and long numbers in text,
// keeping their shape so the agent sees what kind of datum was there, and
// masks e-mail addresses as the bot shows them (l***@gmail.com).
func maskPersonal(text string) string {
	text = pii.MaskEmails(text)
	for _, re := range []*regexp.Regexp{spelledDate, monthFirst, numericDate, numberRun} {
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
