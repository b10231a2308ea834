package dialog

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/clavebot/clavebot/internal/pii"
	"github.com/clavebot/clavebot/internal/textsafe"
	"github.com/clavebot/clavebot/registry"
)

// maskData masks, in a person's message, every CUIL (20-****6789-4),
// DNI (**.***.904), date (**/**/****) and other long number (the last
// four digits shown), so the help desk's transcript does not hold the
// personal data of someone who has not validated.
//
// A word shaped like a key (see keyShaped) is hidden whole: a person may
// type their key where it is not asked for (at the menu, an offer, after
// the key step ran out, to an agent), and it must not reach the desk.
//
// Control characters and bidi controls are dropped first (see cleanShown).
func maskData(text string, now time.Time) string {
	return maskDataFrom(text, now, defaultKeyLens)
}

// maskDataFrom is maskData hiding the words shaped like keys of lens
// (see turn.keyLens).
func maskDataFrom(text string, now time.Time, lens keyLens) string {
	// Numbers said in words are masked as the steps read them (spoken.go):
	// a birth date or a DNI dictated to a phone's voice typing validates
	// like one typed, and reached the desk in clear, where the masks look
	// for digits (an attack probe). What is no number stays as written.
	text = spokenNumbers(pii.Plain(cleanShown(text)))
	if strings.IndexFunc(text, isDigit) < 0 {
		return text
	}
	if m, ok := maskDigitsAlone(text, now); ok {
		return m
	}
	text = maskPhones(maskKeys(text, lens))
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
		return pii.HideData(maskLoose(text))
	}
	b.WriteString(text[last:])
	return pii.HideData(maskLoose(b.String()))
}

// maskDigitsAlone masks a message of digits alone, in groups of any
// length between spaces, dots, commas, slashes or dashes, as the step that
// asks a datum reads it: a CUIL's eleven digits however grouped
// (registry.ParseCUIL takes "2 0 3 1 4 5 6 7 8 9 8", "203 1456 7898"), a
// DNI's seven or eight (ParseDNI takes "3145 6789"). The groups the masks
// below read are those a CUIL or a DNI is usually written in; these
// others reached the desk's transcript in clear (a masks probe:
// TestDataInGroupsTheStepTakesAreMasked). A date alone, read as one by
// the masks below, is left to them; a phone's number too.
func maskDigitsAlone(text string, now time.Time) (string, bool) {
	var digits strings.Builder
	groups := 0
	in := false
	for _, r := range strings.TrimSpace(text) {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
			if !in {
				groups++
			}
			in = true
		case unicode.IsSpace(r) || strings.ContainsRune(".,/", r) || registry.IsDash(r):
			in = false
		default:
			return "", false
		}
	}
	d := digits.String()
	if _, err := registry.ParseCompactDate(strings.TrimSpace(text), now); err == nil && groups > 1 {
		// "14 03 85": a date in groups with spaces, which the birth
		// date's step takes, and the masks below do not read as one.
		return "**/**/****", true
	}
	if groups < 2 || !slices.Contains([]int{7, 8, 11}, len(d)) || usualGroups(text, now) {
		return "", false
	}
	if len(d) == 11 {
		if _, err := registry.ParseCUIL(d); err == nil && cuilPrefix(d) {
			return pii.MaskCUIL(d), true
		}
		return strings.Repeat("*", 7) + d[7:], true // a número de trámite
	}
	return maskDNI(d), true
}

// usualGroups reports whether text is digits in a shape the masks below
// read (a date, a phone, a CUIL or DNI as usually grouped): their mask,
// which keeps its shape, is the one shown.
func usualGroups(text string, now time.Time) bool {
	if _, err := registry.ParseDate(text, now); err == nil {
		return true
	}
	if _, err := registry.ParseCompactDate(text, now); err == nil {
		return true
	}
	if _, err := registry.ParsePhone(strings.TrimSpace(text)); err == nil {
		return true
	}
	return false
}

// phoneRun is a run of what phone numbers are written with, as FindPhone
// reads them: "0351 15 555 1234", "+54 9 (351) 555-1234".
var phoneRun = regexp.MustCompile(`[0-9+(][0-9+\-(). ]*[0-9]`)

// maskPhones shows every phone number in text as the bot shows one to its
// owner (+54 9 351 ***-1234): typed in groups, a number the bot takes as
// the person's phone escaped the masks of long numbers, "0351 15 555
// 1234" whole and "+54 9 351 555 1234" but for a digit (an attack probe).
// A CUIL in groups is left to maskNumber.
func maskPhones(text string) string {
	return phoneRun.ReplaceAllStringFunc(text, func(run string) string {
		if d := digitsOf(run); len(d) == 11 && cuilPrefix(d) {
			if _, err := registry.ParseCUIL(d); err == nil {
				return run
			}
		}
		if m := cuilNoCheck.FindStringSubmatch(strings.TrimSpace(run)); m != nil && cuilPrefix(m[1]) {
			// A CUIL without its check digit: read as a phone's number
			// it showed "+54 9 2031 **-6789", six of the DNI's digits
			// (an attack probe). Shown as a CUIL is, with four; a phone
			// these ten digits also make (an area code of 2 or 3 and
			// four digits, run together) shows no more so.
			return m[1] + "-****" + m[2][4:]
		}
		p, err := registry.ParsePhone(strings.TrimSpace(run))
		if err != nil {
			return run
		}
		return registry.MaskPhone(p)
	})
}

// cuilNoCheck is a CUIL's prefix and DNI without its check digit.
var cuilNoCheck = regexp.MustCompile(`^(\d{2})[ .\-]*(\d{8})$`)

// Months by name, in the shipped languages, whole or abbreviated.
const monthNames = `(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|` +
	`january|february|march|april|may|june|july|august|september|october|november|december|` +
	`ene|feb|mar|abr|may|jun|jul|ago|sep|sept|set|oct|nov|dic|jan|apr|aug|dec)\b\.?`

var (
	// A DNI in groups the tokenizer does not join: 24,567,890, 24 567.890.
	looseDNI = regexp.MustCompile(`\b(\d{1,2})[ .,\-]{1,2}(\d{3})[ .,\-]{1,2}(\d{3})\b`)
	// A date with spaces around its separators, or spaces for them:
	// 21 / 07 / 1990, 21 07 1990.
	looseDate = regexp.MustCompile(`\b(?:[0-3]?\d)\s*[/.\-]\s*(?:[01]?\d)\s*[/.\-]\s*(?:\d{4}|\d{2})\b|\b(?:[0-3]?\d) (?:[01]?\d) (?:19|20)\d{2}\b`)
	// A date with the month by name, in any order, with or without the
	// year: 21 de julio, julio 21 de 1990, 21 de julio, año 1990, 14 de
	// marzo '85 (its year was left in clear: an attack probe).
	namedDate = regexp.MustCompile(`(?i)(?:\b[0-3]?\d(?:º|°|st|nd|rd|th)?\s+(?:(?:de|of)\s+)?)?\b` + monthNames +
		`(?:\s+[0-3]?\d(?:st|nd|rd|th)?\b)?(?:\s*(?:,|de|del)?\s*(?:(?:año|year)\s+)?(?:(?:19|20)\d{2}|['’´]\d{2})\b)?`)
)

// maskLoose masks the DNIs and dates maskData's tokens do not catch.
func maskLoose(text string) string {
	if digitThenSeparator(text) {
		text = looseDNI.ReplaceAllStringFunc(text, func(m string) string {
			return maskDNI(digitsOf(m))
		})
	}
	if digitThenSeparator(text) {
		text = looseDate.ReplaceAllString(text, "**/**/****")
	}
	if !pii.MayNameMonth(text) {
		return text
	}
	return namedDate.ReplaceAllStringFunc(text, func(m string) string {
		if strings.IndexFunc(m, isDigit) < 0 {
			return m // a month alone ("en julio") says no date
		}
		return "**/**/****"
	})
}

// looseSeparators are what looseDNI and looseDate read right after a
// digit: their separators and the spaces of \s.
const looseSeparators = " \t\n\f\r.,-/"

// digitThenSeparator reports whether looseDNI and looseDate may match in
// text: each reads a digit followed by one of looseSeparators. Most
// messages with digits the tokens masked have none left so ("**/**/****",
// "**.***.789"), and the two regexps scanned them whole each turn (issue
// 14).
func digitThenSeparator(text string) bool {
	for i := 0; i+1 < len(text); i++ {
		if '0' <= text[i] && text[i] <= '9' && strings.IndexByte(looseSeparators, text[i+1]) >= 0 {
			return true
		}
	}
	return false
}

func maskNumber(s string, kind tokKind, now time.Time) (string, bool) {
	if kind == tokDate || strings.ContainsAny(s, "/.-") {
		if _, err := registry.ParseDate(s, now); err == nil {
			return "**/**/****", true
		}
	}
	digits := digitsOf(s)
	if (len(digits) == 6 || len(digits) == 8) && digits == s {
		// "140385", "14031985": the birth date's step takes them
		// (registry.ParseCompactDate). Left whole, or masked as a DNI
		// with the year's last three digits shown, they reached the
		// desk (a masks probe: TestBirthDateTypedCompactIsMasked).
		if _, err := registry.ParseCompactDate(digits, now); err == nil {
			return "**/**/****", true
		}
	}
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

// hiddenKey stands for a key-shaped word in a transcript.
const hiddenKey = "********"

// maskKeys hides every key-shaped word of text.
//
// Words are split at every Unicode space, as the key policy reads one
// (registry.RuleSpace: no key holds one): split at ASCII spaces only, a
// sentence typed with a phone's no-break spaces or a CJK keyboard's
// ideographic ones was one word, longer than a key, and its key reached
// the desk in clear (an attack probe).
func maskKeys(text string, lens keyLens) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		j := i
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += n
		}
		if m := maskWord(text[i:j], lens); m != text[i:j] {
			b.WriteString(text[last:i])
			b.WriteString(m)
			last = j
		}
		i = j
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// maskWord hides w when it is shaped like a key, and in a word too long
// for one, each part of it that is: a key glued to its label and the
// next datum ("clave:Mate2025amargo,cuil:…", people skip the space after
// punctuation) made one word longer than a key, let through whole (an
// attack probe). The parts are split first where a sentence is
// (strongSeparators), then, for a part still too long, at whatever is no
// letter or digit ("mi-clave-es-Mate2025amargo-y-no-…"): a key that holds
// such a character may then show a part without digits, but its digits
// stay hidden. A web or e-mail address is left to its own mask.
func maskWord(w string, lens keyLens) string {
	if keyShapedFrom(w, lens) {
		return hiddenKey
	}
	if utf8.RuneCountInString(w) <= lens.max || isAddress(w) {
		return w
	}
	return maskParts(w, func(r rune) bool { return strings.ContainsRune(strongSeparators, r) }, func(part string) string {
		if keyShapedFrom(part, lens) {
			return hiddenKey
		}
		if utf8.RuneCountInString(part) <= lens.max || isAddress(part) {
			return part
		}
		return maskParts(part, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }, func(p string) string {
			if keyShapedFrom(p, lens) {
				return hiddenKey
			}
			return p
		})
	})
}

// strongSeparators end a part of a long word: what a sentence puts between
// its words and its labels.
const strongSeparators = ",;:=()[]{}<>!?¡¿\"'|"

// maskParts rewrites each part of w between runes where sep holds with
// mask, keeping the separators.
func maskParts(w string, sep func(rune) bool, mask func(string) string) string {
	var b strings.Builder
	start := 0
	for i, r := range w {
		if sep(r) {
			b.WriteString(mask(w[start:i]))
			b.WriteRune(r)
			start = i + utf8.RuneLen(r)
		}
	}
	b.WriteString(mask(w[start:]))
	return b.String()
}

// keyWords name a key, folded.
var keyWords = set("clave", "contrasena", "password")

// keyInText reports whether text says a key: a word shaped like one said
// to be the key ("mi clave actual es Mate2025amargo", "clave: …"). Any
// key-shaped word in a message naming a key was too much: "olvidé mi
// clave, CUIL:27352189044", "con mi clave desde el iPhone13" were taken
// for keys, and the messages deleted (a regression probe).
func keyInText(text string) bool {
	fields := strings.Fields(text)
	for i, f := range fields {
		ws := foldedWords(f)
		if len(ws) != 1 || !keyWords[ws[0]] {
			continue
		}
		said := strings.HasSuffix(f, ":")
		for _, g := range fields[i+1:] {
			if said && keyShaped(strings.TrimRight(g, ",.;:!?")) {
				return true
			}
			w := foldedWords(g)
			if len(w) != 1 || !keyTextLabels[w[0]] {
				break
			}
			said = saysIs(g)
		}
	}
	return false
}

// keyTextLabels may come between a key's name and the word that says what
// it is ("mi clave actual es …"), folded.
var keyTextLabels = set("actual", "vieja", "anterior", "nueva", "de", "anses", "mi", "es", "era", "seria", "fue",
	"siempre", "que", "puse", "tengo", "is", "was", "current", "old")

// keyShaped reports whether a word could be a key: 8 to 32 characters
// (the policy's lengths and more), with a letter and a digit, as every key
// must have. E-mail addresses (masked apart) and web addresses are not,
// when they end in a real domain: "www.Racing1967" and "Boca@Juniors.12"
// are keys the policy takes, and were shown to the desk (an attacker's
// probe).
func keyShaped(w string) bool { return keyShapedFrom(w, defaultKeyLens) }

// keyLens are the fewest and most characters of a word taken for a key.
type keyLens struct{ min, max int }

// defaultKeyLens are keyShaped's: the default policy's shortest key, and
// twice its longest and more.
var defaultKeyLens = keyLens{min: 8, max: 32}

// keyShapedFrom is keyShaped for keys of lens.
func keyShapedFrom(w string, lens keyLens) bool {
	n := utf8.RuneCountInString(w)
	if n < lens.min || n > lens.max || !strings.ContainsFunc(w, unicode.IsLetter) || !strings.ContainsFunc(w, isDigit) {
		return false
	}
	return !isAddress(w)
}

// isAddress reports whether w is a web address or an e-mail address that
// ends in a real domain (an e-mail address is masked apart, by
// registry.MaskEmails).
func isAddress(w string) bool {
	lower := strings.ToLower(w)
	if i := strings.Index(lower, "://"); i >= 0 {
		return hasDomain(lower[i+3:])
	}
	if strings.HasPrefix(lower, "www.") {
		return hasDomain(lower)
	}
	at := strings.IndexByte(w, '@')
	return at > 0 && !strings.ContainsAny(w[at:], "!#$%&*") && hasDomain(lower[at+1:])
}

// hasDomain reports whether an address's host part (what follows the "@"
// or the scheme, up to a path) ends in a top-level domain: two or more
// letters after its last dot.
func hasDomain(host string) bool {
	if i := strings.IndexAny(host, "/?#:"); i >= 0 {
		host = host[:i]
	}
	host = strings.TrimRight(host, ".")
	dot := strings.LastIndexByte(host, '.')
	if dot <= 0 {
		return false
	}
	tld := host[dot+1:]
	return len(tld) >= 2 && !strings.ContainsFunc(tld, func(r rune) bool { return !unicode.IsLetter(r) })
}

// cleanShown drops from a person's text what would make an agent see
// something else than was written: NUL and the other C0 and C1 controls
// (an escape sequence, a carriage return over a line), DEL, and the
// Unicode bidi embeddings, overrides, isolates and marks that reorder
// text ("\u202egnp.exe" shows as "exe.png"). Line breaks stay (a CR LF or
// a lone CR is one); a tab, and any other control that is a space, is a
// space.
func cleanShown(text string) string {
	if !strings.ContainsFunc(text, textsafe.Misleads) {
		return text
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\t', unicode.IsSpace(r) && textsafe.Misleads(r):
			// A control that is a space (a vertical tab, a form feed,
			// NEL) still parts the words around it: dropped, it glued a
			// key to them, past what the key mask reads as one.
			return ' '
		case textsafe.Misleads(r):
			return -1
		}
		return r
	}, text)
}

// maskedDatum is a datum as the masks show it: a CUIL (20-****6789-8),
// a DNI (**.***.789, *.***.789), a número de trámite (*******5678).
var maskedDatum = regexp.MustCompile(`\d{2}-\*{4}\d{4}-\d|\*{1,2}\.\*{3}\.\d{3}|\*{7}\d{4}`)

// maskDatumWorth hides every digit the masks left in clear in masked, a
// message given at a data step or the CUIL's and masked. The masks look
// for the separators and lengths the steps read; typed otherwise
// ("14_03_1985", "31·456·789", "14/03 de 1985", a CUIL without its check
// digit, masked as a phone's number with six of the DNI's digits shown),
// the step asks again, but it is the person's datum all the same, and it
// reached the desk in clear (an attack probe). So does a part of it: a
// datum sent in two messages ("31456", then "789"; "14/03", then "1985")
// left fewer digits than a datum in each, kept while a datum's worth
// was hidden, and the transcript read it whole a line after the other (an
// attack probe). What the masks show of a datum is kept.
func maskDatumWorth(masked string) string {
	if strings.IndexFunc(masked, isDigit) < 0 {
		return masked
	}
	kept := maskedDatum.FindAllStringIndex(masked, -1)
	b := []byte(masked)
	for i, c := range b {
		if isDigit(rune(c)) && !slices.ContainsFunc(kept, func(k []int) bool { return k[0] <= i && i < k[1] }) {
			b[i] = '*'
		}
	}
	return string(b)
}
