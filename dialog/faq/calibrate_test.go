package faq

import (
	"math"
	"slices"
	"testing"
)

// folds splits the training examples into k interleaved folds, so every
// fold holds every intent.
func folds(exs []Example, k int) [][]Example {
	out := make([][]Example, k)
	for i, ex := range exs {
		out[i%k] = append(out[i%k], ex)
	}
	return out
}

// oof trains on k-1 folds and predicts the held-back one, for every fold:
// out-of-fold probabilities of the training examples, at temperature 1.
func oof(t testing.TB, cfg trainConfig, k int) ([][]float64, []int) {
	t.Helper()
	exs, err := loadExamples()
	if err != nil {
		t.Fatal(err)
	}
	fs := folds(exs, k)
	var ps [][]float64
	var ys []int
	for i := range fs {
		var tr []Example
		for j := range fs {
			if j != i {
				tr = append(tr, fs[j]...)
			}
		}
		c := build(tr, cfg, 1)
		for _, ex := range fs[i] {
			p := c.probs(ex.Text)
			if p == nil {
				p = make([]float64, len(intents))
				p[len(intents)-1] = 1
			}
			ps = append(ps, p)
			ys = append(ys, slices.Index(intents, ex.Intent))
		}
	}
	return ps, ys
}

func argmax(p []float64) int {
	best := 0
	for i, v := range p {
		if v > p[best] {
			best = i
		}
	}
	return best
}

// nll is the mean negative log-likelihood of probabilities computed at
// temperature 1, rescaled to temperature temp.
func nll(ps [][]float64, ys []int, temp float64) float64 {
	var sum float64
	q := make([]float64, len(intents))
	for i, p := range ps {
		for c, v := range p {
			q[c] = math.Log(math.Max(v, 1e-300))
		}
		softmax(q, temp)
		sum -= math.Log(math.Max(q[ys[i]], 1e-300))
	}
	return sum / float64(len(ps))
}

// TestTemperature fits the softmax temperature on 5-fold out-of-fold
// predictions of the training examples and checks the constant in faq.go
// is close to the fit; it logs cross-validated accuracy too.
func TestTemperature(t *testing.T) {
	if testing.Short() {
		t.Skip("trains five models")
	}
	ps, ys := oof(t, defaultTrain, 5)
	right := 0
	for i, p := range ps {
		if argmax(p) == ys[i] {
			right++
		}
	}
	best, bestNLL := 1.0, math.Inf(1)
	for temp := 0.3; temp <= 3.0; temp += 0.05 {
		if l := nll(ps, ys, temp); l < bestNLL {
			best, bestNLL = temp, l
		}
	}
	t.Logf("5-fold CV on %d training examples: accuracy %.3f, NLL %.3f at T=1, best T=%.2f (NLL %.3f)",
		len(ps), float64(right)/float64(len(ps)), nll(ps, ys, 1), best, bestNLL)
	if math.Abs(best-temperature) > 0.15 {
		t.Errorf("temperature constant %.2f, cross-validation fits %.2f: update faq.go", temperature, best)
	}
}

// TestThresholds shows, on 5-fold out-of-fold predictions of the training
// examples (calibrated with the temperature constant), what each candidate
// NoneThreshold does to accuracy and to the precision of none, and how
// often the AnswerThreshold answers and how often it is then right. The
// constants in faq.go were picked from this table, not from the held-out
// set.
func TestThresholds(t *testing.T) {
	if testing.Short() {
		t.Skip("trains five models")
	}
	ps, ys := oof(t, defaultTrain, 5)
	cal := make([][]float64, len(ps))
	for i, p := range ps {
		q := make([]float64, len(p))
		for c, v := range p {
			q[c] = math.Log(math.Max(v, 1e-300))
		}
		softmax(q, temperature)
		cal[i] = q
	}
	none := len(intents) - 1
	for _, th := range []float64{0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5} {
		right, tp, fp := 0, 0, 0
		for i, p := range cal {
			got := argmax(p)
			if got != none && p[got] < th {
				got = none
			}
			if got == ys[i] {
				right++
			}
			if got == none && ys[i] == none {
				tp++
			} else if got == none {
				fp++
			}
		}
		t.Logf("NoneThreshold %.2f: accuracy %.3f, none precision %.3f", th, ratio(right, len(cal)), ratio(tp, tp+fp))
	}
	answered, right := 0, 0
	for i, p := range cal {
		if got := argmax(p); got != none && p[got] >= AnswerThreshold {
			answered++
			if got == ys[i] {
				right++
			}
		}
	}
	t.Logf("AnswerThreshold %.2f: answers %.3f of all examples directly (in scope, score above it), right on %.3f of those",
		AnswerThreshold, ratio(answered, len(cal)), ratio(right, answered))
}
