package faq

import (
	"math"

	"github.com/kljensen/snowball/spanish"
)

// Feature blocks. Words carry meaning ("para que sirve"); character
// n-grams inside each word carry the typos the spelling table misses.
const (
	wordWeight = 1.0
	charWeight = 1.5
	minGram    = 3
	maxGram    = 5
)

// terms returns the raw features of a message: stemmed words and word
// pairs, then the character 3- to 5-grams of each padded word.
func terms(text string) (words, chars []string) {
	toks := normalize(text)
	stems := make([]string, len(toks))
	for i, t := range toks {
		stems[i] = spanish.Stem(t, false)
		words = append(words, "w:"+stems[i])
		if i > 0 {
			words = append(words, "b:"+stems[i-1]+"_"+stems[i])
		}
	}
	for _, t := range toks {
		chars = appendGrams(chars, " "+t+" ")
	}
	return words, chars
}

func appendGrams(out []string, w string) []string {
	if len(w) < minGram+1 { // a one-letter word says little by its letters
		return out
	}
	for n := minGram; n <= maxGram; n++ {
		for i := 0; i+n <= len(w); i++ {
			out = append(out, "c:"+w[i:i+n])
		}
	}
	return out
}

// vocab numbers the features seen in training and keeps their inverse
// document frequencies.
type vocab struct {
	index map[string]int32
	idf   []float64
}

func buildVocab(docs [][2][]string) *vocab {
	v := &vocab{index: map[string]int32{}}
	var df []int
	for _, d := range docs {
		seen := map[int32]bool{}
		for _, block := range d {
			for _, t := range block {
				i, ok := v.index[t]
				if !ok {
					i = int32(len(df))
					v.index[t] = i
					df = append(df, 0)
				}
				if !seen[i] {
					seen[i] = true
					df[i]++
				}
			}
		}
	}
	n := float64(len(docs))
	v.idf = make([]float64, len(df))
	for i, c := range df {
		v.idf[i] = math.Log((1+n)/(1+float64(c))) + 1
	}
	return v
}

// sparse is a feature vector: indices and values.
type sparse struct {
	idx []int32
	val []float64
}

// vector weighs each block by sublinear tf·idf, scales it to unit length
// times its block weight, and drops features unknown to the vocabulary.
func (v *vocab) vector(words, chars []string) sparse {
	var s sparse
	v.addBlock(&s, words, wordWeight)
	v.addBlock(&s, chars, charWeight)
	return s
}

func (v *vocab) addBlock(s *sparse, block []string, weight float64) {
	counts := map[int32]int{}
	var order []int32
	for _, t := range block {
		i, ok := v.index[t]
		if !ok {
			continue
		}
		if counts[i] == 0 {
			order = append(order, i)
		}
		counts[i]++
	}
	start := len(s.val)
	var norm float64
	for _, i := range order {
		x := (1 + math.Log(float64(counts[i]))) * v.idf[i]
		s.idx = append(s.idx, i)
		s.val = append(s.val, x)
		norm += x * x
	}
	if norm == 0 {
		return
	}
	scale := weight / math.Sqrt(norm)
	for k := start; k < len(s.val); k++ {
		s.val[k] *= scale
	}
}
