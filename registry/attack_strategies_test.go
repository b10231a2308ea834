package registry_test

import (
	"math"
	"slices"
	"sort"
	"time"

	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/registrytest"
)

// strategy is one way an attacker picks an option. learned strategies are
// trained on the even rounds' answers (people whose answers the attacker
// knows: accomplices, or themselves) and played on the odd ones.
type strategy struct {
	name    string
	learned bool
	pick    func(v *view) int
}

// harvest is what the attacker gathered: every list shown at the first
// attempt, the registry's counts of names (public statistics, or a leak),
// and what the training half taught.
type harvest struct {
	now     time.Time
	shown   map[registry.QuestionKind]map[string]int
	holders map[registry.QuestionKind]map[string]int
	cohorts map[cohortKey]map[string]int // benefit holders by sex and birth year
	sizes   map[cohortKey]int
	truth   map[registry.QuestionKind]map[string]*[2]int // feature -> {right, shown}
}

type cohortKey struct {
	sex  string
	year int
}

func newHarvest(rounds []round, cs []*registry.Citizen, now time.Time) *harvest {
	h := &harvest{
		now:     now,
		shown:   map[registry.QuestionKind]map[string]int{},
		holders: map[registry.QuestionKind]map[string]int{},
		cohorts: map[cohortKey]map[string]int{},
		sizes:   map[cohortKey]int{},
		truth:   map[registry.QuestionKind]map[string]*[2]int{},
	}
	for i, r := range rounds {
		for kind, q := range r.first {
			h.count(h.shown, kind, q)
			if i%2 == 0 {
				h.learn(r.who, "", q)
				h.learn(r.who, askedKinds(r.first), q)
			}
		}
	}
	for _, c := range cs {
		h.register(c)
	}
	return h
}

func (h *harvest) count(m map[registry.QuestionKind]map[string]int, kind registry.QuestionKind, q registry.Question) {
	if m[kind] == nil {
		m[kind] = map[string]int{}
	}
	for _, o := range q.Options {
		if !o.None {
			m[kind][o.Text]++
		}
	}
}

func (h *harvest) register(c *registry.Citizen) {
	add := func(kind registry.QuestionKind, name string) {
		if h.holders[kind] == nil {
			h.holders[kind] = map[string]int{}
		}
		h.holders[kind][name]++
	}
	add(registry.QuestionProvince, c.BirthProvince)
	for _, e := range c.Employers {
		add(registry.QuestionEmployer, e.Name)
	}
	k := cohortKey{c.Sex, c.BirthDate.Year()}
	h.sizes[k]++
	if h.cohorts[k] == nil {
		h.cohorts[k] = map[string]int{}
	}
	for _, b := range c.Benefits {
		add(registry.QuestionBenefit, b.Name)
		h.cohorts[k][b.Name]++
	}
}

// feature is what the learned strategy keys on: the name itself, or for a
// date its age at the date, its weekday and whether it is recent.
func (h *harvest) feature(who public, kind registry.QuestionKind, o registry.Option) string {
	if o.None {
		return "\x00none"
	}
	if kind != registry.QuestionIssueDate {
		return o.Text
	}
	d := parseDate(o.Text)
	age := int(d.Sub(who.Birth).Hours() / 24 / 365.25)
	recent := h.now.Sub(d) < 365*24*time.Hour
	return string(rune('a'+min(age, 90))) + d.Weekday().String() + map[bool]string{true: "recent"}[recent]
}

// learn counts, for each option's feature (prefixed by context), how often
// it was shown and right.
func (h *harvest) learn(who public, context string, q registry.Question) {
	if h.truth[q.Kind] == nil {
		h.truth[q.Kind] = map[string]*[2]int{}
	}
	for i, o := range q.Options {
		f := context + "|" + h.feature(who, q.Kind, o)
		c := h.truth[q.Kind][f]
		if c == nil {
			c = &[2]int{}
			h.truth[q.Kind][f] = c
		}
		c[1]++
		if i == q.Answer {
			c[0]++
		}
	}
}

// seen counts text in other people's lists.
func (v *view) seen(text string) int {
	n := v.h.shown[v.q.Kind][text]
	if slices.ContainsFunc(v.q.Options, func(o registry.Option) bool { return o.Text == text }) {
		n--
	}
	return n
}

func strategies(kind registry.QuestionKind) []strategy {
	out := []strategy{
		{"always none", false, func(v *view) int { return v.none() }},
		{"a random named option", false, func(v *view) int { n := v.named(); return n[v.rng.IntN(len(n))] }},
		{"least seen in others' lists", false, func(v *view) int { return v.best(func(s string) float64 { return -float64(v.seen(s)) }) }},
		{"most seen in others' lists", false, func(v *view) int { return v.best(func(s string) float64 { return float64(v.seen(s)) }) }},
		{"kept across attempts", false, intersection},
		{"learned from known answers", true, learned(false)},
		{"learned, with kinds asked", true, learned(true)},
	}
	for p := range 5 {
		out = append(out, strategy{"always position " + string(rune('1'+p)), false, func(v *view) int { return min(p, len(v.q.Options)-1) }})
	}
	switch kind {
	case registry.QuestionIssueDate:
		out = append(out, dateStrategies()...)
	case registry.QuestionProvince:
		out = append(out, provinceStrategies()...)
	default:
		out = append(out, nameStrategies(kind)...)
	}
	return out
}

// intersection picks what the person's two attempts have in common: the
// truth stays while wrong options change. One named option in common is
// taken; none in common means "none of these".
func intersection(v *view) int {
	var common []int
	for _, i := range v.named() {
		if slices.ContainsFunc(v.later.Options, func(o registry.Option) bool { return !o.None && o.Text == v.q.Options[i].Text }) {
			common = append(common, i)
		}
	}
	switch {
	case len(common) == 0 && v.none() >= 0:
		return v.none()
	case len(common) == 0:
		n := v.named()
		return n[v.rng.IntN(len(n))]
	}
	return common[v.rng.IntN(len(common))]
}

// learned picks the option whose feature was right most often in the
// training half; withKinds keys the features also by the kinds of
// question the person was asked (which tell something of the record: a
// kind the record lacks is asked less).
func learned(withKinds bool) func(v *view) int {
	return func(v *view) int {
		context := ""
		if withKinds {
			context = v.asked
		}
		return v.learnedPick(context)
	}
}

func (v *view) learnedPick(context string) int {
	bi, bs := 0, -1.0
	for i, o := range v.q.Options {
		c := v.h.truth[v.q.Kind][context+"|"+v.h.feature(v.who, v.q.Kind, o)]
		rate := 0.2 // the prior of an unseen feature
		if c != nil {
			rate = (float64(c[0]) + 1) / (float64(c[1]) + 5)
		}
		if rate > bs {
			bi, bs = i, rate
		}
	}
	return bi
}

func dateStrategies() []strategy {
	return []strategy{
		{"nearest the others' median", false, func(v *view) int {
			ds := v.dates()
			med := median(ds)
			return v.best(func(s string) float64 { return -math.Abs(parseDate(s).Sub(med).Hours()) })
		}},
		{"the latest", false, func(v *view) int { return v.best(func(s string) float64 { return float64(parseDate(s).Unix()) }) }},
		{"the earliest", false, func(v *view) int { return v.best(func(s string) float64 { return -float64(parseDate(s).Unix()) }) }},
		{"others at the old offsets", false, oldOffsets},
		{"soonest after a birthday", false, func(v *view) int {
			return v.best(func(s string) float64 { return -daysSinceBirthday(v.who.Birth, parseDate(s)) })
		}},
		{"nearest a renewal age", false, func(v *view) int {
			return v.best(func(s string) float64 { return -renewalDistance(v.who.Birth, parseDate(s)) })
		}},
		{"on a weekday", false, func(v *view) int {
			return v.best(func(s string) float64 {
				return b2f(parseDate(s).Weekday() != time.Saturday && parseDate(s).Weekday() != time.Sunday)
			})
		}},
		{"not in the 2020 lockdown", false, func(v *view) int {
			return v.best(func(s string) float64 {
				d := parseDate(s)
				return b2f(d.Year() != 2020 || d.Month() < 3 || d.Month() > 6)
			})
		}},
		{"in the card years 2011-17", false, func(v *view) int {
			return v.best(func(s string) float64 { y := parseDate(s).Year(); return b2f(y >= 2011 && y <= 2017) })
		}},
		{"weekend or lockdown: none", false, func(v *view) int {
			for _, i := range v.named() {
				d := parseDate(v.q.Options[i].Text)
				if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
					return i
				}
			}
			return v.none()
		}},
	}
}

func (v *view) dates() []time.Time {
	var ds []time.Time
	for _, i := range v.named() {
		ds = append(ds, parseDate(v.q.Options[i].Text))
	}
	return ds
}

// oldOffsets is the tester's attack on the first design: wrong dates were
// the true one shifted by these months, so the true date is the one the
// others sit at those offsets from.
func oldOffsets(v *view) int {
	offsets := []int{1, 2, 3, 5, 7, 10, 12, 13, 14, 15, 18, 24, 25, 26, 30, 36, 37, 38}
	return v.best(func(s string) float64 {
		d, score := parseDate(s), 0
		for _, o := range v.dates() {
			for _, off := range offsets {
				if addMonths(d, off).Equal(o) || addMonths(d, -off).Equal(o) {
					score++
				}
			}
		}
		return float64(score)
	})
}

func provinceStrategies() []strategy {
	pop := func(s string) float64 { return float64(registrytest.ProvincePopulation[s]) }
	return []strategy{
		{"the most populous", false, func(v *view) int { return v.best(pop) }},
		{"the least populous", false, func(v *view) int { return v.best(func(s string) float64 { return -pop(s) }) }},
		{"Buenos Aires, else none", false, func(v *view) int {
			for _, i := range v.named() {
				if v.q.Options[i].Text == "Buenos Aires" {
					return i
				}
			}
			return v.none()
		}},
		{"most populous vs seen", false, func(v *view) int {
			return v.best(func(s string) float64 { return pop(s) / float64(v.seen(s)+1) })
		}},
	}
}

func nameStrategies(kind registry.QuestionKind) []strategy {
	out := []strategy{
		{"most common in the registry", false, func(v *view) int {
			return v.best(func(s string) float64 { return float64(v.h.holders[kind][s]) })
		}},
		{"least common in the registry", false, func(v *view) int {
			return v.best(func(s string) float64 { return -float64(v.h.holders[kind][s]) })
		}},
		{"common vs seen", false, func(v *view) int {
			return v.best(func(s string) float64 { return float64(v.h.holders[kind][s]) / float64(v.seen(s)+1) })
		}},
		{"all rare: none", false, func(v *view) int {
			i := v.best(func(s string) float64 { return float64(v.h.holders[kind][s]) })
			if v.h.holders[kind][v.q.Options[i].Text] < 3 {
				return v.none()
			}
			return i
		}},
	}
	if kind == registry.QuestionBenefit {
		out = append(out, strategy{"most common in the cohort", false, cohortTypical(false)},
			strategy{"cohort's, else none", false, cohortTypical(true)},
			strategy{"possible at their age, else none", false, possibleAtAge})
	}
	return out
}

// cohortTypical picks the benefit most held by people of the victim's sex
// born within two years; with orNone, "none" when no option is held by
// at least 5 % of them.
func cohortTypical(orNone bool) func(v *view) int {
	return func(v *view) int {
		share := func(s string) float64 {
			held, size := 0, 0
			for y := v.who.Birth.Year() - 2; y <= v.who.Birth.Year()+2; y++ {
				k := cohortKey{v.who.Sex, y}
				held += v.h.cohorts[k][s]
				size += v.h.sizes[k]
			}
			return float64(held) / float64(max(size, 1))
		}
		i := v.best(share)
		if orNone && share(v.q.Options[i].Text) < 0.05 && v.none() >= 0 {
			return v.none()
		}
		return i
	}
}

// possibleAtAge rules out benefits the person's exact age forbids (a
// retirement before 60 or 65, Progresar after 24) and picks the first
// left, or "none".
func possibleAtAge(v *view) int {
	age := v.h.now.Sub(v.who.Birth).Hours() / 24 / 365.25
	retire := 65.0
	if v.who.Sex == "F" {
		retire = 60
	}
	for _, i := range v.named() {
		switch v.q.Options[i].Text {
		case "Jubilación ordinaria", "Pensión Universal para el Adulto Mayor":
			if age < retire {
				continue
			}
		case "Becas Progresar":
			if age >= 25 {
				continue
			}
		}
		return i
	}
	return v.none()
}

func parseDate(s string) time.Time {
	d, err := time.Parse("02/01/2006", s)
	if err != nil {
		panic("option " + s + " is not DD/MM/AAAA")
	}
	return d
}

func median(ds []time.Time) time.Time {
	s := slices.Clone(ds)
	sort.Slice(s, func(i, j int) bool { return s[i].Before(s[j]) })
	return s[len(s)/2]
}

func daysSinceBirthday(birth, d time.Time) float64 {
	bd := time.Date(d.Year(), birth.Month(), birth.Day(), 0, 0, 0, 0, time.UTC)
	if bd.After(d) {
		bd = bd.AddDate(-1, 0, 0)
	}
	return d.Sub(bd).Hours() / 24
}

// renewalDistance is how far, in years, the age at d is from an update at
// 14 or 16 or a renewal 15, 30 or 45 years after them.
func renewalDistance(birth, d time.Time) float64 {
	age := d.Sub(birth).Hours() / 24 / 365.25
	best := math.Inf(1)
	for _, base := range []float64{14, 16} {
		for k := range 5 {
			best = min(best, math.Abs(age-base-15*float64(k)))
		}
	}
	return best
}

func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
