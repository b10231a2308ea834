package dialog

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/clavebot/clavebot/i18n"
)

// cleanInput trims a message and drops control characters.
func cleanInput(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// fold lowercases, strips accents and punctuation at the edges and collapses
// spaces, so "¡Menú!" and "menu" compare equal. It runs on every option of
// every turn, so it avoids the allocation-heavy normalization transformers.
func fold(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsSpace(r) {
			space = sb.Len() > 0
			continue
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		if base, ok := unaccent[r]; ok {
			r = base
		}
		sb.WriteRune(r)
	}
	return strings.TrimFunc(sb.String(), func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) })
}

// unaccent maps the accented letters of Spanish (and a few neighbours) to
// their base letter.
var unaccent = map[rune]rune{
	'á': 'a', 'à': 'a', 'ä': 'a', 'â': 'a', 'é': 'e', 'è': 'e', 'ë': 'e', 'ê': 'e',
	'í': 'i', 'ì': 'i', 'ï': 'i', 'î': 'i', 'ó': 'o', 'ò': 'o', 'ö': 'o', 'ô': 'o',
	'ú': 'u', 'ù': 'u', 'ü': 'u', 'û': 'u', 'ñ': 'n', 'ç': 'c',
}

// The always-available commands (CONVERSATION.md).
const (
	cmdMenu    = "menu"
	cmdCancel  = "cancel"
	cmdBack    = "back"
	cmdHelp    = "help"
	cmdHandoff = "handoff"
)

var commands = map[string]string{
	"menu": cmdMenu, "/menu": cmdMenu, "inicio": cmdMenu, "/start": cmdMenu, "start": cmdMenu,
	"menu principal": cmdMenu, "main menu": cmdMenu,
	"cancelar": cmdCancel, "/cancelar": cmdCancel, "cancel": cmdCancel, "/cancel": cmdCancel,
	"volver": cmdBack, "atras": cmdBack, "back": cmdBack,
	"ayuda": cmdHelp, "/ayuda": cmdHelp, "help": cmdHelp, "/help": cmdHelp,
	"hablar con una persona": cmdHandoff, "quiero hablar con una persona": cmdHandoff,
	"talk to a person": cmdHandoff, "operador": cmdHandoff, "/persona": cmdHandoff,
}

// commandOf recognizes a command typed on its own.
func commandOf(text string) string {
	f := fold(text)
	if strings.HasPrefix(text, "/") {
		f = "/" + f
	}
	return commands[f]
}

// matchOption returns the index of the option the person chose, by its
// 1-based number or its label in any language, or -1.
func (e *Engine) matchOption(text string, options []i18n.Message) int {
	f := fold(text)
	f = strings.TrimPrefix(strings.TrimPrefix(f, "opcion "), "option ")
	if n, err := strconv.Atoi(f); err == nil {
		if n >= 1 && n <= len(options) {
			return n - 1
		}
		return -1
	}
	for i, o := range options {
		for _, lang := range e.catalog.Langs() {
			if fold(e.catalog.Printer(lang).Sprint(o)) == f {
				return i
			}
		}
	}
	return -1
}

var yesWords = map[string]bool{"si": true, "s": true, "dale": true, "ok": true, "okay": true, "bueno": true, "claro": true, "yes": true, "y": true, "de una": true, "obvio": true}
var noWords = map[string]bool{"no": true, "n": true, "nop": true, "no gracias": true, "ahora no": true}

// yesOrNo reads a yes/no answer: 1 = yes, 0 = no, -1 = neither.
func (e *Engine) yesOrNo(text string) int {
	if i := e.matchOption(text, yesNo()); i >= 0 {
		return 1 - i
	}
	switch f := fold(text); {
	case yesWords[f]:
		return 1
	case noWords[f]:
		return 0
	}
	return -1
}

// hasLetters reports whether text has any letter: a CUIL, DNI or option
// number never does, so such text is likely a question.
func hasLetters(text string) bool {
	return strings.IndexFunc(text, unicode.IsLetter) >= 0
}

// looksLikeQuestion tells a question apart from a name typed as an answer.
func looksLikeQuestion(text string) bool {
	if strings.ContainsAny(text, "?¿!¡") || strings.IndexFunc(text, unicode.IsDigit) >= 0 {
		return true
	}
	return len(strings.Fields(text)) > 6
}
