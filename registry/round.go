package registry

import (
	"context"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
)

// Round is a round of identity questions begun (BeginQuestions).
type Round struct {
	// HasKey is whether the CUIL has a key. When it is not what the flow
	// needs, nothing else was done: no attempt, no questions.
	HasKey bool
	// Attempt is the reservation (see BeginValidation); refused, no
	// questions were drawn.
	Attempt   Attempt
	Questions []Question
}

// QuestionStarter is a Store that begins a round of identity questions in
// one round trip (registry/sqlstore, on PostgreSQL): the check of the key,
// the reservation and the read of the stored questions, or of a first
// draw's donors, which would otherwise be three or four, at the identity
// step of every flow.
type QuestionStarter interface {
	// StartQuestions reports whether the CUIL of q.Donors has a key and,
	// when that is q.Keyed, reserves attempt q.ID of LockValidation as
	// ReserveAttempt does and, reserved, reads what QuestionSetOrDonors
	// reads for q.Donors. ok false: nothing was done, as the store could
	// not decide at once (a CUIL locked, or its attempts all counted).
	StartQuestions(ctx context.Context, q StartQuery) (s Started, ok bool, err error)
}

// StartQuery asks a QuestionStarter to begin a round.
type StartQuery struct {
	Donors DonorQuery
	Keyed  bool // the flow needs a key (recover, change) or none (create)
	ID     string
	Now    time.Time
	Rule   LockRule
	TTL    time.Duration
}

// Started is what StartQuestions did and read.
type Started struct {
	HasKey  bool
	Attempt Attempt // reserved when HasKey is StartQuery.Keyed; zero otherwise
	Set     QuestionSet
	Found   bool       // a set is stored: Set
	Donors  []*Citizen // none stored: the donors of a first draw
}

// BeginQuestions begins a round of c's identity questions for a flow that
// needs a key (keyed) or none. When the CUIL's key is not as the flow
// needs, it reports so and does nothing else; otherwise it reserves an
// attempt, as BeginValidation does, and, reserved, draws the questions,
// as Questions does. The reservation comes first: a locked CUIL draws
// nothing, so its answer takes no longer than a refusal. From a
// QuestionStarter the three are one round trip while the CUIL is neither
// locked nor at its count. When drawing fails after the reservation, the
// Round holds it, for the caller to give back.
func (s *Service) BeginQuestions(ctx context.Context, c *Citizen, keyed bool) (Round, error) {
	if r, ok, err := s.startAtOnce(ctx, c, keyed); ok || err != nil {
		return r, err
	}
	var r Round
	var err error
	if r.HasKey, err = s.HasKey(ctx, c.CUIL); err != nil || r.HasKey != keyed {
		return r, err
	}
	if r.Attempt, err = s.BeginValidation(ctx, c.CUIL); err != nil || r.Attempt.Refused() {
		return r, err
	}
	r.Questions, err = s.Questions(ctx, c)
	return r, err
}

// startAtOnce is BeginQuestions from a QuestionStarter; ok false when the
// store has not begun the round (nor done anything).
func (s *Service) startAtOnce(ctx context.Context, c *Citizen, keyed bool) (Round, bool, error) {
	st, ok := s.store.(QuestionStarter)
	if !ok {
		return Round{}, false, nil
	}
	q := StartQuery{Donors: s.donorQuery(c, 0), Keyed: keyed, ID: newAttemptID(), Now: s.now(),
		Rule: s.policy.Validation, TTL: s.validationTTL()}
	got, ok, err := st.StartQuestions(ctx, q)
	if err != nil {
		s.giveBackLost(ctx, c.CUIL, LockValidation, q.ID, q.Rule)
		return Round{}, false, errs.Wrap("begin questions", err)
	}
	if !ok {
		return Round{}, false, nil
	}
	r := Round{HasKey: got.HasKey, Attempt: got.Attempt}
	if got.HasKey != keyed {
		return r, true, nil
	}
	r.Questions, err = s.questions(ctx, c, func() (QuestionSet, drawn, error) {
		if got.Found {
			return got.Set, drawn{}, nil
		}
		return QuestionSet{}, drawn{donors: got.Donors, ok: true}, nil
	})
	return r, true, errs.Wrap("begin questions", err)
}
