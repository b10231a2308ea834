package dialog

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Numbers said rather than typed. A phone's voice typing writes what was
// dictated as words: "veintisiete treinta y cinco doscientos dieciocho
// novecientos cuatro cuatro" is the CUIL 27-35218904-4 said in groups,
// "dos siete tres …" the same digit by digit, "treinta y cinco millones
// doscientos dieciocho mil novecientos cuatro" a DNI said as a number. The
// words were read as names or as a question (a words probe: "Tus nombres
// te los pido después", the CUIL's FAQ answer). A run of number words
// that makes seven digits or more, the fewest of a DNI, is those digits;
// so are the day and the year around a month ("veintiuno de julio de mil
// novecientos noventa": "No pude leer esa fecha"); shorter runs stay
// words ("dos hijos", "Dos Santos").

// minSpokenDigits is the fewest digits a run of number words must make to
// be read as a number: a DNI's seven.
const minSpokenDigits = 7

// spokenNumbers returns text with each run of number words that makes
// minSpokenDigits digits or more, or is a date's day or year, written in
// digits ("guion" said between them is a dash); the rest of text as it
// was.
func spokenNumbers(text string) string {
	if !saysNumberWord(text) {
		return text
	}
	return spokenNumbersIn(text)
}

// spokenNumbersIn is spokenNumbers on a text that says a number word.
func spokenNumbersIn(text string) string {
	var b strings.Builder
	last := 0 // text[:last] is written
	for i := 0; i < len(text); {
		end, digits := spokenRun(text, i)
		if w, next := wordAt(text, i); digits == "" && mayBePrimero(w) && monthAfter(text, next) {
			end, digits = next, "1" // "primero de mayo"
		}
		if len(strings.Trim(digits, "-")) >= minSpokenDigits && strings.Count(digits, "-") <= 2 ||
			digits != "" && !strings.Contains(digits, "-") && (monthAfter(text, end) || monthBefore(text, i)) {
			b.WriteString(text[last:i])
			b.WriteString(digits)
			i, last = end, end
			continue
		}
		// On to the next word.
		for i < len(text) && isWordStart(text, i) {
			_, n := utf8.DecodeRuneInString(text[i:])
			i += n
		}
		for i < len(text) && !isWordStart(text, i) {
			_, n := utf8.DecodeRuneInString(text[i:])
			i += n
		}
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// saysNumberWord reports whether a word of text, folded, is a number word
// (spokenValues) or "primero" or "primer": without one, spokenNumbers
// changes nothing. It runs twice on every message (the step's reading and
// the transcript's masks), most of which say no number in words ("María
// Belén", "cancelar"), and folds each word in place, with no copy: the
// run below folded every word it tried.
func saysNumberWord(text string) bool {
	for i := 0; i < len(text); {
		w, next := wordAt(text, i)
		if w == "" {
			_, n := utf8.DecodeRuneInString(text[i:])
			i += n
			continue
		}
		if isNumberWord(w) {
			return true
		}
		i = next
	}
	return false
}

// isNumberWord reports whether fold(w), w a word of letters alone, is a
// number word or "primero" or "primer". fold lowercases such a word and
// strips its accents rune by rune, as here; the words sought are ASCII,
// so a word that folds to more than ASCII, or longer than any, is none.
func isNumberWord(w string) bool {
	var f [len("cuatrocientas")]byte // the longest number word
	n := 0
	for _, r := range w {
		r = unicode.ToLower(r)
		if r >= utf8.RuneSelf { // see unaccent
			if base, ok := unaccent[r]; ok {
				r = base
			}
		}
		if r >= utf8.RuneSelf || n == len(f) {
			return false
		}
		f[n] = byte(r)
		n++
	}
	_, ok := spokenValues[string(f[:n])]
	return ok || string(f[:n]) == "primero" || string(f[:n]) == "primer"
}

// mayBePrimero reports whether w is "primero" or "primer", however
// written; only a word of their length that starts with a p is folded, as
// this runs on every word of every message.
func mayBePrimero(w string) bool {
	if len(w) < len("primer") || len(w) > len("primero")+4 || w[0]|0x20 != 'p' {
		return false
	}
	f := fold(w)
	return f == "primero" || f == "primer"
}

// spokenMonths are the months a date said aloud names, folded: whole
// words only, as "mar" or "set" are words too.
var spokenMonths = set("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
	"setiembre", "octubre", "noviembre", "diciembre")

// monthAfter reports whether a month follows text[end:], after "de" or
// nothing: the number before it is a date's day ("veintiuno de julio").
func monthAfter(text string, end int) bool {
	w, next := wordAt(text, skipSeparators(text, end, false))
	if f := fold(w); f == "de" {
		w, _ = wordAt(text, skipSeparators(text, next, false))
	}
	return spokenMonths[fold(w)]
}

// monthBefore reports whether a month comes before text[i:], with "de"
// or "del" between or nothing: the number after it is a date's year
// ("julio de mil novecientos noventa", "julio del noventa").
func monthBefore(text string, i int) bool {
	words := strings.Fields(text[:i])
	if n := len(words); n > 0 && (fold(words[n-1]) == "de" || fold(words[n-1]) == "del") {
		words = words[:n-1]
	}
	return len(words) > 0 && spokenMonths[fold(words[len(words)-1])]
}

func isWordStart(text string, i int) bool {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsLetter(r)
}

// spokenRun reads the run of number words starting at text[i]: where it
// ends (after its last number word) and its digits, groups written one
// after the other.
func spokenRun(text string, i int) (end int, digits string) {
	var n spokenNumber
	var out strings.Builder
	flush := func() {
		if s := n.digits(); s != "" {
			out.WriteString(s)
		}
		n = spokenNumber{}
	}
	end = i
	for j := i; j < len(text); {
		w, next := wordAt(text, j)
		if w == "" {
			break
		}
		f := fold(w)
		switch {
		case f == "y" && n.wantsUnit(text, next):
			j = skipSeparators(text, next, false)
			n.and = true
			continue
		case f == "guion" || f == "guión":
			flush()
			out.WriteString("-")
			j = skipSeparators(text, next, false)
			continue
		}
		v, ok := spokenValues[f]
		if !ok {
			break
		}
		if !n.add(v) {
			flush()
			n.add(v)
		}
		end = next
		j = skipSeparators(text, next, true)
	}
	flush()
	return end, strings.TrimRight(out.String(), "-")
}

// wordAt returns the word of letters at text[j] and where it ends.
func wordAt(text string, j int) (string, int) {
	k := j
	for k < len(text) {
		r, n := utf8.DecodeRuneInString(text[k:])
		if !unicode.IsLetter(r) {
			break
		}
		k += n
	}
	return text[j:k], k
}

// skipSeparators skips the spaces (and, when commas, the commas, periods
// and dashes) between two words of a run.
func skipSeparators(text string, j int, commas bool) int {
	for j < len(text) {
		r, n := utf8.DecodeRuneInString(text[j:])
		if !unicode.IsSpace(r) && !(commas && (r == ',' || r == '.' || r == '-')) {
			break
		}
		j += n
	}
	return j
}

// spokenNumber is one number said in words, built word by word.
type spokenNumber struct {
	total int // the millions and thousands said
	chunk int // below a thousand
	tens  int // the tens said (20 … 90), 0 when none or a compound
	units bool
	said  bool // any word
	zero  bool // "cero": a group of its own
	and   bool // "y" said after the tens
}

// spokenValues are the Spanish number words a voice typing writes, folded.
var spokenValues = map[string]int{
	"cero": 0, "uno": 1, "un": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
	"siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14,
	"quince": 15, "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20,
	"veintiuno": 21, "veintiun": 21, "veintiuna": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24,
	"veinticinco": 25, "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29,
	"treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
	"cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200, "trescientos": 300, "trescientas": 300,
	"cuatrocientos": 400, "cuatrocientas": 400, "quinientos": 500, "quinientas": 500, "seiscientos": 600,
	"seiscientas": 600, "setecientos": 700, "setecientas": 700, "ochocientos": 800, "ochocientas": 800,
	"novecientos": 900, "novecientas": 900, "mil": 1000, "millon": 1000000, "millones": 1000000,
}

// wantsUnit reports whether "y" at this point joins the tens said to a
// unit that follows ("treinta y cinco"), rather than two things said.
func (n *spokenNumber) wantsUnit(text string, next int) bool {
	if n.tens < 30 || n.units || n.and {
		return false
	}
	w, _ := wordAt(text, skipSeparators(text, next, false))
	v, ok := spokenValues[fold(w)]
	return ok && v >= 1 && v <= 9
}

// add takes the next word's value into the number, or reports that it
// starts another: "treinta cinco" is 30 and 5, "treinta y cinco" 35,
// "novecientos cuatro" 904, "veintisiete treinta" 27 and 30.
func (n *spokenNumber) add(v int) bool {
	switch {
	case n.zero:
		return false
	case v == 0:
		if n.said {
			return false
		}
		n.zero, n.said = true, true
	case v == 1000000:
		if n.total != 0 {
			return false
		}
		n.total, n.chunk = max(n.chunk, 1)*v, 0
		n.tens, n.units, n.and = 0, false, false
	case v == 1000:
		if n.total%1000000 != 0 {
			return false // the thousands were said
		}
		// "mil novecientos noventa": a thousand alone is one.
		n.total, n.chunk = n.total+max(n.chunk, 1)*v, 0
		n.tens, n.units, n.and = 0, false, false
	case v >= 100:
		if n.chunk != 0 {
			return false
		}
		n.chunk = v
	case v >= 10:
		if n.tens != 0 || n.units || n.chunk%100 != 0 {
			return false
		}
		n.chunk += v
		if v%10 == 0 && v >= 20 {
			n.tens = v
		} else {
			n.units = true // a teen or a compound: "diecisiete", "veintisiete"
		}
	default:
		switch {
		case n.units:
			return false
		case n.tens == 20:
			return false // "veinte cuatro": 20 and 4 ("veinticuatro" is one word)
		case n.tens >= 30 && !n.and:
			return false // "treinta cuatro": 30 and 4
		}
		n.chunk += v
		n.units = true
	}
	n.said = true
	return true
}

// digits is the number said, in digits, or "" when nothing was.
func (n *spokenNumber) digits() string {
	if !n.said {
		return ""
	}
	return strconv.Itoa(n.total + n.chunk)
}
