package registry

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// shares are truth distributions of a cohort, as a sample counts them.
var shares = map[string][]float64{
	"provinces":  {38, 8, 7.7, 6.8, 4.4, 3.7, 3.1, 3.1, 2.8, 2.6, 2.3, 1.8, 1.8, 1.5, 1.4, 1.3, 1.3, 1.3, 1.2, 0.9, 0.8, 0.7, 0.7, 0.4},
	"retirees":   {70, 12, 10, 4, 2, 1, 1},
	"uniform":    {1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
	"five equal": {1, 1, 1, 1, 1},
	"two heavy":  {30, 30, 10, 10, 5, 5, 5, 5},
}

func normalized(xs []float64) []float64 {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x / sum
	}
	return out
}

// thinned returns the shares of the truths of those asked, and each
// value's chance of being asked.
func thinned(t *testing.T, q []float64) (p, accept []float64) {
	t.Helper()
	c, ok := thinCap(q, maxShare)
	if !ok {
		t.Fatalf("no cap for %v", q)
	}
	sum := 0.0
	for _, x := range q {
		sum += min(x, c)
	}
	p, accept = make([]float64, len(q)), make([]float64, len(q))
	for i, x := range q {
		p[i] = min(x, c) / sum
		accept[i] = min(1, c/x)
		if p[i] > maxShare+1e-9 {
			t.Fatalf("share %v above a fifth after thinning %v", p[i], q)
		}
	}
	return p, accept
}

func TestThinCap(t *testing.T) {
	for name, xs := range shares {
		t.Run(name, func(t *testing.T) {
			q := normalized(xs)
			p, _ := thinned(t, q)
			top, qtop := 0.0, 0.0
			for i := range q {
				top, qtop = max(top, p[i]), max(qtop, q[i])
			}
			switch {
			case qtop <= maxShare && !slices.EqualFunc(p, q, func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }):
				t.Errorf("thinned %v though no value is above a fifth: %v", q, p)
			case qtop > maxShare && math.Abs(top-maxShare) > 1e-9:
				t.Errorf("thinned more than needed: top share %v", top)
			}
		})
	}
	if _, ok := thinCap(normalized([]float64{5, 3, 1, 1}), maxShare); ok {
		t.Error("four values cannot make five options, yet a cap was found")
	}
}

func TestFitDesign(t *testing.T) {
	for name, xs := range shares {
		t.Run(name, func(t *testing.T) {
			p, _ := thinned(t, normalized(xs))
			pi := make([]float64, len(p))
			for i, x := range p {
				pi[i] = setSize * x
			}
			d := fitDesign(pi, setSize)
			got := d.inclusion(setSize - d.certain)
			for i := range pi {
				if math.Abs(got[i]-pi[i]) > 1e-8 {
					t.Errorf("value %d: inclusion %v, want %v", i, got[i], pi[i])
				}
			}
		})
	}
}

// TestDesignHidesTheTruth plays the design: the truth drawn from the
// thinned shares, the set drawn around it. Given that a value is in the
// set, it must be the truth a fifth of the time, heavy or light.
func TestDesignHidesTheTruth(t *testing.T) {
	const rounds = 200_000
	for name, xs := range shares {
		t.Run(name, func(t *testing.T) {
			p, _ := thinned(t, normalized(xs))
			pi := make([]float64, len(p))
			for i, x := range p {
				pi[i] = setSize * x
			}
			d := fitDesign(pi, setSize)
			rng := rand.New(rand.NewPCG(1, 2))
			in, truth := make([]int, len(p)), make([]int, len(p))
			for range rounds {
				tv := draw(p, rng)
				set := d.drawWith(tv, rng)
				if len(set) != setSize {
					t.Fatalf("set of %d values", len(set))
				}
				for _, v := range set {
					in[v]++
				}
				truth[tv]++
			}
			for v := range p {
				if in[v] < 2000 {
					continue // too rare to measure
				}
				rate := float64(truth[v]) / float64(in[v])
				if math.Abs(rate-0.2) > 0.012 {
					t.Errorf("value %d (share %.3f): the truth %.3f of the %d times it is in the set, want 0.2", v, p[v], rate, in[v])
				}
			}
		})
	}
}

func draw(p []float64, rng *rand.Rand) int {
	r := rng.Float64()
	for i, x := range p {
		if r < x {
			return i
		}
		r -= x
	}
	return len(p) - 1
}

func TestWeeksApart(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		a, b time.Time
		want int
	}{
		{day(2000, 1, 1), day(2000, 1, 1), 0},
		{day(2000, 1, 4), day(2000, 1, 1), 0},
		{day(2000, 1, 5), day(2000, 1, 1), 7},
		{day(2000, 1, 1), day(2000, 1, 5), -7},
		{day(2000, 1, 1), day(2000, 1, 4), 0},
		{day(2001, 1, 1), day(2000, 1, 1), 364},
		{day(1950, 3, 1), day(1990, 7, 9), -14742}, // -14740 days
	}
	for _, tt := range tests {
		got := weeksApart(tt.a, tt.b)
		if got != tt.want || got%7 != 0 {
			t.Errorf("weeksApart(%v, %v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
