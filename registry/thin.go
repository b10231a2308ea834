package registry

import "math/rand/v2"

// inclusion returns each value's inclusion probability, 5 times its share
// of the truths once thinned, after tossing the thinning coin for the
// truth t. ok is false when the kind is declined: the coin said no, or the
// sample has fewer than five values.
func (s *sample) inclusion(t string, rng *rand.Rand) ([]float64, bool) {
	q := make([]float64, len(s.count))
	for i, n := range s.count {
		q[i] = float64(n) / float64(s.total)
	}
	c, ok := thinCap(q, maxShare)
	if !ok || rng.Float64() >= min(1, c/q[s.index[t]]) {
		return nil, false
	}
	sum := 0.0
	for _, x := range q {
		sum += min(x, c)
	}
	pi := make([]float64, len(q))
	for i, x := range q {
		pi[i] = min(1, setSize*min(x, c)/sum)
	}
	return pi, true
}

// thinCap returns c such that min(q_i, c) / Σ_j min(q_j, c) is at most
// tau for every i, the largest such (least thinning). q sums to 1; ok is
// false when no c works, with fewer than 1/tau values.
func thinCap(q []float64, tau float64) (float64, bool) {
	top := 0.0
	for _, x := range q {
		top = max(top, x)
	}
	if top <= tau {
		return top, true
	}
	if float64(len(q))*tau < 1-1e-12 {
		return 0, false
	}
	share := func(c float64) float64 {
		sum := 0.0
		for _, x := range q {
			sum += min(x, c)
		}
		return c / sum
	}
	lo, hi := 0.0, top // share rises with c, from 1/len(q) to top
	for range 200 {
		mid := (lo + hi) / 2
		if share(mid) > tau {
			hi = mid
		} else {
			lo = mid
		}
	}
	return lo, true
}
