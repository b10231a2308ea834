package registry

import "math/rand/v2"

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

// Questions draws n questions about c, with plausible wrong options: dates
// near the true one, other provinces, and employers and benefits of other
// records from pool. The same rng seed gives the same questions.
func Questions(c *Citizen, pool Pool, n int, rng *rand.Rand) []Question { panic("TODO") }
