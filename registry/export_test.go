package registry

import (
	"math/rand/v2"
	"time"
)

// DrawEveryKind draws a question of every kind about c from donors, as
// Service.repair does the first time, for BenchmarkBuilder: the drawing
// alone, without a store.
func DrawEveryKind(c *Citizen, donors []*Citizen, now time.Time, rng *rand.Rand) []Question {
	b := newBuilder(c, donors, now)
	var qs []Question
	for _, k := range questionKinds {
		if q, ok := b.question(k, nil, rng); ok {
			qs = append(qs, q)
		}
	}
	return qs
}
