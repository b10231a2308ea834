package registry_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/registrytest"
)

// BenchmarkQuestionSet draws a CUIL's questions the first time, from an
// in-memory registry of 10,000 citizens: the drawing alone, without a
// database's round trips.
func BenchmarkQuestionSet(b *testing.B) {
	cs := registrytest.Generate(10_000, 11, attackNow)
	store := newMemStore(cs...)
	svc := registry.NewService(store, nil, registry.DefaultPolicy(), 1, registry.WithClock((&clock{attackNow}).now))
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if i%len(cs) == 0 {
			b.StopTimer()
			store.sets = map[registry.CUIL]registry.QuestionSet{}
			b.StartTimer()
		}
		if _, err := svc.Questions(ctx, cs[i%len(cs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkBuilder draws every kind of question for people of a registry
// of 20,000 from the 60 born next after them: the drawing alone, without
// the store's search.
func BenchmarkBuilder(b *testing.B) {
	cs := registrytest.Generate(20_000, 7, attackNow)
	slices.SortFunc(cs, func(x, y *registry.Citizen) int { return x.BirthDate.Compare(y.BirthDate) })
	const donors = 60
	i := 0
	for b.Loop() {
		at := i % (len(cs) - donors - 1)
		registry.DrawEveryKind(cs[at], cs[at+1:at+1+donors], attackNow, rand.New(rand.NewPCG(uint64(i), 1)))
		i++
	}
}
