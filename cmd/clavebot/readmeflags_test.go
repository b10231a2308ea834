package main

import (
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// flagDocs are where a flag is documented: the README, and the channels'
// own READMEs, where its Channels section sends the --telegram-* and
// --whatsapp-* flags.
var flagDocs = []string{"../../README.md", "../../bot/telegram/README.md", "../../bot/whatsapp/README.md"}

// Every flag a command takes is named in the documentation, and every flag
// the README's configuration table names is one a command takes: someone
// configuring or measuring the bot reads the README, not -h. Eight of
// loadtest's flags (--serves, --serve-flag, --seed, --timeout, ...) were
// named nowhere (a contract check).
func TestREADMENamesEveryFlag(t *testing.T) {
	var docs strings.Builder
	for _, p := range flagDocs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs.Write(b)
	}
	taken := map[string]bool{}
	for _, c := range commands() {
		if c.name == "help" {
			continue
		}
		args := strings.Fields(c.name)
		if c.ownsSub {
			args = append(args, "add", "NAME") // agent add has the --role of agent's flags
		}
		for _, f := range commandFlags(t, args) {
			taken[f] = true
			if !namesFlag(docs.String(), f) {
				t.Errorf("%s --%s is named nowhere in %v", c.name, f, flagDocs)
			}
		}
	}
	readme, err := os.ReadFile(flagDocs[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range configTableFlags(string(readme)) {
		if !taken[f] {
			t.Errorf("README's configuration table names --%s, which no command takes", f)
		}
	}
}

// commandFlags returns the flags -h lists for the command args name.
func commandFlags(t *testing.T, args []string) []string {
	t.Helper()
	var help strings.Builder
	if err := NewMain(nil, io.Discard, &help).ParseFlags(append(args, "-h")); err == nil {
		t.Fatalf("%v -h: no exit", args)
	}
	var flags []string
	for _, m := range regexp.MustCompile(`(?m)^\s+-([a-z0-9-]+)`).FindAllStringSubmatch(help.String(), -1) {
		flags = append(flags, m[1])
	}
	if len(flags) == 0 {
		t.Fatalf("%v -h listed no flags:\n%s", args, help.String())
	}
	return flags
}

// namesFlag reports whether docs name --f as a whole flag (not --f-more).
func namesFlag(docs, f string) bool {
	return regexp.MustCompile(`--` + regexp.QuoteMeta(f) + `([^a-z0-9-]|$)`).MatchString(docs)
}

// configTableFlags returns the flags named in the first cell of the rows
// of the README's configuration table, but for --telegram-* and
// --whatsapp-*, which stand for the channels' many.
func configTableFlags(readme string) []string {
	_, section, _ := strings.Cut(readme, "\n## Configuration\n")
	section, _, _ = strings.Cut(section, "\n## ")
	var flags []string
	for _, l := range strings.Split(section, "\n") {
		cells := strings.Split(l, "|")
		if !strings.HasPrefix(l, "|") || len(cells) < 3 {
			continue
		}
		for _, m := range regexp.MustCompile(`--([a-z][a-z0-9-]*)(\*)?`).FindAllStringSubmatch(cells[1], -1) {
			if m[2] == "" && !slices.Contains(flags, m[1]) {
				flags = append(flags, m[1])
			}
		}
	}
	return flags
}
