package registry

import (
	"math/rand/v2"
	"slices"
	"time"
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

// Option is one choice of a question. None marks the "none of these" choice,
// whose label the edge translates.
type Option struct {
	Text string `json:"t,omitempty"`
	None bool   `json:"n,omitempty"`
}

// Question is a multiple-choice identity question with 4 or 5 options.
type Question struct {
	Kind    QuestionKind `json:"k"`
	Options []Option     `json:"o"`
	Answer  int          `json:"a"` // index into Options
}

// optionsPerQuestion is how many options every question shows: the true
// one and four wrong ones, or for employers and benefits the true one,
// three wrong ones and "none of these".
const optionsPerQuestion = 5

// Questions draws n questions about c, with plausible wrong options: dates
// near the true one, other provinces, and employers and benefits of other
// records from pool. The same rng seed gives the same questions. Dates are
// kept at or before today by the wall clock; QuestionsAt takes the clock.
func Questions(c *Citizen, pool Pool, n int, rng *rand.Rand) []Question {
	return QuestionsAt(c, pool, n, rng, time.Now())
}

// QuestionsAt is Questions with today's date given, so no wrong date is in
// the future. Every kind can be asked of everyone: a person with no
// employer or benefit has "none of these" as the right answer. The issue
// date or province question is left out only when the record lacks it, so
// fewer than n questions come back only for incomplete records.
func QuestionsAt(c *Citizen, pool Pool, n int, rng *rand.Rand, now time.Time) []Question {
	kinds := availableKinds(c)
	rng.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	kinds = kinds[:min(max(n, 0), len(kinds))]
	out := make([]Question, 0, len(kinds))
	for _, k := range kinds {
		// Each question draws from its own stream, so a change that moves
		// one question's draws (a new day excluding a date, a new pool)
		// leaves the others as they were.
		sub := rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
		out = append(out, buildQuestion(k, c, pool, sub, now))
	}
	return out
}

func availableKinds(c *Citizen) []QuestionKind {
	var kinds []QuestionKind
	if !c.DNIIssueDate.IsZero() {
		kinds = append(kinds, QuestionIssueDate)
	}
	if c.BirthProvince != "" {
		kinds = append(kinds, QuestionProvince)
	}
	return append(kinds, QuestionEmployer, QuestionBenefit)
}

func buildQuestion(k QuestionKind, c *Citizen, pool Pool, rng *rand.Rand, now time.Time) Question {
	switch k {
	case QuestionIssueDate:
		return pickQuestion(k, FormatDate(c.DNIIssueDate), dateDistractors(c, rng, now, optionsPerQuestion-1), rng)
	case QuestionProvince:
		return pickQuestion(k, c.BirthProvince, provinceDistractors(c.BirthProvince, rng, optionsPerQuestion-1), rng)
	case QuestionEmployer:
		return namesQuestion(k, employerNames(c), pool.Employers, fallbackEmployers[:], rng)
	default:
		return namesQuestion(k, benefitNames(c), pool.Benefits, fallbackBenefits[:], rng)
	}
}

// pickQuestion shuffles the true answer among the wrong ones. An empty
// truth means none of them is right; the caller appends the None option.
func pickQuestion(k QuestionKind, truth string, wrong []string, rng *rand.Rand) Question {
	opts := make([]Option, 0, len(wrong)+1)
	if truth != "" {
		opts = append(opts, Option{Text: truth})
	}
	for _, w := range wrong {
		opts = append(opts, Option{Text: w})
	}
	rng.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	answer := slices.IndexFunc(opts, func(o Option) bool { return o.Text == truth })
	return Question{Kind: k, Options: opts, Answer: answer}
}

// namesQuestion asks "which of these did you work for / receive": one of
// the person's own names when they have any, wrong ones from the pool, and
// "none of these" last, which is the answer when they have none.
func namesQuestion(k QuestionKind, own, pool, fallback []string, rng *rand.Rand) Question {
	var q Question
	if len(own) == 0 {
		wrong := sampleNames(pool, fallback, own, optionsPerQuestion-1, rng)
		q = pickQuestion(k, "", wrong, rng)
	} else {
		truth := own[rng.IntN(len(own))]
		q = pickQuestion(k, truth, sampleNames(pool, fallback, own, optionsPerQuestion-2, rng), rng)
	}
	q.Options = append(q.Options, Option{None: true})
	if len(own) == 0 {
		q.Answer = len(q.Options) - 1
	}
	return q
}

func employerNames(c *Citizen) []string {
	names := make([]string, 0, len(c.Employers))
	for _, e := range c.Employers {
		names = append(names, e.Name)
	}
	return uniqueNames(names, nil)
}

func benefitNames(c *Citizen) []string {
	names := make([]string, 0, len(c.Benefits))
	for _, b := range c.Benefits {
		names = append(names, b.Name)
	}
	return uniqueNames(names, nil)
}
