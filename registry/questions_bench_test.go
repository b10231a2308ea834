package registry_test

import (
	"context"
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
