package deploy

import (
	"os"
	"regexp"
	"testing"
)

// Every link within deploy/README.md reaches one of its headings.
func TestReadmeLinks(t *testing.T) {
	doc, err := os.ReadFile(readmeFile)
	if err != nil {
		t.Fatal(err)
	}
	anchors := readmeAnchors(t)
	links := regexp.MustCompile(`\]\(#([^)]+)\)`).FindAllStringSubmatch(string(doc), -1)
	if len(links) == 0 {
		t.Fatal("no internal link found")
	}
	for _, l := range links {
		if !anchors[l[1]] {
			t.Errorf("link to #%s: no such heading", l[1])
		}
	}
}
