package dialog

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/clavebot/clavebot/registry"
)

// reading is what a message carries, read once a turn and before anything
// else is asked of it: the CUIL and personal data in it, the names, and
// whether it reads as a question. Nothing here is judged against a
// record; the steps that take the values do that.
type reading struct {
	cuil     registry.CUIL // a valid CUIL
	cuilErr  error         // why a number given as a CUIL is not one
	onlyCUIL bool          // a CUIL and nothing else (labels aside)
	dni      string        // digits
	date     string        // a date, time.DateOnly
	dateSaid bool          // the date was said to be the birth date
	tramite  string        // digits
	names    []nameSeg     // runs of names, with the label they came with
	// sentence: words that are neither names, nor data, nor their labels.
	// Names are not taken from a sentence: "crear" is no first name.
	sentence bool
	// question: a question mark, an interrogative first, or many words:
	// a message that may carry a value but reads as asking something.
	question bool
	// rest is the message without the data read in it: what the
	// classifier reads ("me olvidé la clave, mi cuil es"), since a number
	// says nothing of what the person asks.
	rest string
}

// manyWords is how many words make a message read as telling or asking
// something rather than giving data: "me llamo María Belén Gómez Ruiz y
// mi dni es 31.456.789" has eleven.
const manyWords = 14

// nameField is what a run of names was said to be.
type nameField uint8

const (
	nameAny   nameField = iota // unlabelled: the step decides
	nameFirst                  // "nombre: …", "mis nombres son …"
	nameLast                   // "apellido: …"
	nameFull                   // "nombre completo: …", "nombre y apellido: …"
)

type nameSeg struct {
	text  string
	words int // not counting particles
	field nameField
}

// data reports how many personal data (not names) the message carries.
func (r *reading) data() int {
	n := 0
	for _, given := range [...]bool{r.cuil != "", r.dni != "", r.date != "", r.tramite != ""} {
		if given {
			n++
		}
	}
	return n
}

type tokKind uint8

const (
	tokWord tokKind = iota
	tokNum
	tokDate // a date in words, "14 de marzo de 1985", merged from its tokens
	tokPunct
)

type token struct {
	kind       tokKind
	start, end int // byte offsets in the text
}

// readText reads text for the values it carries (see reading).
func readText(text string, now time.Time) *reading {
	r := &reading{}
	toks := mergeDates(text, mergeGroups(text, tokenize(text)), now)
	label := labelNone
	var seg segment
	var cut []token  // the data, left out of rest
	others := 0      // tokens that are neither a CUIL nor its label
	var first string // the first word, folded
	words := 0
	for i, tk := range toks {
		s := text[tk.start:tk.end]
		switch tk.kind {
		case tokPunct:
			seg.close(r)
			if s == "?" || s == "¿" {
				r.question = true
			}
			if s != ":" && s != "," && s != "." && s != "-" {
				others++
			}
		case tokNum, tokDate:
			seg.close(r)
			cuil, datum := r.number(s, tk.kind, label, now)
			if !cuil {
				others++
			}
			if datum {
				cut = append(cut, tk)
			}
			label = labelNone
		case tokWord:
			words++
			w := fold(s)
			if i == 0 {
				first = w
			}
			// "qué …", "por qué …", "para qué …" open a question.
			if i == 0 && interrogatives[w] || i == 1 && w == "que" && (first == "por" || first == "para") {
				r.question = true
			}
			l, isLabel := labels[w]
			switch {
			case isLabel:
				seg.close(r)
				label = l.data
				seg.label(l.name)
				if l.data != labelCUIL {
					others++
				}
			case particles[w]:
				seg.add(s, false)
				others++
			case fillers[w]:
				seg.close(r)
			case notName(w) || !nameWord(w):
				// A label is followed by what it names, or by nothing.
				seg.close(r)
				seg.field, label = nameAny, labelNone
				r.sentence = true
				others++
			default:
				seg.add(s, true)
				others++
			}
		}
	}
	seg.close(r)
	if words > manyWords {
		r.question = true
	}
	r.onlyCUIL = r.cuil != "" && others == 0
	r.rest = without(text, cut)
	return r
}

// without returns text without the tokens cut.
func without(text string, cut []token) string {
	if len(cut) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, tk := range cut {
		b.WriteString(text[last:tk.start])
		last = tk.end
	}
	b.WriteString(text[last:])
	return strings.Join(strings.Fields(b.String()), " ")
}

// number reads one number (or date) of the message, labelled by the word
// before it. It reports whether it was given as a CUIL, and whether it
// was a datum at all (not "24 hs" or "60 años").
func (r *reading) number(s string, kind tokKind, label dataLabel, now time.Time) (cuil, datum bool) {
	if kind == tokDate || strings.ContainsAny(s, "/.-") {
		if d, err := registry.ParseDate(s, now); err == nil {
			r.date, r.dateSaid = d.Format(time.DateOnly), label == labelDate
			return false, true
		}
	}
	digits := digitsOf(s)
	switch n := len(digits); {
	case n == 11 && label != labelTramite:
		c, err := registry.ParseCUIL(digits)
		cuilish := label == labelCUIL || strings.Count(s, "-") == 2 || cuilPrefix(digits)
		switch {
		case err == nil && cuilish:
			r.cuil = c
			return true, true
		case cuilish:
			r.cuilErr = err
			return true, true
		}
		r.tramite = digits
	case n == 11:
		r.tramite = digits
	case n >= 9 && n <= 12:
		r.cuilErr = registry.ErrCUILLength
		return label == labelCUIL, true
	case n == 7 || n == 8:
		if label == labelCUIL {
			r.cuilErr = registry.ErrCUILLength
			return true, true
		}
		r.dni = digits
	default:
		return false, false
	}
	return false, true
}

// segment gathers a run of name words, and the label said before it.
type segment struct {
	b     strings.Builder
	words int
	tail  int // bytes of particles at the end, dropped if the run ends there
	field nameField
}

// label notes what the next run of names is said to be. First and last
// names both said ("nombre y apellido", "apellido y nombre") make a full
// name.
func (s *segment) label(f nameField) {
	switch {
	case f == nameAny:
	case s.field == nameAny || s.field == f:
		s.field = f
	default:
		s.field = nameFull
	}
}

// add appends a word: a name, or a particle ("de", "la", "y"), which may
// open a surname ("De la Cruz") but is dropped at the end of a run.
func (s *segment) add(word string, name bool) {
	if s.b.Len() > 0 {
		s.b.WriteByte(' ')
	}
	s.b.WriteString(word)
	if name {
		s.words++
		s.tail = 0
	} else {
		s.tail += len(word) + 1
	}
}

// close ends the run: a run with names is kept, and its label is spent.
func (s *segment) close(r *reading) {
	if s.words > 0 {
		text := s.b.String()
		text = strings.TrimSpace(text[:len(text)-min(s.tail, len(text))])
		r.names = append(r.names, nameSeg{text: text, words: s.words, field: s.field})
		s.field = nameAny
	}
	s.b.Reset()
	s.words, s.tail = 0, 0
}

// tokenize splits text into words (letters, with apostrophes and hyphens
// inside), numbers (digits, with dots, dashes and slashes inside) and
// single punctuation marks.
func tokenize(text string) []token {
	toks := make([]token, 0, 8)
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
			continue
		case isWordRune(r):
			j := scan(text, i, isWordRune, "'’´`‘-")
			toks = append(toks, token{kind: tokWord, start: i, end: j})
			i = j
		case r >= '0' && r <= '9':
			j := scan(text, i, isDigit, "./-")
			toks = append(toks, token{kind: tokNum, start: i, end: j})
			i = j
		default:
			toks = append(toks, token{kind: tokPunct, start: i, end: i + n})
			i += n
		}
	}
	return toks
}

// scan returns where the run starting at i ends: runes for which in holds,
// joined by single runes of inner followed by such a rune.
func scan(text string, i int, in func(rune) bool, inner string) int {
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if in(r) {
			i += n
			continue
		}
		if strings.ContainsRune(inner, r) && i+n < len(text) {
			if next, _ := utf8.DecodeRuneInString(text[i+n:]); in(next) {
				i += n
				continue
			}
		}
		break
	}
	return i
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) }

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func digitsOf(s string) string {
	if isAllDigits(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// mergeGroups joins numbers typed in groups separated by spaces: a CUIL
// as "20 12604337 7", a DNI as "24 567 890".
func mergeGroups(text string, toks []token) []token {
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		if tk.kind == tokNum && isAllDigits(text[tk.start:tk.end]) {
			if k := groupEnd(text, toks, i); k > i {
				tk.end = toks[k].end
				i = k
			}
		}
		out = append(out, tk)
	}
	return out
}

// groupEnd returns the last token of a grouped CUIL or DNI starting at
// toks[i], or i when there is none.
func groupEnd(text string, toks []token, i int) int {
	var lens []int
	for k := i; k < len(toks) && k < i+3; k++ {
		tk := toks[k]
		s := text[tk.start:tk.end]
		if tk.kind != tokNum || !isAllDigits(s) || k > i && strings.TrimSpace(text[toks[k-1].end:tk.start]) != "" {
			break
		}
		lens = append(lens, len(s))
		switch {
		case len(lens) == 3 && lens[0] == 2 && lens[1] == 8 && lens[2] == 1:
			return k
		case len(lens) == 3 && lens[0] <= 2 && lens[1] == 3 && lens[2] == 3:
			return k
		}
	}
	return i
}

// mergeDates joins the tokens of a date in words ("14 de marzo de 1985",
// "1° de marzo 85") into one.
func mergeDates(text string, toks []token, now time.Time) []token {
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		if tk.kind == tokNum && tk.end-tk.start <= 2 && i+2 < len(toks) && toks[i+1].kind != tokNum {
			for k := i + 2; k < len(toks) && k <= i+5; k++ {
				end := toks[k]
				if end.kind != tokNum {
					continue
				}
				if _, err := registry.ParseDate(text[tk.start:end.end], now); err == nil {
					tk = token{kind: tokDate, start: tk.start, end: end.end}
					i = k
				}
				break
			}
		}
		out = append(out, tk)
	}
	return out
}

// maskData masks, in a person's message, every CUIL (20-****6789-4),
// DNI (**.***.904), date (**/**/****) and other long number (the last
// four digits shown), so the help desk's transcript does not hold the
// personal data of someone who has not validated.
func maskData(text string, now time.Time) string {
	if strings.IndexFunc(text, isDigit) < 0 {
		return text
	}
	toks := mergeDates(text, mergeGroups(text, tokenize(text)), now)
	var b strings.Builder
	last := 0
	for _, tk := range toks {
		if tk.kind != tokNum && tk.kind != tokDate {
			continue
		}
		m, ok := maskNumber(text[tk.start:tk.end], tk.kind, now)
		if !ok {
			continue
		}
		b.WriteString(text[last:tk.start])
		b.WriteString(m)
		last = tk.end
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

func maskNumber(s string, kind tokKind, now time.Time) (string, bool) {
	if kind == tokDate || strings.ContainsAny(s, "/.-") {
		if _, err := registry.ParseDate(s, now); err == nil {
			return "**/**/****", true
		}
	}
	digits := digitsOf(s)
	switch n := len(digits); {
	case n == 11:
		if c, err := registry.ParseCUIL(digits); err == nil && cuilPrefix(digits) {
			return c.Masked(), true
		}
		return strings.Repeat("*", n-4) + digits[n-4:], true
	case n == 7 || n == 8:
		return maskDNI(digits), true
	case n > 8:
		return strings.Repeat("*", n-4) + digits[n-4:], true
	}
	return "", false
}

// cuilPrefix reports whether 11 digits open as a CUIL or CUIT does (20,
// 23, 24, 27 for people, 30, 33, 34 for companies): a número de trámite,
// "00…", may pass the check digit by chance.
func cuilPrefix(digits string) bool {
	switch digits[:2] {
	case "20", "23", "24", "27", "30", "33", "34":
		return true
	}
	return false
}

// maskDNI shows a DNI's last three digits: **.***.904.
func maskDNI(digits string) string {
	if len(digits) == 7 {
		return "*.***." + digits[4:]
	}
	return "**.***." + digits[5:]
}
