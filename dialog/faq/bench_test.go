package faq

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkClassify classifies the held-out messages in turn and reports,
// besides the mean, the 99th percentile of the per-message latency.
func BenchmarkClassify(b *testing.B) {
	c := newClassifier(b)
	exs := loadHeldOut(b)
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		c.Classify(exs[i%len(exs)].Text)
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durs)
	b.ReportMetric(float64(durs[len(durs)*99/100].Nanoseconds()), "p99-ns/msg")
}

// BenchmarkNew measures building the classifier at start-up.
func BenchmarkNew(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := New(); err != nil {
			b.Fatal(err)
		}
	}
}
