package main

import (
	"context"
	"io"

	"github.com/clavebot/clavebot/dialog/faq"
)

// cmdFAQClassify classifies each standard-input line (CONTRACT §6).
func cmdFAQClassify(_ context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, _ := newFlags("faq classify", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	clf, err := faq.New()
	if err != nil {
		return err
	}
	return faq.ClassifyLines(clf, stdin, stdout)
}

// cmdFAQExport prints every training example.
func cmdFAQExport(args []string, stdout, stderr io.Writer) error {
	fs, _ := newFlags("faq export", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	return faq.Export(stdout)
}
