package faq

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/clavebot/clavebot/i18n"
)

// links finds anything that looks like an address.
var links = regexp.MustCompile(`(?i)(https?://|www\.)\S+|\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|ar|net|org|gob|gov|io)\b`)

func TestCatalogHasEveryIntent(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []i18n.Lang{i18n.ES, i18n.EN} {
		p := cat.Printer(lang)
		for _, in := range Intents() {
			t.Run(string(lang)+"/"+in, func(t *testing.T) {
				checkAnswer(t, cat, p, in)
				if in != None {
					checkTopic(t, cat, p, in)
				}
			})
		}
	}
}

func checkAnswer(t *testing.T, cat *i18n.Catalog, p *i18n.Printer, in string) {
	k := i18n.Key("faq.answer." + in)
	if !cat.Has(p.Lang(), k) {
		t.Fatalf("missing %s", k)
	}
	text := p.Sprint(i18n.M(k))
	if n := utf8.RuneCountInString(text); n > 320 {
		t.Errorf("%s is %d characters: too long for a phone", k, n)
	}
	for _, l := range links.FindAllString(text, -1) {
		if !strings.HasSuffix(strings.ToLower(l), "anses.gob.ar") {
			t.Errorf("%s links to %q: only anses.gob.ar is allowed", k, l)
		}
	}
}

func checkTopic(t *testing.T, cat *i18n.Catalog, p *i18n.Printer, in string) {
	k := i18n.Key("faq.topic." + in)
	if !cat.Has(p.Lang(), k) {
		t.Fatalf("missing %s", k)
	}
	if n := utf8.RuneCountInString(p.Sprint(i18n.M(k))); n > 24 {
		t.Errorf("%s is %d characters, a list row holds 24", k, n)
	}
}
