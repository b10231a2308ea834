package faq

import (
	"math"
	"math/rand/v2"
)

// model is a multinomial logistic regression over sparse features,
// weights laid out feature-major so one feature's class weights sit
// together.
type model struct {
	k int
	w []float64 // w[f*k+c]
	b []float64
}

// trainConfig holds the optimizer's settings. They were chosen by
// cross-validation on the training examples (see calibrate_test.go).
type trainConfig struct {
	epochs int
	rate   float64 // initial learning rate
	decay  float64 // rate_e = rate / (1 + decay·e)
	shrink float64 // L2: weights scaled by 1 - rate_e·shrink after each epoch
	seed   uint64  // example order; fixed, so training is deterministic
}

var defaultTrain = trainConfig{epochs: 20, rate: 1.0, decay: 0.2, shrink: 0.01, seed: 20240917}

// train fits the model by stochastic gradient descent on the log loss.
func train(xs []sparse, ys []int, k, nfeat int, cfg trainConfig) *model {
	m := &model{k: k, w: make([]float64, nfeat*k), b: make([]float64, k)}
	rng := rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9e3779b97f4a7c15))
	p := make([]float64, k)
	for e := 0; e < cfg.epochs; e++ {
		lr := cfg.rate / (1 + cfg.decay*float64(e))
		for _, i := range rng.Perm(len(xs)) {
			m.step(xs[i], ys[i], lr, p)
		}
		m.scale(1 - lr*cfg.shrink)
	}
	return m
}

func (m *model) step(x sparse, y int, lr float64, p []float64) {
	m.probs(x, 1, p)
	p[y]--
	for j, f := range x.idx {
		row := m.w[int(f)*m.k : int(f)*m.k+m.k]
		g := lr * x.val[j]
		for c := range row {
			row[c] -= g * p[c]
		}
	}
	for c := range m.b {
		m.b[c] -= lr * p[c]
	}
}

func (m *model) scale(s float64) {
	for i := range m.w {
		m.w[i] *= s
	}
}

// probs writes softmax(logits/temp) into p.
func (m *model) probs(x sparse, temp float64, p []float64) {
	copy(p, m.b)
	for j, f := range x.idx {
		row := m.w[int(f)*m.k : int(f)*m.k+m.k]
		v := x.val[j]
		for c, w := range row {
			p[c] += v * w
		}
	}
	softmax(p, temp)
}

func softmax(z []float64, temp float64) {
	mx := math.Inf(-1)
	for _, v := range z {
		mx = math.Max(mx, v)
	}
	var sum float64
	for i, v := range z {
		z[i] = math.Exp((v - mx) / temp)
		sum += z[i]
	}
	for i := range z {
		z[i] /= sum
	}
}
