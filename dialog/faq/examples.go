package faq

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"slices"
	"strings"
)

// The training examples: data/train/<intent>.txt, one message a line;
// blank lines and lines starting with # are skipped.
//
//go:embed data/train/*.txt
var trainFS embed.FS

// Example is one training message and the intent it means.
type Example struct {
	Intent string `json:"intent"`
	Text   string `json:"text"`
}

// Examples returns every training example, intent by intent in the order
// of Intents.
func Examples() []Example {
	exs, err := loadExamples()
	if err != nil { // the files are embedded: a test proves they load
		panic(err)
	}
	return exs
}

func loadExamples() ([]Example, error) {
	var exs []Example
	for _, in := range intents {
		data, err := trainFS.ReadFile("data/train/" + in + ".txt")
		if err != nil {
			return nil, fmt.Errorf("faq: training examples of %s: %w", in, err)
		}
		exs = append(exs, parseLines(in, data)...)
	}
	return exs, nil
}

func parseLines(intent string, data []byte) []Example {
	var exs []Example
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		exs = append(exs, Example{Intent: intent, Text: line})
	}
	return slices.Clip(exs)
}
