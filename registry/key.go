package registry

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/clavebot/clavebot/internal/errs"
)

// KeyRule names a rule of the key policy, so a reply can say which one a
// weak key breaks.
type KeyRule string

// The key rules of CONTRACT §5.
const (
	RuleLength    KeyRule = "length"     // 8 to 15 characters
	RuleLetter    KeyRule = "letter"     // at least one letter
	RuleDigit     KeyRule = "digit"      // at least one digit
	RuleSpace     KeyRule = "space"      // a space: a key is one word
	RuleInvisible KeyRule = "invisible"  // an invisible or control character
	RuleDNI       KeyRule = "dni"        // contains the DNI
	RuleCUIL      KeyRule = "cuil"       // contains the CUIL
	RuleBirthDate KeyRule = "birth_date" // contains the birth date in a usual format
	RuleName      KeyRule = "name"       // contains a first or last name of 3+ letters
	RuleCommon    KeyRule = "common"     // a common password
	RuleCurrent   KeyRule = "current"    // the same as the current key
)

// KeyRuleError says which rule a proposed key breaks. It is errs.Invalid.
type KeyRuleError struct{ Rule KeyRule }

func (e *KeyRuleError) Error() string { return fmt.Sprintf("key breaks rule %q", e.Rule) }

// CheckKey checks key against the policy and c's personal data. It does not
// check RuleCurrent, which needs the stored hash: see Service.CheckNewKey.
// It returns a *KeyRuleError (wrapped as errs.Invalid) naming the first rule
// broken, in the order the constants are declared. A zero KeyMaxLen means
// no upper bound.
func (p Policy) CheckKey(key string, c *Citizen) error {
	if rule, broken := p.firstBrokenRule(key, c); broken {
		return errs.E(errs.Invalid, "check key", &KeyRuleError{Rule: rule})
	}
	return nil
}

func (p Policy) firstBrokenRule(key string, c *Citizen) (KeyRule, bool) {
	key = keyForm(key)
	n := utf8.RuneCountInString(key)
	// What the key shows is read in its compatibility form: the DNI typed
	// with a CJK keyboard's fullwidth digits ("３１４５６７８９") or a
	// "fancy text" site's (𝟑𝟏𝟒…), a name in fullwidth letters, were taken,
	// the rules reading ASCII only (an attack probe). The key itself,
	// its length and its classes, stay as typed (keyForm).
	folded := fold(norm.NFKC.String(key))
	bare := stripSeparators(folded)
	checks := []struct {
		rule   KeyRule
		broken bool
	}{
		{RuleLength, n < p.KeyMinLen || (p.KeyMaxLen > 0 && n > p.KeyMaxLen)},
		{RuleLetter, !strings.ContainsFunc(key, unicode.IsLetter)},
		{RuleDigit, !strings.ContainsFunc(key, isDigit)},
		// A key of several words ("gato azul 2025") cannot be told from
		// the words around it when the person writes it again to an
		// agent or at another step: only a key-shaped word is masked
		// (dialog/mask.go), so it reached the desk and its records in
		// clear (found by an attack probe). ANSES asks for "letras y
		// números".
		{RuleSpace, strings.ContainsFunc(key, unicode.IsSpace)},
		// A zero-width space, a word joiner, a byte-order mark or a soft
		// hyphen, pasted with a key from a web page or a note, cannot be
		// seen, nor typed again at the portal: the key stored was not the
		// one the person knows. And one between words made a key of
		// several ("Gato<ZWSP>azul<ZWSP>2025"), which the space rule is
		// there to refuse (an attack probe).
		{RuleInvisible, strings.ContainsFunc(key, invisible)},
		{RuleDNI, containsAny(bare, dniForms(c.DNI))},
		{RuleCUIL, containsAny(bare, cuilForms(c.CUIL))},
		{RuleBirthDate, containsAny(bare, birthDateForms(c))},
		{RuleName, containsAny(folded, nameTokens(c))},
		{RuleCommon, isCommonKey(folded)},
	}
	for _, ch := range checks {
		if ch.broken {
			return ch.rule, true
		}
	}
	return "", false
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// invisible: a control character or a format character (Unicode's Cf:
// zero-width spaces and joiners, marks of direction, the soft hyphen).
func invisible(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }

// stripSeparators drops the characters people put between digit groups
// (31.456.789, 20-31456789-4, 14/03/1985), so those forms are caught too.
func stripSeparators(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(".-/_ ", r) {
			return -1
		}
		return r
	}, s)
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if sub != "" && strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// dniForms is the DNI's digits, with and without leading zeros.
func dniForms(dni string) []string {
	d := canonicalDigits(dni)
	if len(d) < 6 {
		return nil // a record without a usable DNI: nothing to look for
	}
	return []string{d}
}

// cuilForms is the CUIL's 11 digits and its 8 middle ones (the DNI, or the
// number ANSES assigned).
func cuilForms(c CUIL) []string {
	if len(c) != 11 {
		return nil
	}
	return []string{string(c), string(c[2:10])}
}

// nameTokens lists the words of 3 or more letters of the person's names,
// folded. Particles of 3 letters (del, los, las) are not names.
func nameTokens(c *Citizen) []string {
	var out []string
	for _, names := range []string{c.FirstNames, c.LastNames, c.SocialName} {
		words := strings.FieldsFunc(fold(names), func(r rune) bool { return !unicode.IsLetter(r) })
		for _, w := range words {
			if utf8.RuneCountInString(w) >= 3 && !nameParticles[w] {
				out = append(out, w)
			}
		}
	}
	return out
}

var nameParticles = map[string]bool{"del": true, "los": true, "las": true, "van": true, "von": true, "der": true, "dos": true, "das": true}
