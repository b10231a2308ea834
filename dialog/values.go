package dialog

import (
	"regexp"
	"strings"
	"time"

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
	twoCUILs bool          // two different CUILs: none is taken, which is asked
	dni      string        // digits
	dniSaid  bool          // the DNI came after its label ("dni", "documento")
	date     string        // a date, time.DateOnly
	dateSaid bool          // the date was said to be the birth date
	tramite  string        // digits
	names    []nameSeg     // runs of names, with the label they came with
	// sentence: words that are neither names, nor data, nor their labels.
	// Names are not taken from a sentence: "crear" is no first name.
	sentence bool
	// afterSentence is the index in names of the first run that follows
	// the sentence's last word: the names typed after a request ("quiero
	// crear mi clave, María Belén Gómez Ruiz 20-…").
	afterSentence int
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
	self  bool // said to be the person's: "soy …", "me llamo …"
}

// personal reports whether the message reads as a person's data other
// than a CUIL: a DNI, a date, a número de trámite, or, with names, a name
// of two words or more not said in a sentence (one word alone may be
// anything; words of another language may read as names too, so names
// count only once the classifier found nothing in them).
func (r *reading) personal(names bool) bool {
	if r.dni != "" || r.date != "" || r.tramite != "" {
		return true
	}
	if !names {
		return false
	}
	words := 0
	for _, n := range r.names {
		words += n.words
		for _, w := range foldedWords(n.text) {
			if englishWords[w] {
				return false // "I still can't": the bot in English
			}
		}
	}
	// One word that is a known given name is a name too: "Néstor" where
	// the bot asks what a CUIL is for got «Eso no lo sé responder» (a
	// people probe). Any other word alone may be anything.
	one := words == 1 && len(r.names) == 1 && givenOnly(r.names[0].text)
	return (words >= 2 || one) && !r.sentence
}

// englishWords are words of English sentences that are nobody's name: the
// reading's sentences are Spanish, and an English one reads as names.
var englishWords = set("i", "im", "still", "can", "cant", "t", "don", "doesn", "didn", "isn", "won", "the", "my",
	"is", "it", "not", "do", "you", "what", "how", "help", "please", "want", "need", "have", "password", "key",
	"to", "and", "of", "for", "this", "that", "work", "working", "me", "get", "got", "log", "login", "in",
	"fine", "good", "great", "cool", "bye", "sorry", "sure", "okay", "done", "yes", "no",
	// What people tell of their papers and family ("I lost my ID card",
	// "my mom passed away" got "Thank you. To begin…"; a words probe).
	"lost", "lose", "id", "card", "stolen", "new", "old", "phone", "number", "email", "account", "changed",
	"forgot", "passed", "away", "died", "dead", "mom", "dad", "mother", "father", "someone", "gave", "asked")

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

// readText reads text for the values it carries (see reading).
func readText(text string, now time.Time) *reading {
	r := &reading{}
	if strings.IndexFunc(text, func(c rune) bool { return c != '-' && registry.IsDash(c) }) >= 0 {
		// "27–35218904–4": the dashes autocorrect puts between digits.
		text = strings.Map(func(c rune) rune {
			if registry.IsDash(c) {
				return '-'
			}
			return c
		}, text)
	}
	toks := mergeDates(text, mergeGroups(text, tokenize(text)), now)
	label := labelNone
	var seg segment
	var cut []token  // the data and their labels, left out of rest
	var said []token // the labels of the datum that may follow
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
				// Its label goes too: "mi cuil es y mi dni" left for the
				// classifier reads as a question about the CUIL.
				if label != labelNone {
					cut = append(cut, said...)
				}
				cut = append(cut, tk)
			}
			label, said = labelNone, nil
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
				if l.data != labelNone {
					said = append(said, tk)
				}
				if l.data != labelCUIL {
					others++
				}
			case particles[w]:
				seg.add(s, false)
				others++
			case seg.field != nameAny && (shortNames[w] || w == "o" && seg.words == 0) && !labelNext(text, toks, i):
				// "mi nombre es Mi Ran", "apellido: O": after a label the
				// words of two letters are the name's (a probe of
				// people's words: "Mi" was dropped, "Ran" judged).
				seg.add(s, true)
				others++
			case fillers[w] && !verbAfterMe(text, toks, i):
				seg.close(r)
				// "soy …", "me llamo …": the run that follows is the
				// person's own name.
				seg.self = selfFillers[w]
			case notName(w) || !nameWord(w) || gluedToNumber(toks, i) || fillers[w]:
				// A label is followed by what it names, or by nothing.
				// Letters glued to digits ("Ruta2024xy", a key typed at
				// the names) are no name: read as first names "Ruta" and
				// surname "xy", they were judged and the mismatch
				// counted (a contract probe).
				seg.close(r)
				seg.field, label, said, seg.self = nameAny, labelNone, nil, false
				r.sentence = true
				r.afterSentence = len(r.names)
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
	if r.twoCUILs {
		r.cuil = ""
	}
	r.onlyCUIL = r.cuil != "" && others == 0
	r.rest = without(text, cut)
	return r
}

// gluedToNumber reports whether the word toks[i] touches a number with
// no space between them ("Ruta2024xy", "Maria85").
func gluedToNumber(toks []token, i int) bool {
	number := func(k tokKind) bool { return k == tokNum || k == tokDate }
	return i > 0 && number(toks[i-1].kind) && toks[i-1].end == toks[i].start ||
		i+1 < len(toks) && number(toks[i+1].kind) && toks[i+1].start == toks[i].end
}

// verbAfterMe reports whether toks[i] is "me" before a word that is no
// filler nor label: a verb, "me hicieron el cuento del tío", where the
// words after it read as first names "hicieron" and surname "cuento del
// tío" (a words probe). "me llamo" is the names' own.
func verbAfterMe(text string, toks []token, i int) bool {
	if fold(text[toks[i].start:toks[i].end]) != "me" || i+1 >= len(toks) || toks[i+1].kind != tokWord {
		return false
	}
	next := fold(text[toks[i+1].start:toks[i+1].end])
	return !fillers[next] && !isLabel(next)
}

// labelNext reports whether the token after toks[i] is a label: "mi" in
// "Lucía y mi apellido es …" opens what follows.
func labelNext(text string, toks []token, i int) bool {
	if i+1 >= len(toks) || toks[i+1].kind != tokWord {
		return false
	}
	return isLabel(fold(text[toks[i+1].start:toks[i+1].end]))
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

// dateShaped is a day, a month and a year with separators, read or not;
// a DNI with dots has groups of three ("35.218.904").
// Its first two groups are the first two numbers (monthFirst).
var dateShaped = regexp.MustCompile(`^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*\d{2,4}$`)

// number reads one number (or date) of the message, labelled by the word
// before it. It reports whether it was given as a CUIL, and whether it
// was a datum at all (not "24 hs" or "60 años").
func (r *reading) number(s string, kind tokKind, label dataLabel, now time.Time) (cuil, datum bool) {
	if kind == tokDate || strings.ContainsAny(s, "/.-") {
		if d, err := registry.ParseDate(s, now); err == nil {
			r.date, r.dateSaid = d.Format(time.DateOnly), label == labelDate
			return false, true
		}
		// A date that is none ("31/02/1990", "07/21/1990", "21/07/199")
		// is a date typed wrong, never the DNI its eight digits would
		// make: taken as one, it was judged against the record and the
		// person lost an attempt for a DNI they never typed.
		if dateShaped.MatchString(s) {
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
			r.twoCUILs = r.twoCUILs || r.cuil != "" && r.cuil != c
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
		r.dni, r.dniSaid = digits, label == labelDNI
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
	self  bool // opened by "soy", "me llamo"
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
		r.names = append(r.names, nameSeg{text: text, words: s.words, field: s.field, self: s.self})
		s.field, s.self = nameAny, false
	}
	s.b.Reset()
	s.words, s.tail = 0, 0
}
