package faq

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"slices"
	"strings"
)

// The training examples: data/train/<intent>.txt in Spanish and
// data/train/en/<intent>.txt in English, one message a line; blank lines
// and lines starting with # are skipped.
//
//go:embed data/train/*.txt data/train/en/*.txt
var trainFS embed.FS

// trainDirs holds one folder of examples per language the bot speaks;
// every intent has a file in each. One model serves both languages: the
// words barely overlap, so each language's examples teach its own
// features, while shared names (ANSES, CUIL, AFIP, password → clave)
// carry across.
var trainDirs = []string{"data/train", "data/train/en"}

// Example is one training message and the intent it means.
type Example struct {
	Intent string `json:"intent"`
	Text   string `json:"text"`
}

// Examples returns every training example, intent by intent in the order
// of Intents, each intent's Spanish examples before its English ones.
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
		for _, dir := range trainDirs {
			more, err := readExamples(dir, in)
			if err != nil {
				return nil, err
			}
			exs = append(exs, more...)
		}
	}
	return exs, nil
}

// readExamples reads the examples of one intent in one language folder.
func readExamples(dir, intent string) ([]Example, error) {
	data, err := trainFS.ReadFile(dir + "/" + intent + ".txt")
	if err != nil {
		return nil, fmt.Errorf("faq: training examples of %s in %s: %w", intent, dir, err)
	}
	return parseLines(intent, data), nil
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
