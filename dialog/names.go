package dialog

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/clavebot/clavebot/i18n"
)

// What reads as a person's name. Names in Argentina are many and many are
// also words (Graciela, Consuelo, Luz, Paz, Cruz, Seguro, Bueno): a name
// step takes what is shaped like names and holds no word that a name
// never is. The word lists below are that negative: words of a sentence,
// which no given name or surname of the country is.

// readName returns the name text holds when the whole of it reads as
// names (after a preamble of the step's own: "me llamo", "mi apellido
// es"), or false.
func readName(text string, f nameField) (string, bool) {
	all0 := tokenize(text)
	toks := trimMarks(text, all0)
	if f == nameFirst {
		toks = thanksAfterNames(text, toks)
	}
	courteous := slices.ContainsFunc(all0, func(tk token) bool { return tk.kind == tokWord && courtesy[fold(text[tk.start:tk.end])] })
	i := preamble(text, toks, f)
	if i == 0 {
		// "hola, soy Lucía Soledad", "buenas, mi apellido es Fernández":
		// a greeting before the step's preamble (found by a probe: the
		// greeting was answered and the name lost). Without a preamble a
		// greeting stays a message: "hola gente" is no one's name.
		// "Soy" is not enough: "hola soy jubilado", "buenas soy la hija"
		// (found by a regression probe), unless given names follow:
		// "hola, soy Lucía Soledad" (the name tests' list decides, by the
		// words typed, never the record).
		if g := greetingLen(text, toks); g > 0 && g < len(toks) {
			self := selfWords[fold(text[toks[g].start:toks[g].end])]
			if p := preamble(text, toks[g:], f); p > 0 && g+p < len(toks) &&
				(!self || f == nameFirst && givenOnly(text[toks[g+p].start:])) {
				toks = toks[g:]
				i = p
			} else if rest := text[toks[g].start:]; p == 0 && f == nameFirst && givenOnly(rest) && len(foldedWords(rest)) >= 2 {
				// "Buenas tardes. Lucía Soledad": two known given names or
				// more after the greeting are the first names (a data
				// probe: greeted back, the names lost). One alone may be
				// whom the greeting is for: "hola Luz".
				toks = toks[g:]
			}
		}
	}
	if g := leadLen(text, toks, yesToName); i == 0 && f == nameFirst && g > 0 && g < len(toks) {
		// "sí, Lucía Soledad": the yes of one asked their name, then
		// the names (a words probe: "Eso no parece un nombre"). Two
		// known given names or more: "Si" is a surname too (Si Woo).
		if rest := text[toks[g].start:]; givenOnly(rest) && len(foldedWords(rest)) >= 2 {
			toks = toks[g:]
		}
	}
	// First names never open with a particle: "soy de Rosario" is where
	// one is from (found by a regression probe; surnames may: "de la
	// Fuente").
	if f == nameFirst && i < len(toks) && toks[i].kind == tokWord && particles[fold(text[toks[i].start:toks[i].end])] {
		return "", false
	}
	// After a label ("me llamo", "mi apellido es"), not "soy", the rest
	// is the name, its words of two letters or one included: Mi Ran,
	// Si Woo, Im, O were refused (a probe of people's words).
	labelled := i > 0 && !selfWords[w0(text, toks)]
	words, all, worded, function, short := 0, 0, 0, 0, 0
	for _, tk := range toks[i:] {
		if tk.kind != tokWord {
			return "", false
		}
		w := fold(text[tk.start:tk.end])
		all++
		switch {
		case particles[w]:
		case wordNames[w]:
			worded++
			words++
			if functionWords[w] {
				function++
			}
		case shortNames[w] || labelled && w == "o":
			short++
			words++
		case notName(w) || fillers[w] || isLabel(w) || !nameWord(w):
			return "", false
		default:
			words++
		}
	}
	if words == 0 || all > maxNameWords || short > 0 && !labelled && !shortOK(text, toks[i:]) {
		return "", false
	}
	switch {
	case i > 0:
		// After the step's preamble: what the step asks.
	case worded > 0 && courteous:
		// "chau, jaja": a goodbye, not Chau.
		return "", false
	case all == 1 && (w0(text, toks) == "no" || farewell(w0(text, toks))):
		// "no" is an answer and "chau" a goodbye (found by a regression
		// probe: "Chau!" at the surnames was taken, and the mismatch
		// counted); No and Chau are surnames after "mi apellido es", and
		// Chau with a name before it ("Mei Chau").
		return "", false
	case all == 1:
		// Alone: what the step asks.
	case function > 0:
		// "no pasé la validación", "ni idea": a sentence.
		return "", false
	case worded > 0 && (words == worded || all > 3 || farewell(w0(text, toks)) || nameWithWord(text, toks)):
		// "chau chau", "chau Ana", "bueno chau", "chau, nos vemos el lunes".
		return "", false
	}
	last := toks[len(toks)-1]
	if particles[fold(text[last.start:last.end])] {
		return "", false
	}
	return text[toks[i].start:last.end], true
}

// nameHint is what to say of text, refused at a name step (first: the
// first names'): the format (no digits nor signs) only to text with
// them; to write as on the
// DNI a surname typed without its apostrophe ("d angelo") or an initial
// ("Lucía S."); the names alone to the whole name typed surnames first;
// otherwise that it does not read as a name.
func nameHint(text string, first bool) i18n.Key {
	toks := trimMarks(text, tokenize(text))
	switch {
	case strings.ContainsFunc(text, isDigit) || strings.ContainsFunc(text, isSign):
		return "names.format"
	case apostropheLeft(text, toks):
		return "names.apostrophe"
	case initialIn(text, toks):
		return "names.initial"
	case first && len(toks) > 1 && particles[w0(text, toks)] && readNameOK(text, nameLast):
		return "names.surname_first"
	}
	return "names.unclear"
}

func readNameOK(text string, f nameField) bool { _, ok := readName(text, f); return ok }

// marriedWords ask which surname goes, folded.
var marriedWords = []string{"casada", "casado", "soltera", "soltero", "married", "maiden"}

// isSign reports a rune no name holds nor is said around one: "?", "#",
// "@", an emoji. Letters, marks, spaces, apostrophes, hyphens and the
// marks that end a sentence are none.
func isSign(r rune) bool {
	switch {
	case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.IsSpace(r) ||
		unicode.Is(unicode.Variation_Selector, r):
		return false
	case strings.ContainsRune("'’´`‘-.,;:!¡", r):
		return false
	}
	return unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// apostropheLeft reports a surname typed without its apostrophe: "d
// angelo", "o connor", "Victoria d angelo".
func apostropheLeft(text string, toks []token) bool {
	for k := 0; k+1 < len(toks); k++ {
		w, next := fold(text[toks[k].start:toks[k].end]), toks[k+1]
		if (w == "d" || w == "o" && k == 0) && next.kind == tokWord && nameWord(fold(text[next.start:next.end])) {
			return true
		}
	}
	return false
}

// initialIn reports a name written with an initial or cut short:
// "Lucía S.", "M. Belén", "Ma. Belén".
func initialIn(text string, toks []token) bool {
	named := false
	for k, tk := range toks {
		if tk.kind != tokWord {
			continue
		}
		w := fold(text[tk.start:tk.end])
		dot := k+1 < len(toks) && text[toks[k+1].start:toks[k+1].end] == "."
		switch {
		case utf8.RuneCountInString(w) == 1 && !particles[w] && w != "o" && w != "a" && w != "u":
			return named || k+1 < len(toks)
		case dot && k+2 < len(toks) && toks[k+2].kind == tokWord:
			return true
		case nameWord(w):
			named = true
		}
	}
	return false
}

// shortNames are words of two letters that are Korean given names and
// surnames as much as words of a chat ("mi", "si", "ok", "I'm"): Mi Ran,
// Si Woo, Ok Soon, Eun Mi; Im, Ok.
var shortNames = set("mi", "si", "ok", "im")

// shortOK reports whether toks, holding shortNames and no label, are a
// name: "Mi" and "Im" alone (no command; "si" and "ok" alone are answers),
// or with words of names none of which is a given name of the list, a
// word of English, of a yes or a relative ("Mi Ran", not "si Lucía", "ok
// fine", "si claro", "mi papá"); "Im" only alone.
func shortOK(text string, toks []token) bool {
	if len(toks) == 1 {
		w := fold(text[toks[0].start:toks[0].end])
		return w == "mi" || w == "im"
	}
	others := 0
	for _, tk := range toks {
		w := fold(text[tk.start:tk.end])
		switch {
		case w == "im" || w == "i":
			return false
		case shortNames[w]:
		case givenNames()[w] || englishWords[w] || kin[w] || wordNames[w] || passing[w] || w == "claro" || w == "bueno":
			return false
		default:
			others++
		}
	}
	return others > 0
}

// farewell reports whether w, folded, is a goodbye that is also a
// surname (Chau, Bye): alone or first, a goodbye.
func farewell(w string) bool { return w == "chau" || w == "bye" }

// kin are the relatives people name at a name step ("mi papá").
var kin = set("papa", "mama", "padre", "madre", "hijo", "hija", "hijos", "esposo", "esposa", "marido", "mujer",
	"abuelo", "abuela", "hermano", "hermana", "tio", "tia", "nieto", "nieta", "suegro", "suegra", "pareja", "novio", "novia")

// greetingLen is how many tokens of a greeting open toks ("hola", "buen
// día", "buenas tardes", with the marks after it), or 0.
func greetingLen(text string, toks []token) int { return leadLen(text, toks, greetingWords) }

// leadLen returns how many tokens at the start of toks are words of
// words, with the marks between and after them.
func leadLen(text string, toks []token, words map[string]bool) int {
	n := 0
	for n < len(toks) {
		tk := toks[n]
		w := fold(text[tk.start:tk.end])
		switch {
		case tk.kind == tokWord && words[w]:
		case tk.kind == tokPunct && n > 0 && w != "?" && w != "¿":
		default:
			return n
		}
		n++
	}
	return n
}

// selfWords open a preamble that says who one is rather than one's name.
var selfWords = set("soy", "yo", "i", "i'm", "i’m", "im")

// yesToName are the yeses said before one's names when asked them
// ("sí, Lucía Soledad"). Not "ok": "Ok" opens Korean names, and "ok
// Lucía Soledad" stays no name, as before.
var yesToName = set("si", "dale", "claro", "bueno")

// greetingWords open a greeting.
var greetingWords = set("hola", "holis", "buenas", "buen", "buenos", "dia", "dias", "tardes", "noches", "hello", "hi")

// nameWithWord reports a word of a goodbye or an answer among toks
// ("bueno chau"): Bueno is a surname alone, not with "chau".
func nameWithWord(text string, toks []token) bool {
	return slices.ContainsFunc(toks, func(tk token) bool {
		return passing[fold(text[tk.start:tk.end])] || fold(text[tk.start:tk.end]) == "bueno"
	})
}

// w0 is the first word of toks, folded.
func w0(text string, toks []token) string { return fold(text[toks[0].start:toks[0].end]) }

// trimMarks drops the punctuation and emoji around a message ("Graciela.",
// "Luz 👍"), but not a question mark: "¿Seguro?" asks; and the courtesy
// around a name ("Lucía Soledad nomás", "solamente Luz", "Luz, gracias"),
// which made it no name (found by a probe).
func trimMarks(text string, toks []token) []token {
	mark := func(tk token) bool {
		s := text[tk.start:tk.end]
		return tk.kind == tokPunct && s != "?" && s != "¿" || tk.kind == tokWord && courtesy[fold(s)]
	}
	for len(toks) > 0 && mark(toks[len(toks)-1]) {
		toks = toks[:len(toks)-1]
	}
	for len(toks) > 0 && mark(toks[0]) {
		toks = toks[1:]
	}
	return toks
}

// thanksAfterNames drops the thanks after known given names ("Luz,
// gracias", "María Belén muchas gracias"): the names were lost to
// "¡De nada!" (a words probe). Only after given names of the list: what
// is left of "bueno gracias" is no name (see courtesy).
func thanksAfterNames(text string, toks []token) []token {
	n := len(toks)
	if n < 2 || toks[n-1].kind != tokWord || fold(text[toks[n-1].start:toks[n-1].end]) != "gracias" {
		return toks
	}
	n--
	if w := fold(text[toks[n-1].start:toks[n-1].end]); n > 1 && (w == "muchas" || w == "mil") {
		n--
	}
	rest := trimMarks(text, toks[:n])
	if len(rest) == 0 || !givenOnly(text[rest[0].start:rest[len(rest)-1].end]) {
		return toks
	}
	return rest
}

// courtesy are the words said around a name that are none: trimmed.
// Thanks and apologies are not: what is left of "gracias amigo", "bueno
// gracias" or "perdón la demora" is no name (found by a regression probe:
// "Bueno" taken as the surname, and the mismatch counted).
var courtesy = set("nomas", "solamente", "solo", "xfa", "plis", "pls", "please", "porfa", "porfi", "porfis",
	"jaja", "jeje", "jiji")

// maxNameWords bounds a name: "María de los Ángeles del Carmen" is seven.
const maxNameWords = 9

// preamble returns how many tokens of a preamble of field f open the
// message ("me llamo", "mis nombres son:", "apellido:"), or 0.
func preamble(text string, toks []token, f nameField) int {
	for _, p := range preambles[f] {
		if len(toks) <= len(p) {
			continue
		}
		ok := true
		for k, w := range p {
			if toks[k].kind != tokWord || fold(text[toks[k].start:toks[k].end]) != w {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		n := len(p)
		if toks[n].kind == tokPunct && text[toks[n].start:toks[n].end] == ":" {
			n++
		}
		if n < len(toks) {
			return n
		}
	}
	return 0
}

var preambles = map[nameField][][]string{
	nameFirst: {
		{"me", "llamo"}, {"mi", "nombre", "es"}, {"mis", "nombres", "son"}, {"yo", "soy"}, {"soy"},
		{"nombre"}, {"nombres"}, {"my", "name", "is"}, {"first", "name"}, {"name"}, {"i'm"}, {"i’m"}, {"i", "am"},
	},
	nameLast: {
		{"mi", "apellido", "es"}, {"mis", "apellidos", "son"}, {"apellido"}, {"apellidos"},
		{"my", "surname", "is"}, {"my", "last", "name", "is"}, {"surname"}, {"last", "name"},
	},
}

// nameWord reports whether a folded word can be part of a name: letters
// (apostrophes and hyphens inside: D'Angelo, Pérez-Gómez), two at least,
// a vowel among them, and no letter three times running.
func nameWord(w string) bool {
	if voweless[w] {
		return true
	}
	letters, vowel, run := 0, false, 0
	var prev rune
	for _, r := range w {
		switch {
		case r == '\'' || r == '’' || r == '-' || r == '´' || r == '`' || r == '‘':
			prev, run = r, 0
			continue
		case !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r):
			return false
		}
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		letters++
		if strings.ContainsRune("aeiouy", r) {
			vowel = true
		}
		if r == prev {
			run++
		} else {
			run = 1
		}
		if run >= 3 {
			return false
		}
		prev = r
	}
	return letters >= 2 && letters <= 30 && vowel && !stutter(w)
}

// voweless are the names without a vowel: "Mc Donald", "Ng".
var voweless = set("mc", "ng")

// stutter reports a word that is one chunk typed again and again: laughter
// ("jajaja") or a keyboard run ("asdasd"). Names may repeat a syllable
// once ("Coco", "Lulú"), not a longer chunk, nor a short one thrice.
func stutter(w string) bool {
	for n := 2; n <= len(w)/2; n++ {
		if len(w)%n != 0 || strings.Repeat(w[:n], len(w)/n) != w {
			continue
		}
		if n >= 3 || len(w)/n >= 3 {
			return true
		}
	}
	return false
}

// particles join the words of a name ("María de los Ángeles", "Ortega y
// Gasset", "La Rosa") and never end one. Prefixes that may stand alone
// (Di, Lo, Li, Da, Dos, Van, San) are name words.
var particles = set("de", "del", "la", "las", "los", "y", "e", "al")

// fillers are the small words around data and names that say nothing
// themselves: "mi dni es …", "me llamo …", "nacida el …".
var fillers = set("mi", "mis", "es", "son", "el", "me", "llamo", "soy", "yo", "numero", "nro", "num",
	"n", "nº", "my", "is", "are", "am", "i", "im", "i'm", "i’m", "number", "senor", "senora", "sr", "sra", "sres")

// selfFillers are the fillers after which one's own name follows: "soy
// …", "me llamo …", and English's "i'm …", "I am …" (a words probe: "i'm
// Lucía Soledad Fernández, id …, i want to create my key" was read as the
// names "i'm Lucía Soledad Fernández", and no name kept).
var selfFillers = set("soy", "llamo", "i'm", "i’m", "im", "am")

// dataLabel is what a number was said to be.
type dataLabel uint8

const (
	labelNone dataLabel = iota
	labelCUIL
	labelDNI
	labelDate
	labelTramite
)

type labelDef struct {
	data dataLabel
	name nameField
}

// labels name the data and names that follow them.
var labels = map[string]labelDef{
	"nombre": {name: nameFirst}, "nombres": {name: nameFirst}, "name": {name: nameFirst},
	"names": {name: nameFirst}, "first": {name: nameFirst},
	"apellido": {name: nameLast}, "apellidos": {name: nameLast}, "surname": {name: nameLast},
	"surnames": {name: nameLast}, "last": {name: nameLast}, "lastname": {name: nameLast},
	"completo": {name: nameFull}, "full": {name: nameFull},
	"dni": {data: labelDNI}, "documento": {data: labelDNI}, "doc": {data: labelDNI}, "id": {data: labelDNI},
	"cuil": {data: labelCUIL}, "cuit": {data: labelCUIL},
	"tramite": {data: labelTramite}, "tramites": {data: labelTramite},
	"nacimiento": {data: labelDate}, "naci": {data: labelDate}, "nacida": {data: labelDate},
	"nacido": {data: labelDate}, "nac": {data: labelDate}, "fecha": {data: labelDate},
	"born": {data: labelDate}, "birth": {data: labelDate},
}

func isLabel(w string) bool { _, ok := labels[w]; return ok }

// notName reports a word of a sentence, also when stretched for emphasis
// ("holaa", "graciass", "heyy").
func notName(w string) bool {
	if notNames[w] {
		return true
	}
	n := len(w)
	for n > 1 && w[n-1] == w[n-2] {
		n--
	}
	return n < len(w) && notNames[w[:n]]
}

// wordNames are surnames that are also words of a sentence (Chau and Ni
// are Chinese, No and Sin Korean, Feliz Spanish, Bye English), kept in notNames so
// that a message's reading (values.go) does not take them for names in a
// sentence. At a name step the whole message reads as a name with them:
// one alone ("Chau", where the surname is asked), with names that are no
// words ("Mei Chau"), or after the step's preamble ("mi apellido es No").
// Found by a probe: a person so named could not get past the surname.
// The function words among them (No, Ni, Sin) open too many sentences
// ("no pasé la validación", "ni idea"): they are a name alone or after the
// preamble only. A bare "no" is still an answer (conversation), not a
// name.
var (
	wordNames     = set("chau", "bye", "ni", "sin", "no", "feliz")
	functionWords = set("ni", "sin", "no")
)

// stepSaid is what a word typed alone at a name step says of the step.
type stepSaid uint8

const (
	saidNothing stepSaid = iota
	saidAgain            // ask again: "repetir", "borrar", "tomá", "va"
	saidSkip             // go on without it: "siguiente", "next"; it cannot
	saidWait             // a pause: "aguardá", "wait"
	saidLater            // back later: "mañana"
	saidLeave            // stop: "basta", "stop"; Basta and Stop are surnames
	saidOops             // a reaction: "ups", "sorry"
)

// stepWords are what people type alone at a name step that speak of the
// step rather than name anyone, folded, their letters not repeated ("upss"
// is "ups"). Saved as the name, each failed the validation and lost an
// attempt (a probe of people's words). None is a given name of the
// project's list nor a surname of the name tests'; Basta, Stop and
// Terminar are surnames all the same, so they offer to leave, and a "no"
// takes them as the name (State.AsTyped). Those that name no one anywhere
// ("fin", "anterior") are commands (leaveWords).
var stepWords = map[string]stepSaid{
	"repetir": saidAgain, "repeti": saidAgain, "repetime": saidAgain, "de nuevo": saidAgain, "otra vez": saidAgain,
	"borrar": saidAgain, "borra": saidAgain, "borralo": saidAgain, "toma": saidAgain, "va": saidAgain,
	"ahi va": saidAgain, "aca va": saidAgain, "ahi te va": saidAgain, "repeat": saidAgain, "again": saidAgain,
	"sure": saidAgain, "here you go": saidAgain,
	"siguiente": saidSkip, "continuar": saidSkip, "continua": saidSkip, "seguir": saidSkip, "sigamos": saidSkip,
	"avanzar": saidSkip, "saltar": saidSkip, "saltear": saidSkip, "omitir": saidSkip, "next": saidSkip,
	"skip": saidSkip, "done": saidSkip, "continue": saidSkip,
	"aguarda": saidWait, "aguardame": saidWait, "espera": saidWait, "esperame": saidWait, "frena": saidWait,
	"para": saidWait, "un momento": saidWait, "un segundo": saidWait, "un minuto": saidWait,
	"dame un minuto": saidWait, "wait": saidWait, "hold on": saidWait, "one moment": saidWait, "hold": saidWait,
	"manana": saidLater, "despues": saidLater, "mas tarde": saidLater, "luego": saidLater, "otro dia": saidLater,
	"later": saidLater, "tomorrow": saidLater,
	"stop": saidLeave, "basta": saidLeave, "terminar": saidLeave, "termina": saidLeave, "deja": saidLeave,
	"me voy": saidLeave, "me tengo que ir": saidLeave, "chau me voy": saidLeave,
	"ups": saidOops, "uy": saidOops, "upa": saidOops, "ay": saidOops, "oops": saidOops,
	"sorry": saidOops, "oops sorry": saidOops, "uy perdon": saidOops, "ups perdon": saidOops,
}

// stepSaidIn reads text, typed at a name step, as one of stepWords, with
// the courtesy around it ("basta por favor", "ups!"), or as a pause in
// more words (pauseIn).
func stepSaidIn(text string) stepSaid {
	raw := slices.DeleteFunc(foldedWords(text), func(w string) bool { return courtesy[w] || w == "por" || w == "favor" })
	ws := make([]string, len(raw))
	for i, w := range raw {
		ws[i] = squeeze(w)
	}
	if said := stepWords[strings.Join(ws, " ")]; said != saidNothing {
		return said
	}
	return pauseIn(ws, raw)
}

// goingOn are verbs of going on later, folded ("mañana sigo", "lo termino
// después").
var goingOn = set("sigo", "seguimos", "continuo", "termino", "completo", "retomo", "vuelvo", "escribo", "continue",
	"finish", "complete", "write",
	// doing it, or leaving it for then ("lo hago mañana", "mejor lo
	// dejo para mañana" got «No pude leer esa fecha»; a people probe)
	"hago", "dejo", "hacemos")

// laterNouns end "más tarde" and "otro día" (folded).
var laterNouns = set("tarde", "dia")

// waitWords say, folded, that the person needs a moment, in the River
// Plate's words too ("bancame un toque", "espera que busco el dni").
var waitWords = set("bancame", "banca", "aguanta", "aguantame", "toque", "esperame", "espera", "aguarda",
	"aguardame", "wait", "hold", "sec",
	// as an older person writes it, and the moment said small, or the
	// going to look for it ("aguarde un momento por favor", "esperame un
	// cachito", "voy a buscar el documento" got the step's format hint; a
	// people probe)
	"aguarde", "aguardeme", "espere", "espereme", "momentito", "segundito", "minutito", "cachito", "busco",
	"buscar", "buscarlo", "buscarla")

// momentWords are a moment's words, a wait after "un" ("un segundo q lo
// busco"); alone they are fillers ("dame un minuto que busco el dni").
var momentWords = set("momento", "segundo", "minuto")

// backSoon opens "ya vuelvo", "ahora vengo": a wait with its verb.
var backSoon = set("ya", "ahora", "ahi")

// pauseFillers are the other words of a pause ("espera que lo busco").
var pauseFillers = set("que", "q", "lo", "la", "el", "te", "un", "ya", "dni", "documento", "cuil", "mejor", "para",
	"momento", "segundo", "minuto", "voy", "a", "y", "bueno", "ahi", "ahora", "vuelvo", "vengo", "tengo", "dame",
	"deme",
	"let", "me", "find", "look", "for", "my", "i", "ll", "will", "it", "on", "one", "moment", "second", "minute",
	"just", "id", "get", "back", "be", "right")

// pauseIn reads words (folded, squeezed; raw, as typed: "will") of a
// short message as a pause said in more words than stepWords holds:
// "mañana sigo" was taken as first names, and "bancame un toque" got the
// step's format hint (a words probe), and in English "wait, let me find
// my dni" as names. A later word with a verb of going on is a pause till
// later; a wait word, or "ya vuelvo", with only the words of a pause
// around it, one now.
func pauseIn(ws, raw []string) stepSaid {
	// Up to eight: "bancame un toque que busco el dni" is seven.
	if len(ws) < 2 || len(ws) > 8 {
		return saidNothing
	}
	later, going, wait := false, false, false
	for i, w := range ws {
		switch {
		case stepWords[w] == saidLater || (w == "mas" || w == "otro") && i+1 < len(ws) && laterNouns[ws[i+1]]:
			later = true
		case goingOn[w]:
			going = true
		case waitWords[w] || momentWords[w] && i > 0 && ws[i-1] == "un":
			wait = true
		case laterNouns[w] || pauseFillers[w] || pauseFillers[raw[i]]:
		default:
			return saidNothing
		}
	}
	switch {
	case later && (going || ws[0] == "mejor"):
		// "mejor mañana", "mejor otro dia": put off, said so.
		return saidLater
	case wait || len(ws) == 2 && backSoon[ws[0]] && (ws[1] == "vuelvo" || ws[1] == "vengo"):
		return saidWait
	}
	return saidNothing
}

// interrogatives opening a message make it a question even without "?".
var interrogatives = set("que", "quien", "quienes", "como", "cuando", "donde", "adonde", "cual", "cuales",
	"cuanto", "cuanta", "cuantos", "cuantas", "porque", "xq", "pq", "q", "k",
	"what", "how", "why", "where", "when", "who", "which", "whats", "hows")

// notNames are words of a sentence that no name is: questions, pronouns,
// verbs, chat, the bot's own subject. Words that are also names or
// surnames (Paz, Luz, Cruz, Bueno, Claro, Solá, Mas, Sol, Leal, Franco…)
// must never be added here: a test types them at the name steps.
var notNames = set(
	// questions and connectives
	"que", "quien", "quienes", "como", "cuando", "donde", "adonde", "cual", "cuales", "cuanto",
	"cuanta", "cuantos", "cuantas", "porque", "xq", "pq", "q", "k", "x", "d", "pero", "para",
	"por", "sin", "con", "en", "entonces", "osea", "igual", "asi", "tambien", "tampoco",
	// negation, assent, time, quantity
	"no", "ni", "si", "ya", "nada", "algo", "todo", "toda", "todos", "todas", "nunca",
	"siempre", "ahora", "hoy", "ayer", "despues", "antes", "luego", "todavia", "recien", "aun",
	"muy", "menos", "bien", "mal", "vez", "otra", "otro", "ok", "okey", "oka", "dale", "listo",
	"mismo", "misma", "solo", "cualquiera", "nadie", "ninguno", "ninguna", "alguno", "alguna", "algun",
	"genial", "perfecto", "idea", "mucho", "mucha", "muchos", "muchas", "equivoque", "equivoco", "equivocado", "equivocada", "equivocacion",
	"confundi", "corrijo", "corregir",
	// fillers of the chat (found by a probe: "Lucía Soledad nomás" was a
	// name, and the mismatch counted)
	"nomas", "solamente", "xfa", "plis", "pls", "porfi", "porfis", "jaja", "jeje", "jiji", "senorita",
	"senora", "senor", "mama",
	// what people say they are, and of their names (found by a regression
	// probe: "hola soy jubilado", "mi apellido es compuesto" were names)
	"jubilado", "jubilada", "pensionado", "pensionada", "estudiante", "monotributista", "hija", "hijo",
	"compuesto", "compuesta", "compuestos", "doble",
	// what happened to them, told (a words probe: "fui estafada" and
	// "fui al banco" were first names, "got scammed" a surname)
	"fui", "fuimos", "fueron", "estafada", "estafado", "estafados", "estafaron", "estafo", "robaron", "hicieron",
	"pidieron", "dijeron", "llamaron", "mandaron", "bloquearon", "cambiaron", "hackearon", "afanaron", "sacaron",
	"lost", "got", "scammed", "stolen", "stole",
	// pronouns and articles
	"vos", "usted", "ustedes", "ud", "uds", "te", "nos", "les", "se", "un", "una", "uno", "unos",
	"unas", "este", "esta", "esto", "estos", "estas", "ese", "esa", "eso", "esos", "esas",
	"aca", "alla", "ahi", "aqui", "alli",
	// verbs of a request or a complaint
	"estoy", "estas", "estan", "estamos", "era", "fue", "sera", "seria", "sos", "somos", "hay",
	"habia", "tengo", "tenes", "tiene", "tienen", "tenia", "tener", "quiero", "queres",
	"quiere", "queria", "quisiera", "necesito", "necesitas", "necesita", "puedo", "podes",
	"puede", "pueden", "podria", "hago", "haces", "hace", "hacer", "hice", "hizo", "sabe",
	"saber", "sabes", "entiendo", "entendi", "entiende", "olvide", "olvidaste", "recuerdo",
	"acuerdo", "dice", "dijo", "dicen", "digo", "pide", "piden", "pido", "pone", "pongo",
	"puse", "escribi", "escribo", "mande", "mando", "envie", "llega", "llego", "anda", "funciona",
	"sirve", "sirven", "voy", "vamos", "ver", "veo", "mire", "dame", "decime", "deci",
	"pasame", "ayudame", "ayuden", "ayudar", "ayuda", "explicame", "espera", "espere",
	"esperar", "perdi", "perdio", "ingresar", "entrar", "crear", "crearla", "generar",
	"sacar", "hacerla", "recuperar", "recuperarla", "cambiar", "cambiarla", "blanquear",
	"resetear", "restablecer", "revisar", "consultar", "verificar", "validar", "anotar",
	// the bot's subject
	"clave", "claves", "contrasena", "password", "pass", "anses", "afip", "arca", "mensaje",
	"pregunta", "preguntas", "error", "problema", "problemas", "sistema", "pagina", "web",
	"app", "aplicacion", "celular", "telefono", "mail", "correo", "email", "usuario", "codigo",
	"persona", "personas", "operador", "humano", "agente", "asesor", "asesora", "bot", "robot", "menu", "opcion",
	"opciones", "turno", "oficina", "cuenta", "datos", "dato", "numeros", "tramitar",
	// greetings, thanks, chat
	"hola", "holis", "ola", "buenas", "buenos", "buen", "dia", "dias", "tardes", "noches",
	"chau", "bye", "adios", "saludos", "gracias", "grax", "porfa", "favor", "please", "perdon",
	"disculpa", "disculpe", "disculpas", "che", "boludo", "eh", "ah", "uh", "mmm", "hmm", "lol",
	"nose", "ano", "nuevo", "nueva", "feliz", "navidad", "finde",
	// English
	"what", "whats", "how", "why", "where", "when", "who", "which", "the", "you", "your", "hi",
	"up", "sup",
	"hello", "hey", "thanks", "thank", "yes", "yeah", "help", "want", "need", "dont", "cant",
	"forgot", "key", "can", "could", "would", "does", "did", "have", "has", "not", "and",
	"or", "but", "it", "this", "that", "there", "here", "with", "for", "from", "about",
	"code", "phone", "didnt", "resend",
	// Portuguese ("obrigada" at the first names was taken as them; a
	// people probe)
	"obrigado", "obrigada", "senha", "minha", "esqueci", "fazer", "nao", "tudo", "oi",
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
