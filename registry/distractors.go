package registry

import (
	"math/rand/v2"
	"time"
)

// How the options of an identity question are made, against an attacker
// who has read this code, knows the person's CUIL, names, sex and birth
// date, and has harvested many people's option lists.
//
// The wrong options are other people's answers: sixty "donors"
// of the person's sex born as near the person as the registry allows (the
// same day, at country scale), drawn uniformly (FindDonors). The person and
// the donors form a small sample of the person's cohort in which, to the
// attacker, the person is any one of them: the chance that the true answer
// is v is the share q(v) of the sample holding v. A person who lacks the
// kind (no employer, no benefit) counts with the value "nothing", which is
// never shown and makes "none of these" right.
//
// A set of five values is drawn around the truth by conditional Poisson
// sampling (cps.go) with each value's inclusion probability 5·q(v): then,
// given the five, each is the truth with probability 1/5, whatever the
// attacker knows of the sample. One of the five is hidden: "nothing" when
// it is among them, else any one of the five at random. The four left are
// shown with "none of these", which is right exactly when the truth was
// hidden: each of the five options is right with probability 1/5.
//
// No option can be right more often than its value is the truth, so no
// value may be the truth of more than a fifth of a cohort: "Buenos Aires"
// is the birthplace of 38 % of Argentines, "Jubilación ordinaria" the
// benefit of most people over 65, and "nothing" the employer of a third of
// the young. Such a value is thinned: the kind is asked of a person whose
// truth is v with probability min(1, c/q(v)), c chosen so that no value is
// more than a fifth of the truths of those asked. A kind not asked is
// declined for the person, who is asked another kind instead, or fewer
// questions (Service.Questions).
//
// Dates are other people's DNI issue dates moved by their difference in
// age, rounded to whole weeks, so that a renewal at 14 or after 15 years
// stays at that age and an issue on a Tuesday stays on a Tuesday; moved
// dates after today or before the person's birth are left out.
const (
	donorsWanted = 60
	// donorsMin is the fewest donors that make a sample; a registry with
	// fewer people of any sex is a demonstration (tinyQuestion).
	donorsMin = 30
	setSize   = 5 // four named options and "none of these"
	maxShare  = 1.0 / setSize
)

// builder draws questions about c from one sample of donors.
type builder struct {
	c      *Citizen
	donors []*Citizen
	tiny   bool
	today  time.Time
	lends  map[QuestionKind][][]value      // what each donor can lend to each kind
	held   map[QuestionKind]map[string]int // how many of them hold each value
}

func newBuilder(c *Citizen, donors []*Citizen, now time.Time) *builder {
	y, m, d := now.UTC().Date()
	return &builder{c: c, donors: donors, tiny: len(donors) < donorsMin, today: time.Date(y, m, d, 0, 0, 0, 0, time.UTC),
		lends: map[QuestionKind][][]value{}, held: map[QuestionKind]map[string]int{}}
}

// lent is what each donor can lend to kind k.
func (b *builder) lent(k QuestionKind) [][]value {
	if l, ok := b.lends[k]; ok {
		return l
	}
	l := make([][]value, len(b.donors))
	for i, d := range b.donors {
		l[i] = b.lend(k, d)
	}
	b.lends[k] = l
	return l
}

// lend is what donor d can lend to a question of kind k: its values, none
// when it has none, or nil for a date that moved out of the person's life
// (moved dates after today or before the person's birth are left out).
func (b *builder) lend(k QuestionKind, d *Citizen) []value {
	if k == QuestionIssueDate && !d.DNIIssueDate.IsZero() {
		v := d.DNIIssueDate.AddDate(0, 0, weeksApart(b.c.BirthDate, d.BirthDate))
		if v.Before(b.c.BirthDate) || v.After(b.today) {
			return nil
		}
		d := FormatDate(v)
		return []value{{d, d}}
	}
	return ownValues(d, k)
}

// question draws a question of kind k, or reports that k is declined.
// exclude holds the keys (NormalizeName) of options shown before in a
// question this one replaces: none is shown again, and when every one of
// the person's answers was among them, "none of these" is the answer.
func (b *builder) question(k QuestionKind, exclude map[string]bool, rng *rand.Rand) (Question, bool) {
	t := b.truth(k, exclude, rng)
	if b.tiny {
		return b.tinyQuestion(k, t, exclude, rng)
	}
	s := b.sample(k, t, exclude, rng)
	pi, ok := s.inclusion(t.key, rng)
	if !ok {
		return Question{}, false
	}
	d := fitDesign(pi, setSize)
	ti := s.index[t.key]
	set := d.drawWith(ti, rng)
	for try := 0; t.forced && s.has(set, "") && try < 20; try++ {
		set = d.drawWith(ti, rng) // "nothing" and the truth cannot both be hidden
	}
	hidden := set[rng.IntN(setSize)]
	switch {
	case t.forced:
		hidden = ti
	case s.has(set, ""):
		hidden = s.index[""]
	}
	return s.question(k, set, hidden, ti, rng)
}

// truth is the answer a question of one kind is built around.
type truth struct {
	key, text string // key "" when the person lacks the kind
	forced    bool   // every own value was shown before: hide it
	own       map[string]bool
}

func (b *builder) truth(k QuestionKind, exclude map[string]bool, rng *rand.Rand) truth {
	own := ownValues(b.c, k)
	t := truth{own: map[string]bool{}}
	var fresh []value
	for _, v := range own {
		t.own[v.key] = true
		if !exclude[v.key] {
			fresh = append(fresh, v)
		}
	}
	holders := b.holders(k)
	switch {
	case len(own) == 0:
	case len(fresh) == 0:
		v := commonest(own, holders, rng)
		t.text, t.key, t.forced = v.text, v.key, true
	default:
		v := commonest(fresh, holders, rng)
		t.text, t.key = v.text, v.key
	}
	return t
}

// holders counts, for each value of kind k, the person and donors holding
// it.
func (b *builder) holders(k QuestionKind) map[string]int {
	if n, ok := b.held[k]; ok {
		return n
	}
	// Sized for a value a donor, as for a province or date: growing the
	// map as it filled cost more than counting.
	n := make(map[string]int, len(b.donors)+1)
	for _, v := range ownValues(b.c, k) {
		n[v.key]++
	}
	for _, vs := range b.lent(k) {
		for _, v := range vs {
			n[v.key]++
		}
	}
	b.held[k] = n
	return n
}

// commonest is the value of vs most held among the person and donors (one
// of them at random on a tie). Someone with several employers or benefits
// is asked about their commonest, and a donor lends its commonest: the
// person's others cannot be shown (they would be right too), and a common
// value hidden that way would make a common value shown more likely the
// truth; hiding only the less common ones hides what an attacker would
// not bet on anyway.
func commonest(vs []value, holders map[string]int, rng *rand.Rand) value {
	best, ties := value{}, 0
	for _, v := range vs {
		switch n, m := holders[v.key], holders[best.key]; {
		case ties == 0 || n > m:
			best, ties = v, 1
		case n == m:
			ties++
			if rng.IntN(ties) == 0 {
				best = v
			}
		}
	}
	return best
}

// sample is the person's and the donors' values of one kind, counted.
type sample struct {
	keys  []string // distinct values' keys, "" for "nothing", first seen first
	index map[string]int
	texts []string // the values' texts, by index
	count []int
	total int
}

func (s *sample) add(key, text string) {
	i, ok := s.index[key]
	if !ok {
		i = len(s.keys)
		s.index[key] = i
		s.keys = append(s.keys, key)
		s.texts = append(s.texts, text)
		s.count = append(s.count, 0)
	}
	s.count[i]++
	s.total++
}

func (s *sample) has(set []int, key string) bool {
	i, ok := s.index[key]
	if !ok {
		return false
	}
	for _, j := range set {
		if j == i {
			return true
		}
	}
	return false
}

// sample counts the truth and each donor's value: its commonest, as the
// person's truth is, or "nothing". A donor whose value is another of the
// person's own (a second employer), or was shown before, is left out: it
// cannot be a wrong option.
func (b *builder) sample(k QuestionKind, t truth, exclude map[string]bool, rng *rand.Rand) *sample {
	s := &sample{index: make(map[string]int, len(b.donors)+1)}
	s.add(t.key, t.text)
	holders := b.holders(k)
	for _, vs := range b.lent(k) {
		if vs == nil {
			continue
		}
		v := commonest(vs, holders, rng)
		if v.key != "" && v.key != t.key && (t.own[v.key] || exclude[v.key]) {
			continue
		}
		s.add(v.key, v.text)
	}
	return s
}

// weeksApart is a-b in days, rounded to whole weeks.
func weeksApart(a, b time.Time) int {
	days := int(a.Sub(b).Round(24*time.Hour).Hours() / 24)
	w := days / 7
	if r := days % 7; r > 3 {
		w++
	} else if r < -3 {
		w--
	}
	return 7 * w
}

// question shows the set without its hidden value, shuffled, then "none of
// these"; the answer is the truth, or "none" when it was hidden.
func (s *sample) question(k QuestionKind, set []int, hidden, truth int, rng *rand.Rand) (Question, bool) {
	q := Question{Kind: k, Answer: setSize - 1}
	var shown []int
	for _, i := range set {
		if i != hidden {
			shown = append(shown, i)
		}
	}
	rng.Shuffle(len(shown), func(i, j int) { shown[i], shown[j] = shown[j], shown[i] })
	for pos, i := range shown {
		if s.keys[i] == "" {
			return q, false // only when a forced "none" met "nothing"
		}
		if i == truth {
			q.Answer = pos
		}
		q.Options = append(q.Options, Option{Text: s.texts[i]})
	}
	q.Options = append(q.Options, Option{None: true})
	return q, len(shown) == setSize-1
}
