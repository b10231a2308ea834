package main

import (
	"github.com/clavebot/clavebot/dialog/faq"
)

// parseFAQ reads the flags of faq classify and faq export: the common
// ones, which they do not use.
func (m *Main) parseFAQ(name string, args []string) error {
	fs, cfg := newFlags(name, m.stderr)
	if _, err := parse(fs, args, noArgs); err != nil {
		return err
	}
	m.Config = *cfg
	return nil
}

// runFAQClassify classifies each standard-input line (CONTRACT §6).
func (m *Main) runFAQClassify() error {
	clf, err := newClassifier()
	if err != nil {
		return err
	}
	return faq.ClassifyLines(clf, m.stdin, m.stdout)
}

// runFAQExport prints every training example.
func (m *Main) runFAQExport() error { return faq.Export(m.stdout) }
