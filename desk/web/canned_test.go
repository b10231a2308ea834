package web

import (
	"strings"
	"testing"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

func TestCannedAnswersHaveNoPlaceholdersLeft(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range cat.Langs() {
		canned := cannedAnswers(cat, lang, registry.DefaultPolicy().MessageArgs())
		if len(canned) < 15 {
			t.Fatalf("%s: %d canned answers", lang, len(canned))
		}
		for _, c := range canned {
			if strings.ContainsAny(c.Text, "{}") {
				t.Errorf("%s %s: %q", lang, c.Intent, c.Text)
			}
		}
	}
}
