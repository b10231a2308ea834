package dialog

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// narrow turns the fullwidth forms of ASCII that Chinese, Japanese and
// Korean keyboards type ("１", "２０－３１…", "／") and the minus sign
// (U+2212) into ASCII, so that numbers, CUILs and dates typed so are
// read. Not for keys: a key is kept as typed.
func narrow(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '\uff01' && r <= '\uff5e':
			return r - 0xfee0
		case r == '\u3000':
			return ' '
		case r == '\u2212':
			return '-'
		}
		return r
	}, s)
}

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

// foldedWords is s folded and cut into its runs of letters: "¿No sé?" is
// "no", "se". How short answers are compared with the words they may be.
func foldedWords(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool { return !unicode.IsLetter(r) })
}

// foldedPhrase is strings.Join(foldedWords(s), " "): the folded words of
// s with one space between them, as says and others compare them, without
// the slice of words and the join's copy (none at all when s is already a
// folded phrase), for it runs several times a turn on the same message.
func foldedPhrase(s string) string {
	f := fold(s)
	if isLowerPhrase(f) {
		return f
	}
	var sb strings.Builder
	inWord := false
	for _, r := range f {
		if !unicode.IsLetter(r) {
			inWord = false
			continue
		}
		if sb.Len() == 0 {
			sb.Grow(len(f)) // text without letters costs nothing
		} else if !inWord {
			sb.WriteByte(' ')
		}
		sb.WriteRune(r)
		inWord = true
	}
	return sb.String()
}

// isLowerPhrase reports whether s is ASCII lower-case words with single
// spaces between them: its own folded phrase.
func isLowerPhrase(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z':
		case c == ' ' && s[i+1] != ' ':
		default:
			return false
		}
	}
	return true
}

// says reports whether text, folded into its words, holds one of phrases
// (folded; a phrase may be the start of a word: "olvid").
func says(text string, phrases []string) bool {
	return containsAny(foldedPhrase(text), phrases)
}

// saysWords is says for whole words only: "es asi" is not in "mesas
// así".
func saysWords(text string, phrases []string) bool {
	f := " " + foldedPhrase(text) + " "
	for _, p := range phrases {
		if hasWords(f, p) {
			return true
		}
	}
	return false
}

// wordsIndex is strings.Index(f, " "+p+" "), f a folded phrase between
// spaces: where p stands as whole words, at the space before it. It
// builds no " "+p+" " for each phrase: that concatenation cost more than
// the search (issue 14: a turn checks a few dozen phrases).
func wordsIndex(f, p string) int {
	for i := 0; i+len(p) < len(f); {
		j := strings.Index(f[i:], p)
		if j < 0 {
			return -1
		}
		j += i
		if j > 0 && j+len(p) < len(f) && f[j-1] == ' ' && f[j+len(p)] == ' ' {
			return j - 1
		}
		i = j + 1
	}
	return -1
}

// hasWords reports whether f, a folded phrase between spaces, holds p as
// whole words (see wordsIndex).
func hasWords(f, p string) bool { return wordsIndex(f, p) >= 0 }

func containsAny(f string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(f, p) {
			return true
		}
	}
	return false
}

// fold lowercases, strips accents and punctuation at the edges and collapses
// spaces, so "¡Menú!" and "menu" compare equal. It runs on every option of
// every turn, so it avoids the allocation-heavy normalization transformers.
func fold(s string) string {
	if isFolded(s) {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range s {
		// Rune by rune, as strings.ToLower does it, without a copy.
		r = unicode.ToLower(r)
		if unicode.IsSpace(r) {
			space = sb.Len() > 0
			continue
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		if r >= utf8.RuneSelf { // see unaccent
			if base, ok := unaccent[r]; ok {
				r = base
			}
		}
		sb.WriteRune(r)
	}
	return strings.TrimFunc(sb.String(), func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) })
}

// isFolded reports whether fold(s) is s: ASCII without capitals, spaces
// only single and between other characters, a letter or digit at each
// end. fold runs some 15 times a turn, mostly on text already folded
// (words cut from folded text, labels, commands), which then costs no
// copy. Anything else, all text beyond ASCII included, goes the long way.
func isFolded(s string) bool {
	if s == "" {
		return true
	}
	if !asciiAlnumLower(s[0]) || !asciiAlnumLower(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf, 'A' <= c && c <= 'Z', c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			return false
		case c == ' ' && s[i+1] == ' ':
			return false
		}
	}
	return true
}

func asciiAlnumLower(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// unaccent maps the accented letters of Spanish (and a few neighbours) to
// their base letter.
//
// Its letters are all beyond ASCII: fold looks an ASCII letter up in it
// no more, a map lookup for each letter of each message folded (issue 14).
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
	cmdRestart = "restart"
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

// leaveWords are the other ways people say a command on its own, folded:
// none is anybody's name, and read as names or a wrong datum at a data
// step they led to a failed validation that counted. Words that are also
// surnames (Basta, Stop, Terminar) are not among them: at a name step
// they offer to leave (stepWords). "Empezar de
// nuevo" is cmdRestart: the menu, but at the key steps the key again (the
// menu would lose the identity proved).
var leaveWords = map[string]string{
	"cancela": cmdCancel, "salir": cmdCancel,
	"no quiero seguir": cmdCancel, "no quiero continuar": cmdCancel, "no sigo": cmdCancel, "dejalo": cmdCancel,
	"fin": cmdCancel, "me arrepenti": cmdCancel, "me arrepiento": cmdCancel,
	"olvidalo": cmdCancel, "exit": cmdCancel, "quit": cmdCancel, "cancelar todo": cmdCancel, "cancela todo": cmdCancel,
	"salir del chat": cmdCancel, "me quiero ir": cmdCancel, "no quiero mas": cmdCancel,
	"empezar de nuevo": cmdRestart, "empezar de cero": cmdRestart, "volver a empezar": cmdRestart,
	"reiniciar": cmdRestart, "arrancar de nuevo": cmdRestart, "start over": cmdRestart,
	"volver al menu": cmdMenu, "volver al inicio": cmdMenu, "ir al menu": cmdMenu, "ver el menu": cmdMenu,
	"volvamos al menu": cmdMenu, "back to menu": cmdMenu,
	// "ir al inicio" at the surname was taken as the surname (a contract
	// probe).
	"ir al inicio": cmdMenu, "al inicio": cmdMenu, "ir a inicio": cmdMenu, "volver a inicio": cmdMenu,
	"ir al principio": cmdMenu, "volver al principio": cmdMenu, "al menu": cmdMenu, "ir a menu": cmdMenu,
	"necesito ayuda": cmdHelp, "ayudame": cmdHelp, "ayuda me": cmdHelp,
	"volve": cmdBack, "volver atras": cmdBack, "volve atras": cmdBack, "volver para atras": cmdBack,
	"ir atras": cmdBack, "paso anterior": cmdBack, "go back": cmdBack, "anterior": cmdBack, "previous": cmdBack,
	// "para atrás" at the surname got "Eso no parece un nombre" (a
	// contract probe).
	"para atras": cmdBack, "pa atras": cmdBack, "ir para atras": cmdBack, "la anterior": cmdBack,
	"pregunta anterior": cmdBack, "volve para atras": cmdBack,
}

// commandFiller are words said around a command ("quiero salir", "ya
// está, cancelar", "menú por favor") that do not change it.
var commandFiller = set("quiero", "por", "favor", "porfa", "ya", "esta", "mejor", "dale", "bueno",
	"ok", "entonces", "please", "pls", "i", "want", "to", "lo")

// commandOf recognizes a command typed on its own, or with words that
// only wrap it.
func commandOf(text string) string {
	f := fold(text)
	if strings.HasPrefix(text, "/") {
		f = "/" + f
	}
	if c := commandNamed(f); c != "" {
		return c
	}
	ws := foldedWords(text)
	if len(ws) < 2 || len(ws) > 6 || strings.IndexFunc(text, isDigit) >= 0 {
		return ""
	}
	kept := ws[:0:0]
	for _, w := range ws {
		if !commandFiller[w] {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 || len(kept) == len(ws) {
		return ""
	}
	return commandNamed(strings.Join(kept, " "))
}

func commandNamed(f string) string {
	if c, ok := commands[f]; ok {
		return c
	}
	return leaveWords[f]
}

// matchOption returns the index of the option the person chose, by its
// 1-based number ("2", "la segunda"), its label in any language, the start
// of its label or its label with a slip (see leading and near), "none of
// these" in its usual forms, or, for an option that is a date, the same
// date written another way ("22-8-2017" for 22/08/2017); -1 when none.
func (e *Engine) matchOption(text string, options []i18n.Message) int {
	return e.match(text, options, true)
}

// matchAnswer is matchOption for an identity question, without the start
// of a label or a slip: the options are the true answer among others'
// employers and benefits, some alike, and a person typing the answer
// that is not shown ("clinica", their employer) must not be taken to
// choose one that is (a wrong round counts against the CUIL).
func (e *Engine) matchAnswer(text string, options []i18n.Message) int {
	return e.match(text, options, false)
}

func (e *Engine) match(text string, options []i18n.Message, loose bool) int {
	f := fold(text)
	if n, ok := typedNumber(text, len(options)); ok {
		if n >= 1 && n <= len(options) {
			return n - 1
		}
		return -1
	}
	for i, o := range options {
		if e.labels.match(o, f) {
			return i
		}
	}
	if i := noneChosen(options, f); i >= 0 {
		return i
	}
	if i := coreMatch(options, f); i >= 0 {
		return i
	}
	if i := provinceMatch(options, f); i >= 0 {
		return i
	}
	if loose {
		if i := e.labels.leading(options, f); i >= 0 {
			return i
		}
		if i := e.labels.near(options, f); i >= 0 {
			return i
		}
	}
	if strings.IndexFunc(text, isDigit) < 0 {
		return -1
	}
	now := e.now()
	d, err := registry.ParseDate(text, now)
	if err != nil {
		// "el 10 de mayo del 2019", "fue el 10/5/19".
		if d, err = registry.ParseDate(trimLeadWords(f), now); err != nil {
			return -1
		}
	}
	for i, o := range options {
		if o.Key != "" {
			continue
		}
		if od, err := registry.ParseDate(o.Text, now); err == nil && od.Equal(d) {
			return i
		}
	}
	return -1
}

// leadWords are said before an answer: "en Córdoba", "la AUH", "fue el
// 10/5/19".
var leadWords = set("en", "la", "el", "los", "las", "fue", "es", "era", "de", "del")

// legalForms end company names and are left out when people say them
// ("Supermercados del Interior" for "… SA"), as folded words.
var legalForms = [][]string{{"sa"}, {"s", "a"}, {"srl"}, {"s", "r", "l"}, {"sas"}, {"s", "a", "s"},
	{"scs"}, {"sca"}, {"ltda"}, {"limitada"}, {"sociedad", "anonima"}}

// answerAliases are what benefits are called by, folded.
var answerAliases = map[string]string{
	"auh":  "asignacion universal por hijo",
	"puam": "pension universal para el adulto mayor",
}

// trimLeadWords drops the leadWords a folded answer begins with.
func trimLeadWords(f string) string {
	for {
		w, rest, ok := strings.Cut(f, " ")
		if !ok || !leadWords[w] {
			return f
		}
		f = rest
	}
}

// answerCore is a folded answer or option as people say it: without the
// words said before it, punctuation, or the company's legal form, which
// it returns apart (normalized: "s a" is "sa"); a benefit's abbreviation
// stands for its name.
func answerCore(f string) (core, form string) {
	ws := strings.FieldsFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for len(ws) > 1 && leadWords[ws[0]] {
		ws = ws[1:]
	}
	for _, lf := range legalForms {
		if len(ws) > len(lf) && slices.Equal(ws[len(ws)-len(lf):], lf) {
			ws, form = ws[:len(ws)-len(lf)], strings.Join(lf, "")
			break
		}
	}
	core = strings.Join(ws, " ")
	if a, ok := answerAliases[core]; ok {
		core = a
	}
	return core, form
}

// coreMatch returns the only option of the registry's (names, not the
// bot's messages) whose answerCore is the folded answer f's, with the same
// legal form when the answer says one; -1 when none or more than one is
// ("Textil Andina" for "Textil Andina SA" and "Textil Andina SRL"). It is
// a whole name all the same: the start of one, or a slip, chooses nothing
// at an identity question (see match), and "Textil Andina SRL", a
// person's own employer, never chooses another's "Textil Andina SA".
func coreMatch(options []i18n.Message, f string) int {
	if !slices.ContainsFunc(options, func(o i18n.Message) bool { return o.Key == "" }) {
		return -1 // the bot's own options (menus): nothing to read
	}
	c, form := answerCore(f)
	if c == "" {
		return -1
	}
	found := -1
	for i, o := range options {
		if o.Key != "" {
			continue
		}
		oc, oform := answerCore(fold(o.Text))
		if oc != c || form != "" && form != oform {
			continue
		}
		if found >= 0 {
			return -1
		}
		found = i
	}
	return found
}

// typedNumber is optionNumber of text as typed: fold drops punctuation
// at the edges, "1." and "1)" are 1, but a minus sign before the number
// makes it negative, no option's ("-1" was option 1).
func typedNumber(text string, n int) (int, bool) {
	i, ok := optionNumber(fold(text), n)
	if t := strings.TrimSpace(text); ok && strings.HasPrefix(t, "-") && strings.IndexFunc(t, isDigit) == 1 {
		return -i, true
	}
	return i, ok
}

// optionNumber reads an option's number as people type it: "2",
// "opción 2", "la 2", "la segunda", "el último" (of n options), "tres",
// "3️⃣" (a keycap: a probe of people's words), wanted or chosen ("quiero
// la opción 2" at the menu got "Eso no lo sé responder": a regression run).
func optionNumber(f string, n int) (int, bool) {
	f = keycaps.Replace(f)
	for _, p := range []string{"quiero ", "elijo ", "i want ", "i choose ", "la ", "el ", "opcion ", "option ",
		"numero ", "nro ", "n "} {
		f = strings.TrimPrefix(f, p)
	}
	f = strings.TrimPrefix(f, "opcion ")
	// "la segunda opción", "the second one" (found by a probe).
	for _, s := range []string{" opcion", " option", " respuesta", " one"} {
		f = strings.TrimSuffix(f, s)
	}
	if i, err := strconv.Atoi(f); err == nil {
		return i, true
	}
	if i, ok := ordinals[f]; ok {
		return i, true
	}
	if i, ok := numberWords[f]; ok {
		return i, true
	}
	if f == "ultima" || f == "ultimo" || f == "last" || f == "the last" {
		return n, true
	}
	return 0, false
}

// keycaps drops the marks of a keycap emoji ("3️⃣" is 3, U+FE0F, U+20E3)
// and reads "🔟".
var keycaps = strings.NewReplacer("\ufe0f", "", "\u20e3", "", "🔟", "10")

// numberWords are the numbers up to ten in words, folded.
var numberWords = map[string]int{
	"uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}

// ordinals are the ordinal words up to ten, folded, both genders.
var ordinals = map[string]int{
	"primera": 1, "primero": 1, "primer": 1, "segunda": 2, "segundo": 2, "tercera": 3, "tercero": 3, "tercer": 3,
	"cuarta": 4, "cuarto": 4, "quinta": 5, "quinto": 5, "sexta": 6, "sexto": 6, "septima": 7, "septimo": 7,
	"octava": 8, "octavo": 8, "novena": 9, "noveno": 9, "decima": 10, "decimo": 10,
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "the first": 1, "the second": 2,
	"the third": 3, "the fourth": 4, "the fifth": 5,
}

// optionLabels holds every catalog entry folded, in every language, so
// matching a typed answer against the options of a step renders nothing.
type optionLabels struct {
	catalog *i18n.Catalog
	folded  map[i18n.Key][]string
}

func foldLabels(c *i18n.Catalog) *optionLabels {
	l := &optionLabels{catalog: c, folded: map[i18n.Key][]string{}}
	for _, lang := range c.Langs() {
		p := c.Printer(lang)
		for _, k := range c.Keys(lang) {
			l.folded[k] = append(l.folded[k], fold(p.Sprint(i18n.M(k))))
		}
	}
	return l
}

// match reports whether folded text f is option o's label in a language.
func (l *optionLabels) match(o i18n.Message, f string) bool {
	if o.Key == "" {
		return fold(o.Text) == f
	}
	if len(o.Args) == 0 {
		return slices.Contains(l.folded[o.Key], f)
	}
	for _, lang := range l.catalog.Langs() {
		if fold(l.catalog.Printer(lang).Sprint(o)) == f {
			return true
		}
	}
	return false
}

// minLeading is the shortest start of a label taken for it: shorter ones
// ("si", "no", "me") are words of their own.
const minLeading = 4

// leading returns the only option whose label begins with the words f
// ("supermercados" for "Supermercados del Interior SA", "crear" for "Crear
// mi clave"); -1 when no option or more than one does ("cambiar" at the
// menu: the key or the contact data).
func (l *optionLabels) leading(options []i18n.Message, f string) int {
	if len(f) < minLeading {
		return -1
	}
	found := -1
	for i, o := range options {
		if !l.begins(o, f) {
			continue
		}
		if found >= 0 {
			return -1
		}
		found = i
	}
	return found
}

// noneChosen returns the "none of these" option when f says none in one
// of the usual ways ("ninguna", "ninguno de esos", "no es ninguna"); -1
// otherwise.
func noneChosen(options []i18n.Message, f string) int {
	if !noneSaid[f] {
		return -1
	}
	for i, o := range options {
		if isNoneOption(o) {
			return i
		}
	}
	return -1
}

// begins reports whether one of o's labels starts with the words f.
func (l *optionLabels) begins(o i18n.Message, f string) bool {
	for _, lb := range l.labelsOf(o) {
		if rest, ok := strings.CutPrefix(lb, f); ok && strings.HasPrefix(rest, " ") {
			return true
		}
	}
	return false
}

// labelsOf is o's label folded, in every language.
func (l *optionLabels) labelsOf(o i18n.Message) []string {
	switch {
	case o.Key == "":
		return []string{fold(o.Text)}
	case len(o.Args) == 0:
		return l.folded[o.Key]
	}
	var out []string
	for _, lang := range l.catalog.Langs() {
		out = append(out, fold(l.catalog.Printer(lang).Sprint(o)))
	}
	return out
}

// minNear is the shortest label a slip is forgiven in: "si" and "no" are
// one letter from other words.
const minNear = 5

// near returns the only option whose whole label f is a slip away from
// ("cordova" for "Córdoba", "estoy bloquedo"): one edit, two from seven
// letters; -1 when none or several are that near. Labels with digits (a
// date) are never near: a date one digit off is another date.
func (l *optionLabels) near(options []i18n.Message, f string) int {
	n := utf8.RuneCountInString(f)
	if n < minNear || strings.IndexFunc(f, isDigit) >= 0 {
		return -1
	}
	found := -1
	for i, o := range options {
		for _, lb := range l.labelsOf(o) {
			m := utf8.RuneCountInString(lb)
			limit := 1
			if m >= 7 {
				limit = 2
			}
			if m < minNear || strings.IndexFunc(lb, isDigit) >= 0 || max(m-n, n-m) > limit || registry.EditDistance(f, lb) > limit {
				continue
			}
			if found >= 0 && found != i {
				return -1
			}
			found = i
			break
		}
	}
	return found
}

// noneSaid are the ways of saying "none of these" to an identity
// question, folded.
var noneSaid = set("ninguna", "ninguno", "ningun", "ninguna de esas", "ninguno de esos",
	"ninguna de las anteriores", "ninguno de los anteriores", "ninguna de las opciones",
	"no es ninguna", "no es ninguno", "ninguna de estas", "ninguno de estos", "none", "none of them")

// isNoneOption reports whether o is an identity question's "none of these".
func isNoneOption(o i18n.Message) bool {
	return o.Key == "option.none_of_these" || strings.HasPrefix(string(o.Key), "question.none.")
}

var yesWords = set("si", "s", "dale", "ok", "okey", "okay", "bueno", "claro", "yes", "yeah", "sure",
	"obvio", "perfecto", "genial", "listo", "porfa",
	// The River Plate's yes (a data probe: "sip" dropped the offer).
	"sip", "sep", "sipi", "aja", "yep", "yup")
var noWords = set("no", "n", "nop", "nope", "nah", "tampoco")

// interjections open an answer without being it.
var interjections = set("mmm", "mm", "mmmm", "eh", "ehh", "ehm", "em", "emm", "ah", "hmm", "aja", "este")

// squeezeYesNo reads the yes and no people type long or doubled: "sii",
// "siii", "sisi", "noo", "nono".
func squeezeYesNo(w string) string {
	switch {
	case strings.Trim(w, "i") == "s" && len(w) > 1, w == "sisi" || w == "sisisi":
		return "si"
	case strings.Trim(w, "o") == "n" && len(w) > 1, w == "nono":
		return "no"
	}
	return w
}

// notKnowing follow a "no" that answers nothing: "no entiendo nada", "no
// sé" say the person is lost, not that they decline.
var notKnowing = set("entiendo", "entendi", "comprendo", "se", "sabia", "sabria", "cacho", "capto")

// yesOrNo reads a yes/no answer: 1 = yes, 0 = no, -1 = neither. Besides
// the options, a short answer opening with a yes ("sí, dale", "claro que
// sí", "de una") or a no ("no, gracias", "ahora no") is one.
func (e *Engine) yesOrNo(text string) int {
	if i := e.matchOption(text, yesNo()); i >= 0 {
		return 1 - i
	}
	if a := thumbs(text); a >= 0 {
		return a
	}
	ws := foldedWords(text)
	for len(ws) > 1 && interjections[ws[0]] {
		ws = ws[1:] // "mmm no", "eh, sí"
	}
	for i, w := range ws {
		ws[i] = squeezeYesNo(w) // "sii", "noo", "sisi"
	}
	if len(ws) == 0 || len(ws) > 5 {
		return -1
	}
	// "y" alone is a yes typed short (or in English); "y sí", "y bueno",
	// "y dale" are the River Plate's yes, "y no" its no; "y ahora qué
	// hago", "y cuánto tengo que esperar" open a question.
	if len(ws) == 1 && ws[0] == "y" {
		return 1
	}
	if ws[0] == "y" && len(ws) > 1 && (yesWords[ws[1]] || noWords[ws[1]]) {
		ws = ws[1:]
	}
	for i := 1; i < len(ws); i++ {
		if notKnowing[ws[i]] && noWords[ws[i-1]] {
			return -1
		}
	}
	no := slices.ContainsFunc(ws, func(w string) bool { return noWords[w] })
	switch {
	case refusal(ws):
		return 0
	case no && (noWords[ws[0]] || len(ws) == 2 && ws[0] == "ahora" || ws[0] == "mejor"):
		return 0
	case !no && (yesWords[ws[0]] || len(ws) >= 2 && ws[0] == "de" && ws[1] == "una"):
		return 1
	}
	return -1
}

// thumbs reads a message of only the emoji people tap for a yes (a thumb
// up of any skin tone, an OK hand, a tick) as 1, of only thumbs down as 0,
// anything else as -1: "👍" to «¿Querés recuperarla?» dropped the offer
// (a data probe).
func thumbs(text string) int {
	yes, no := 0, 0
	for _, r := range text {
		switch {
		case r == '👍' || r == '👌' || r == '✅' || r == '✔':
			yes++
		case r == '👎':
			no++
		case unicode.IsSpace(r) || r == '\uFE0F' || r >= '\U0001F3FB' && r <= '\U0001F3FF':
			// Spaces, the emoji presentation selector, skin tones.
		default:
			return -1
		}
	}
	switch {
	case yes > 0 && no == 0:
		return 1
	case no > 0 && yes == 0:
		return 0
	}
	return -1
}

// refusal reports whether folded words open with a River Plate no that
// holds no "no": "ni ahí", "ni loco", "ni en pedo", "para nada" (a
// regression probe: "ni ahí" dropped the offer with "Eso no lo sé
// responder").
func refusal(ws []string) bool {
	if len(ws) < 2 {
		return false
	}
	switch ws[0] {
	case "ni":
		return ws[1] == "ahi" || ws[1] == "loco" || ws[1] == "loca" || ws[1] == "en" || ws[1] == "hablar" || ws[1] == "palos"
	case "para":
		return ws[1] == "nada"
	}
	return false
}

// hasLetters reports whether text has any letter: a CUIL, DNI or option
// number never does, so such text is likely a question.
func hasLetters(text string) bool {
	return strings.IndexFunc(text, unicode.IsLetter) >= 0
}

// provinceMatch returns the province among the options (a province
// question's: every option of the registry's is one) that f names the
// way people write it: "cba", "bs as", "caba", "capital federal", "sgo
// del estero", "tdf", "Córdoba capital" (a probe of people's words: not
// understood); -1 otherwise.
func provinceMatch(options []i18n.Message, f string) int {
	names := map[string]int{}
	for i, o := range options {
		if o.Key != "" {
			continue
		}
		name := fold(o.Text)
		if !provinces()[name] {
			return -1
		}
		names[name] = i
	}
	if len(names) == 0 {
		return -1
	}
	said := strings.Join(strings.FieldsFunc(f, func(r rune) bool { return !unicode.IsLetter(r) }), " ")
	for _, s := range []string{said, trimLeadWords(said)} {
		if s == "" {
			continue
		}
		if p, ok := provinceAliases[s]; ok {
			s = p
		} else if city, ok := strings.CutSuffix(s, " capital"); ok && provinces()[provinceName(city)] {
			// "Córdoba capital": the province's capital city.
			s = provinceName(city)
		} else {
			s = provinceName(s)
		}
		if i, ok := names[s]; ok {
			return i
		}
	}
	return -1
}

// provinceName is the province f names, folded, by its alias or its own
// name, with "provincia de" before it or not.
func provinceName(f string) string {
	for _, p := range []string{"provincia de ", "pcia de ", "prov de ", "pcia ", "prov "} {
		f = strings.TrimPrefix(f, p)
	}
	if p, ok := provinceAliases[f]; ok {
		return p
	}
	return f
}

// provinces are registry.Provinces, folded.
var provinces = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, len(registry.Provinces))
	for _, p := range registry.Provinces {
		m[fold(p)] = true
	}
	return m
})

// provinceAliases are the usual abbreviations and other names of the
// provinces, folded, words only ("Bs. As." is "bs as").
var provinceAliases = map[string]string{
	"cba": "cordoba", "cdba": "cordoba", "cordoba capital": "cordoba",
	"bs as": "buenos aires", "bsas": "buenos aires", "bs aires": "buenos aires", "pba": "buenos aires",
	"buenos aires provincia": "buenos aires", "gba": "buenos aires",
	"caba": "ciudad autonoma de buenos aires", "capital federal": "ciudad autonoma de buenos aires",
	"cap fed": "ciudad autonoma de buenos aires", "capital": "ciudad autonoma de buenos aires",
	"ciudad de buenos aires": "ciudad autonoma de buenos aires", "ciudad autonoma": "ciudad autonoma de buenos aires",
	"ciudad de bs as": "ciudad autonoma de buenos aires", "buenos aires capital": "ciudad autonoma de buenos aires",
	"bs as capital": "ciudad autonoma de buenos aires", "cdad de bs as": "ciudad autonoma de buenos aires",
	"sgo del estero": "santiago del estero", "stgo del estero": "santiago del estero", "santiago": "santiago del estero",
	"sgo": "santiago del estero",
	"tdf": "tierra del fuego", "tierra del fuego antartida e islas del atlantico sur": "tierra del fuego",
	"mza": "mendoza", "tucu": "tucuman", "tuc": "tucuman", "sta fe": "santa fe", "stafe": "santa fe",
	"ctes": "corrientes", "nqn": "neuquen", "sta cruz": "santa cruz", "e rios": "entre rios",
}
