package registry

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// QuestionKind is what an identity question asks about.
type QuestionKind string

// Identity question kinds (CONVERSATION.md step 3).
const (
	QuestionIssueDate QuestionKind = "dni_issue_date"
	QuestionProvince  QuestionKind = "birth_province"
	QuestionEmployer  QuestionKind = "employer"
	QuestionBenefit   QuestionKind = "benefit"
)

// questionKinds is every kind, in a fixed order that each CUIL shuffles.
var questionKinds = []QuestionKind{QuestionIssueDate, QuestionProvince, QuestionEmployer, QuestionBenefit}

// Option is one choice of a question. None marks the "none of these" choice,
// whose label the edge translates.
type Option struct {
	Text string `json:"t,omitempty"`
	None bool   `json:"n,omitempty"`
}

// Question is a multiple-choice identity question: four named options and
// "none of these", last. Answer indexes Options; "none" is right as often
// as each named option.
type Question struct {
	Kind    QuestionKind `json:"k"`
	Options []Option     `json:"o"`
	Answer  int          `json:"a"` // index into Options
}

// QuestionSet is a CUIL's identity questions as stored: drawn once and
// shown at every attempt, so that comparing attempts tells nothing (a
// truth that stays while wrong options change would give itself away). A
// question is drawn again only when the record no longer makes it right
// (see Question.RightFor).
type QuestionSet struct {
	Version   int        `json:"-"` // the store's, bumped at each save
	Questions []Question `json:"q"` // in the order they are asked
	// Declined are the kinds decided against (see distractors.go), each
	// with the fingerprint of the record's answers then: the decision is
	// made again only when those answers change, never by asking again.
	Declined map[QuestionKind]string `json:"d,omitempty"`
	// Retired are the options (NormalizeName) of questions drawn again:
	// none is shown again for that kind, or two lists side by side would
	// tell the truth by what they share.
	Retired map[QuestionKind][]string `json:"r,omitempty"`
}

// RightFor reports whether q is still right for c: its answer is one of
// c's own values, or "none" when no option is, and no other option is
// one of c's.
func (q Question) RightFor(c *Citizen) bool {
	own := map[string]bool{}
	for _, v := range ownValues(c, q.Kind) {
		own[v.key] = true
	}
	if q.Answer < 0 || q.Answer >= len(q.Options) {
		return false
	}
	for i, o := range q.Options {
		if o.None {
			continue
		}
		if own[valueKey(o.Text)] != (i == q.Answer) {
			return false
		}
	}
	return true
}

// ownValues are c's answers to a kind of question, as stored, without
// blanks or repeats (after NormalizeName): one date or province, any
// number of employers or benefits, or none.
func ownValues(c *Citizen, k QuestionKind) []value {
	switch k {
	case QuestionIssueDate:
		if c.DNIIssueDate.IsZero() {
			return []value{}
		}
		d := FormatDate(c.DNIIssueDate)
		return []value{{d, d}} // digits and slashes: their own key
	case QuestionProvince:
		if key, ok := provinceKeys[c.BirthProvince]; ok {
			return []value{{c.BirthProvince, key}}
		}
		return uniqueValues(1, func(int) string { return c.BirthProvince })
	case QuestionEmployer:
		return uniqueValues(len(c.Employers), func(i int) string { return c.Employers[i].Name })
	case QuestionBenefit:
		return uniqueValues(len(c.Benefits), func(i int) string { return c.Benefits[i].Name })
	}
	return []value{}
}

// provinceKeys are the keys of the provinces as an import stores them,
// computed once: donors lend them by the thousand.
var provinceKeys = func() map[string]string {
	m := make(map[string]string, len(Provinces))
	for _, p := range Provinces {
		m[p] = NormalizeName(p)
	}
	return m
}()

// fingerprint identifies c's answers to kind k, to tell when they change.
func fingerprint(c *Citizen, k QuestionKind) string {
	keys := make([]string, 0, 4)
	for _, v := range ownValues(c, k) {
		keys = append(keys, v.key)
	}
	slices.Sort(keys)
	sum := sha256.Sum256([]byte(string(k) + "\x00" + strings.Join(keys, "\x00")))
	return hex.EncodeToString(sum[:8])
}

// value is an option's text, trimmed, and its key, NormalizeName of the
// text.
type value struct{ text, key string }

// uniqueValues returns the n names name(i) gives, in order, without
// blanks or repeats (after NormalizeName). It takes the names one by one,
// not as a slice, as donors lend theirs by the thousand.
// valueKey is the key of an employer's or a benefit's name: NormalizeName,
// with the names one benefit goes by made one ("Progresar" and "Becas
// Progresar"). Two names of one benefit are one value: shown as a wrong
// option beside (or instead of) the person's own, the other name was a
// trap for exactly the people who hold it.
func valueKey(s string) string {
	k := NormalizeName(s)
	if a, ok := valueAliases[k]; ok {
		return a
	}
	return k
}

// valueAliases maps the normalized other names of a benefit to its key.
var valueAliases = func() map[string]string {
	m := map[string]string{}
	for name, others := range map[string][]string{
		// The key is the name records hold most, so that a holder's
		// key (and the questions drawn with it) stays what it was.
		"Becas Progresar":                        {"Progresar", "Beca Progresar", "Programa Progresar", "Plan Progresar"},
		"Asignación Universal por Hijo":          {"AUH", "Asignación Universal por Hijo para Protección Social"},
		"Pensión Universal para el Adulto Mayor": {"PUAM"},
		"Potenciar Trabajo":                      {"Programa Potenciar Trabajo"},
	} {
		for _, o := range others {
			m[NormalizeName(o)] = NormalizeName(name)
		}
	}
	return m
}()

func uniqueValues(n int, name func(i int) string) []value {
	out := make([]value, 0, n)
	for i := range n {
		s := name(i)
		k := valueKey(s)
		if k == "" || slices.ContainsFunc(out, func(v value) bool { return v.key == k }) {
			continue
		}
		out = append(out, value{strings.TrimSpace(s), k})
	}
	return out
}
