package registry

import (
	"context"
	"errors"
	"hash/fnv"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/clavebot/clavebot/internal/errs"
)

// Questions returns the identity questions for c: the policy's number,
// or fewer when the record allows fewer (see distractors.go: a kind the
// record lacks is asked only now and then, and a value shared by more
// than a fifth of the person's cohort is thinned). They are drawn once
// and stored, so every attempt from any chat or replica shows the same
// lists, kept as long as the citizen's record; a question is drawn again
// only when the record no longer makes it right (a renewed DNI, a new
// employer among its options), with none of the options shown before.
func (s *Service) Questions(ctx context.Context, c *Citizen) ([]Question, error) {
	return s.questions(ctx, c, func() (QuestionSet, drawn, error) { return s.storedSet(ctx, c, true) })
}

// questions is Questions, whose first read of the stored set (with a
// first draw's donors, when the store reads them with it) is first.
func (s *Service) questions(ctx context.Context, c *Citizen, first func() (QuestionSet, drawn, error)) ([]Question, error) {
	for try := range 3 {
		read := first
		if try > 0 {
			read = func() (QuestionSet, drawn, error) { return s.storedSet(ctx, c, false) }
		}
		stored, pre, err := read()
		if err != nil {
			return nil, errs.Wrap("questions", err)
		}
		next, changed, err := s.repair(ctx, c, stored, pre)
		if err != nil {
			return nil, errs.Wrap("questions", err)
		}
		if !changed {
			return next.asked(s.policy.Questions), nil
		}
		saved, err := s.store.SaveQuestionSet(ctx, c.CUIL, next, stored.Version)
		if err != nil {
			return nil, errs.Wrap("questions", err)
		}
		if saved {
			return next.asked(s.policy.Questions), nil
		}
		// Another chat or replica saved first: take what it stored.
	}
	return nil, errs.E(errs.Unavailable, "questions", errors.New("the stored questions kept changing"))
}

// drawn is a first draw's donors, read with the stored set (FirstDrawer).
type drawn struct {
	donors []*Citizen
	ok     bool // read: the store has FirstDrawer and no set was stored
}

// storedSet returns c's stored questions, an empty set when none are. The
// first time, from a store that can, it reads with them the donors of a
// first draw, which a person validating for the first time needs at once.
func (s *Service) storedSet(ctx context.Context, c *Citizen, first bool) (QuestionSet, drawn, error) {
	if fd, ok := s.store.(FirstDrawer); ok && first {
		set, donors, found, err := fd.QuestionSetOrDonors(ctx, s.donorQuery(c, 0))
		if err != nil || found {
			return set, drawn{}, err
		}
		return QuestionSet{}, drawn{donors: donors, ok: true}, nil
	}
	set, err := s.store.QuestionSet(ctx, c.CUIL)
	if errs.Is(errs.NotFound, err) {
		return QuestionSet{}, drawn{}, nil
	}
	return set, drawn{}, err
}

// asked returns the first n questions.
func (qs QuestionSet) asked(n int) []Question {
	return slices.Clone(qs.Questions[:max(0, min(n, len(qs.Questions)))])
}

// repair keeps set's questions that are still right for c and draws
// questions of the kinds not yet decided, in the CUIL's order, until the
// policy's number are asked. It reports whether anything changed. pre
// holds the donors when they were read with set.
func (s *Service) repair(ctx context.Context, c *Citizen, set QuestionSet, pre drawn) (QuestionSet, bool, error) {
	next := QuestionSet{Version: set.Version, Declined: map[QuestionKind]string{}, Retired: map[QuestionKind][]string{}}
	maps.Copy(next.Retired, set.Retired)
	changed := false
	asked := map[QuestionKind]bool{}
	for _, q := range set.Questions {
		if q.RightFor(c) && !asked[q.Kind] {
			next.Questions = append(next.Questions, q)
			asked[q.Kind] = true
			continue
		}
		next.Retired[q.Kind] = append(next.Retired[q.Kind], namedKeys(q)...)
		changed = true
	}
	for k, fp := range set.Declined {
		if fp == fingerprint(c, k) && !asked[k] {
			next.Declined[k] = fp
		} else {
			changed = true
		}
	}
	var b *builder
	for _, k := range s.kindOrder(c.CUIL) {
		if len(next.Questions) >= s.policy.Questions {
			break
		}
		if asked[k] || next.Declined[k] != "" {
			continue
		}
		if b == nil {
			var err error
			if b, err = s.builder(ctx, c, set.Version, pre); err != nil {
				return set, false, err
			}
		}
		fp := fingerprint(c, k)
		rng := s.stream(string(c.CUIL), "question", string(k), fp, strconv.Itoa(set.Version))
		changed = true
		if q, ok := b.question(k, keySet(next.Retired[k]), rng); ok {
			next.Questions = append(next.Questions, q)
			asked[k] = true
		} else {
			next.Declined[k] = fp
		}
	}
	return next, changed, nil
}

// donorQuery asks for the donors of c's questions at version of c's set:
// of c's sex.
func (s *Service) donorQuery(c *Citizen, version int) DonorQuery {
	return DonorQuery{CUIL: c.CUIL, Sex: c.Sex, Birth: c.BirthDate, N: donorsWanted,
		Seed: s.stream(string(c.CUIL), "donors", strconv.Itoa(version)).Uint64()}
}

// builder draws the donors for c's questions (pre's, when read already):
// of c's sex, or of any when the registry has too few.
func (s *Service) builder(ctx context.Context, c *Citizen, version int, pre drawn) (*builder, error) {
	q := s.donorQuery(c, version)
	donors, err := pre.donors, error(nil)
	if !pre.ok {
		donors, err = s.store.Donors(ctx, q)
	}
	if err == nil && len(donors) < donorsMin && q.Sex != "" {
		q.Sex = ""
		donors, err = s.store.Donors(ctx, q)
	}
	if err != nil {
		return nil, err
	}
	b := newBuilder(c, donors, s.now())
	if b.tiny {
		s.log.Info("the registry is too small for identity questions that hide their answers", "donors", len(donors), "want", donorsMin)
	}
	return b, nil
}

// kindOrder is the order in which c's kinds of question are tried: random,
// fixed for the CUIL.
func (s *Service) kindOrder(cuil CUIL) []QuestionKind {
	kinds := slices.Clone(questionKinds)
	rng := s.stream(string(cuil), "order")
	rng.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	return kinds
}

// stream is a random source for parts, seeded by the service's secret, so
// the same record draws the same questions on every replica.
func (s *Service) stream(parts ...string) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p)) // a hash.Hash never fails to write
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(s.seed, h.Sum64()))
}

func namedKeys(q Question) []string {
	var keys []string
	for _, o := range q.Options {
		if !o.None {
			keys = append(keys, valueKey(o.Text))
		}
	}
	return keys
}

// keySet is keys as a set, normalized again: keys stored by a version
// that folded less (curly apostrophes kept) still match.
func keySet(keys []string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[valueKey(k)] = true
	}
	return m
}
