package registry

import (
	"math"
	"math/rand/v2"
)

// A design draws a set of a fixed size from some values, each value i in
// the set with a chosen probability pi[i]: conditional Poisson sampling,
// where a set's probability is the product of its values' weights. Its
// use here (see distractors.go): when pi is five times the chance that
// each value is the truth, the set drawn around the truth holds the truth
// in any of its places with equal probability, so nothing in the options
// tells which one it is.
type design struct {
	w       []float64 // weights; +Inf marks a value in every set
	size    int
	certain int // how many values have pi = 1
}

// certainPi is where an inclusion probability counts as 1.
const certainPi = 1 - 1e-9

// fitDesign finds weights giving each value i inclusion probability pi[i].
// The pi must lie in (0, 1] and sum to size. Each round scales every
// weight by the odds of its target inclusion probability over the odds of
// its current one (Chen, Dempster and Liu's iteration, 1994, on the odds
// scale, which converges in a few rounds), until they agree to 1e-10.
func fitDesign(pi []float64, size int) design {
	d := design{w: make([]float64, len(pi)), size: size}
	for i, p := range pi {
		if p >= certainPi {
			d.w[i] = math.Inf(1)
			d.certain++
			continue
		}
		d.w[i] = p / (1 - p)
	}
	n := size - d.certain
	if n <= 0 || equal(pi) {
		return d // equal weights give equal inclusion probabilities
	}
	var ws esymWork // the tables of every round, allocated once
	for range 2000 {
		got := d.inclusionWith(n, &ws)
		worst := 0.0
		sum := 0.0
		for i, p := range pi {
			if math.IsInf(d.w[i], 1) {
				continue
			}
			worst = max(worst, math.Abs(got[i]-p))
			d.w[i] *= (p / (1 - p)) / (got[i] / (1 - got[i]))
			sum += d.w[i]
		}
		if worst < 1e-10 {
			break
		}
		d.scale(sum)
	}
	return d
}

func equal(pi []float64) bool {
	for _, p := range pi {
		if p != pi[0] {
			return false
		}
	}
	return true
}

// scale divides the finite weights by their mean, which changes no set's
// probability and keeps the products in range.
func (d design) scale(sum float64) {
	mean := sum / float64(len(d.w)-d.certain)
	for i, w := range d.w {
		if !math.IsInf(w, 1) {
			d.w[i] = w / mean
		}
	}
}

// inclusion returns each finite-weight value's probability of being in a
// set of n of them: w_i e_{n-1}(w without i) / e_n(w), with e_k the
// elementary symmetric polynomials, from prefix and suffix tables (all
// terms positive, so no cancellation).
func (d design) inclusion(n int) []float64 {
	var ws esymWork
	return d.inclusionWith(n, &ws)
}

// esymWork holds the slices inclusionWith fills, for fitDesign to reuse
// from round to round: a question's design takes a few dozen rounds, and
// allocating their tables anew was a tenth of a question set's drawing.
type esymWork struct{ w, pre, suf, out []float64 }

// inclusionWith is inclusion in ws's slices; the result is ws.out, valid
// until the next call.
func (d design) inclusionWith(n int, ws *esymWork) []float64 {
	ws.w = d.appendFinite(ws.w[:0])
	w := ws.w
	pre := fillEsym(&ws.pre, w, n, false)
	suf := fillEsym(&ws.suf, w, n, true)
	all := pre.at(len(w), n)
	ws.out = resized(ws.out, len(d.w))
	out := ws.out
	j := 0
	for i, x := range d.w {
		if math.IsInf(x, 1) {
			out[i] = 1
			continue
		}
		loo := 0.0
		for k := 0; k < n; k++ {
			loo += pre.at(j, k) * suf.at(j+1, n-1-k)
		}
		out[i] = x * loo / all
		j++
	}
	return out
}

// appendFinite appends the finite weights to w, in order.
func (d design) appendFinite(w []float64) []float64 {
	for _, x := range d.w {
		if !math.IsInf(x, 1) {
			w = append(w, x)
		}
	}
	return w
}

// resized returns s with length n, reusing its array when large enough;
// the elements are left as they were.
func resized(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// esym holds e_k of the first i weights (or, reversed, of the weights
// from i on), for k up to n.
type esym struct {
	n int
	v []float64 // v[i*(n+1)+k]
}

func (t esym) at(i, k int) float64 { return t.v[i*(t.n+1)+k] }

func newEsym(w []float64, n int, reversed bool) esym {
	var buf []float64
	return fillEsym(&buf, w, n, reversed)
}

// fillEsym is newEsym in *buf, grown when too small.
func fillEsym(buf *[]float64, w []float64, n int, reversed bool) esym {
	*buf = resized(*buf, (len(w)+1)*(n+1))
	clear(*buf)
	t := esym{n: n, v: *buf}
	row := func(i int) []float64 { return t.v[i*(n+1) : (i+1)*(n+1)] }
	if !reversed {
		row(0)[0] = 1
		for i, x := range w {
			prev, cur := row(i), row(i+1)
			cur[0] = prev[0]
			for k := 1; k <= n; k++ {
				cur[k] = prev[k] + x*prev[k-1]
			}
		}
		return t
	}
	row(len(w))[0] = 1
	for i := len(w) - 1; i >= 0; i-- {
		next, cur := row(i+1), row(i)
		cur[0] = next[0]
		for k := 1; k <= n; k++ {
			cur[k] = next[k] + w[i]*next[k-1]
		}
	}
	return t
}

// drawWith draws a set holding value must from the design conditioned on
// holding it: the certain values, must, and the rest drawn one value at a
// time with the probability that the product form gives it.
func (d design) drawWith(must int, rng *rand.Rand) []int {
	set := []int{must}
	var rest []int
	for i, w := range d.w {
		switch {
		case i == must:
		case math.IsInf(w, 1):
			set = append(set, i)
		default:
			rest = append(rest, i)
		}
	}
	need := d.size - len(set)
	w := make([]float64, len(rest))
	for j, i := range rest {
		w[j] = d.w[i]
	}
	suf := newEsym(w, need, true)
	for j := 0; j < len(rest) && need > 0; j++ {
		if rng.Float64()*suf.at(j, need) < w[j]*suf.at(j+1, need-1) {
			set = append(set, rest[j])
			need--
		}
	}
	return set
}
