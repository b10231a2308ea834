package registry_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"testing"

	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/registrytest"
)

// pinnedQuestions is the digest of the question sets TestQuestionsPinned
// draws. The questions a record, secret and registry draw are stored and
// compared across replicas and versions, so code that draws faster must
// draw exactly the same: a change here is a change of what people see,
// to be made on purpose, never as a side effect.
const pinnedQuestions = "af31c5af47ed85906f2acc06d8393c350233d7d18c610c163e34234e57567d3a"

// TestQuestionsPinned draws every kind for 400 people of a registry of
// 3,000, then again for those whose record gained an employer that was a
// wrong option (a redraw that excludes the options shown before), and
// compares the digest of every set stored with pinnedQuestions.
func TestQuestionsPinned(t *testing.T) {
	policy := registry.DefaultPolicy()
	policy.Questions = 4
	cs := registrytest.Generate(3000, 31, attackNow)
	store := newMemStore(cs...)
	svc := registry.NewService(store, registry.NewHasher(cheap, 1), policy, 7, registry.WithClock((&clock{attackNow}).now))
	ctx := context.Background()
	sum := sha256.New()
	write := func(c *registry.Citizen) {
		t.Helper()
		qs, err := svc.Questions(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		set, err := store.QuestionSet(ctx, c.CUIL)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal([]any{c.CUIL, qs, set})
		if err != nil {
			t.Fatal(err)
		}
		sum.Write(b)
	}
	for _, c := range cs[:400] {
		write(c)
	}
	for _, c := range cs[:400] {
		q, ok := byKind(mustQuestions(t, svc, c))[registry.QuestionEmployer]
		if !ok {
			continue
		}
		changed := *c
		wrong := q.Options[(q.Answer+1)%4].Text
		changed.Employers = append(slices.Clone(c.Employers), registry.Employer{Name: wrong, From: "2026-01"})
		store.add(&changed)
		write(&changed)
	}
	if got := hex.EncodeToString(sum.Sum(nil)); got != pinnedQuestions {
		t.Errorf("the questions drawn changed: digest %s, want %s", got, pinnedQuestions)
	}
}

func mustQuestions(t *testing.T, svc *registry.Service, c *registry.Citizen) []registry.Question {
	t.Helper()
	qs, err := svc.Questions(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return qs
}
