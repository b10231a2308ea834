package pii

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// What a person may type about themselves that someone else must not
// read: dates and long numbers, however grouped.
var (
	// numberRun is seven or more digits, maybe grouped by dots, commas,
	// dashes (the keyboard's long ones too), slashes or spaces, a space
	// after a dot as phones add it: a DNI (35.218.904, 35. 218. 904,
	// 35,218,904, 3 5 2 1 8 9 0 4), a CUIL (27-35218904-4), a número de
	// trámite (00512345678), a phone number. A comma and a space part a
	// list ($ 1.500, 2.000).
	numberRun = regexp.MustCompile(`\d(?:(?:\.\s?|[,\-–—/]|\s)?\d){6,}`)
	// numericDate is a day, month and year: 21/07/1990, 21-7-90,
	// 21.07.1990, 21 de 07 de 1990, 21-07 de 1990, 21 de 07 1990, 3 11 58
	// (the birth date's step takes it).
	numericDate = regexp.MustCompile(`\b\d{1,2}(?:\s*[/.\-]\s*|\s+del?\s+|\s+)\d{1,2}(?:\s*[/.\-]\s*|\s+del?\s+|\s+)\d{2,4}\b`)
	// spelledDate is "21 de julio de 1990", "21 julio 1990", "21 de julio,
	// 1990", "21 de jul".
	spelledDate = regexp.MustCompile(`(?i)\b\d{1,2}\s+(?:de\s+)?` + monthStarts + `[a-záéíóú]*\.?(?:,?\s+(?:de(?:l)?\s+)?\d{2,4})?\b`)
	// monthFirst is "julio 21 de 1990", "Julio 21, 1990", "julio, 21 de
	// 1990", "julio 21": a
	// day after the month (a year alone after it, "marzo 2019", is not).
	// Only a month's name or its short form: "marca 12", "mayor 18" are
	// not dates.
	monthFirst = regexp.MustCompile(`(?i)\b` + spanishMonths + `\.?,?\s+\d{1,2}\b(?:,?\s+(?:de(?:l)?\s+)?\d{2,4}\b)?`)
)

// monthStarts are the Spanish months' first letters; spanishMonths, their
// names whole or short.
const (
	monthStarts   = `(?:ene|feb|mar|abr|may|jun|jul|ago|sep|set|oct|nov|dic)`
	spanishMonths = `(?:ene(?:ro)?|feb(?:rero)?|mar(?:zo)?|abr(?:il)?|may(?:o)?|jun(?:io)?|jul(?:io)?|ago(?:sto)?|sept?(?:iembre)?|set(?:iembre)?|oct(?:ubre)?|nov(?:iembre)?|dic(?:iembre)?)\b`
)

// HideData hides the digits of the dates and long numbers in text,
// keeping their shape, so a reader sees what kind of datum was there:
// "mi dni es **.***.***", "nací el ** de julio de ****".
//
// Most texts hold too few digits for a datum, and the engine hides data
// in every message: what no regexp can match is not scanned.
func HideData(text string) string {
	n := countDigits(text)
	if n == 0 {
		return text
	}
	if MayNameMonth(text) {
		text = spelledDate.ReplaceAllStringFunc(text, hideDigits)
		text = monthFirst.ReplaceAllStringFunc(text, hideDigits)
	}
	if n >= 4 {
		text = numericDate.ReplaceAllStringFunc(text, hideDigits)
	}
	if n >= 7 {
		text = numberRun.ReplaceAllStringFunc(text, hideDigits)
	}
	return text
}

func countDigits(text string) int {
	n := 0
	for i := 0; i < len(text); i++ {
		if '0' <= text[i] && text[i] <= '9' {
			n++
		}
	}
	return n
}

func hideDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '*'
		}
		return r
	}, s)
}

// MayNameMonth reports whether text may name a month, in Spanish or in
// English, whole or short: whether it holds a month's first three
// letters in any case. The regexps that read dates with the month by
// name, case-insensitive with their many alternatives, cost a third of
// the transcript's masks each turn a message held a digit (issue 14),
// though most messages name no month. A text with a character beyond
// ASCII is left to the regexps: their case folding takes some of them
// for letters of a month ("ſ" for "s").
func MayNameMonth(text string) bool {
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			return true
		}
	}
	var stem [3]byte
	for i := 0; i+len(stem) <= len(text); i++ {
		for j := range stem {
			stem[j] = lowerASCII(text[i+j])
		}
		if monthStems[string(stem[:])] {
			return true
		}
	}
	return false
}

// monthStems open every month's name, in Spanish and in English, folded
// to lower case.
var monthStems = map[string]bool{
	"ene": true, "feb": true, "mar": true, "abr": true, "may": true, "jun": true, "jul": true,
	"ago": true, "sep": true, "set": true, "oct": true, "nov": true, "dic": true,
	"jan": true, "apr": true, "aug": true, "dec": true,
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
