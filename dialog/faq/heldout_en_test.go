package faq

import (
	"testing"
)

// TestHeldOutEnglish measures the classifier on English messages written
// apart from the English training examples, WhatsApp shorthand among
// them ("pls", "r u", "thx"). The floors sit a little under what the
// classifier reaches (see the log), so a regression fails while the set
// stays untuned.
func TestHeldOutEnglish(t *testing.T) {
	clf := newClassifier(t)
	exs := loadHeldOutEN(t)
	s := score(exs, func(text string) string { return clf.Classify(text)[0].Intent })
	t.Logf("english n=%d accuracy=%.3f macro-F1=%.3f none precision=%.3f none recall=%.3f",
		s.n, s.accuracy(), s.macroF1(), s.precision(None), s.recall(None))
	holdFloors(t, clf, exs, s, 0.93, 0.85)
}

// A held-out set only measures something if its messages are not training
// examples in disguise: none may normalize to a training line.
func TestHeldOutApartFromTraining(t *testing.T) {
	train := map[string]bool{}
	for _, ex := range Examples() {
		train[key(ex.Text)] = true
	}
	for _, set := range []string{"testdata/heldout.jsonl", "testdata/heldout_en.jsonl"} {
		for _, ex := range loadHeldOutFile(t, set) {
			if train[key(ex.Text)] {
				t.Errorf("%s: held-out %q is a training example", set, ex.Text)
			}
		}
	}
}

// Every intent has English examples of its own, enough to learn from.
func TestEnglishExamplesCoverEveryIntent(t *testing.T) {
	for _, in := range Intents() {
		t.Run(in, func(t *testing.T) {
			exs, err := readExamples("data/train/en", in)
			if err != nil {
				t.Fatal(err)
			}
			min := 15
			if in == None {
				min = 60
			}
			if len(exs) < min {
				t.Errorf("%d English examples, want ≥ %d", len(exs), min)
			}
		})
	}
}
