package faq

import (
	"math"
	"slices"

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
	features(text,
		func(k []byte) { words = append(words, string(k)) },
		func(k []byte) { chars = append(chars, string(k)) })
	return words, chars
}

// features calls word with each word feature of text ("w:" a stem, "b:"
// two stems in a row) and char with each character n-gram ("c:" and 3 to
// 5 bytes of a word padded with spaces), in order. The key is a buffer
// reused between calls: looking it up in a map does not allocate, keeping
// it needs a copy. Training and classifying both read features here.
func features(text string, word, char func(key []byte)) {
	toks := normalize(text)
	buf := make([]byte, 0, 64)
	prev := ""
	for i, t := range toks {
		stem := spanish.Stem(t, false)
		buf = append(append(buf[:0], "w:"...), stem...)
		word(buf)
		if i > 0 {
			buf = append(append(append(append(buf[:0], "b:"...), prev...), '_'), stem...)
			word(buf)
		}
		prev = stem
	}
	pad := make([]byte, 0, 32)
	for _, t := range toks {
		pad = append(append(append(pad[:0], ' '), t...), ' ')
		if len(pad) < minGram+1 { // a one-letter word says little by its letters
			continue
		}
		for n := minGram; n <= maxGram; n++ {
			for i := 0; i+n <= len(pad); i++ {
				buf = append(append(buf[:0], "c:"...), pad[i:i+n]...)
				char(buf)
			}
		}
	}
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

// vector reads text's features, weighs each block by sublinear tf·idf,
// scales it to unit length times its block weight, and drops features
// unknown to the vocabulary.
func (v *vocab) vector(text string) sparse {
	var words, chars []int32
	features(text,
		func(k []byte) {
			if i, ok := v.index[string(k)]; ok {
				words = append(words, i)
			}
		},
		func(k []byte) {
			if i, ok := v.index[string(k)]; ok {
				chars = append(chars, i)
			}
		})
	s := sparse{idx: make([]int32, 0, len(words)+len(chars)), val: make([]float64, 0, len(words)+len(chars))}
	v.addBlock(&s, words, wordWeight)
	v.addBlock(&s, chars, charWeight)
	return s
}

// addBlock adds one block of feature indices: each distinct index once,
// with its count, in index order.
func (v *vocab) addBlock(s *sparse, block []int32, weight float64) {
	slices.Sort(block)
	start := len(s.val)
	var norm float64
	for i := 0; i < len(block); {
		j := i
		for j < len(block) && block[j] == block[i] {
			j++
		}
		x := (1 + math.Log(float64(j-i))) * v.idf[block[i]]
		s.idx = append(s.idx, block[i])
		s.val = append(s.val, x)
		norm += x * x
		i = j
	}
	if norm == 0 {
		return
	}
	scale := weight / math.Sqrt(norm)
	for k := start; k < len(s.val); k++ {
		s.val[k] *= scale
	}
}
