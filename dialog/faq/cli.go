package faq

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
)

// Line is one answer of `clavebot faq classify` (CONTRACT §6).
type Line struct {
	Text   string  `json:"text"`
	Intent string  `json:"intent"`
	Score  float64 `json:"score"`
}

// ClassifyLines reads one question a line from r and writes, for each,
// its best intent as a JSON line to w (None when out of scope).
func ClassifyLines(clf *Classifier, r io.Reader, w io.Writer) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for sc.Scan() {
		text := strings.TrimSuffix(sc.Text(), "\r")
		g := clf.Classify(text)[0]
		score := math.Round(g.Score*1e4) / 1e4
		if err := enc.Encode(Line{Text: text, Intent: g.Intent, Score: score}); err != nil {
			return fmt.Errorf("faq classify: write: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("faq classify: read: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("faq classify: write: %w", err)
	}
	return nil
}

// Export writes every training example as a JSON line
// {"intent":"<id>","text":"..."}.
func Export(w io.Writer) error {
	exs, err := loadExamples()
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, ex := range exs {
		if err := enc.Encode(ex); err != nil {
			return fmt.Errorf("faq export: write: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("faq export: write: %w", err)
	}
	return nil
}
