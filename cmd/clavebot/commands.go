package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// command is one of clavebot's commands.
type command struct {
	name string // its words: "chat", "registry import"
	// ownsSub: its second word is its parser's to read (agent add, list,
	// remove, named by agentUsage), yet it moves with the first when flags
	// come before the command.
	ownsSub bool
	parse   func(m *Main, args []string) error // its flags and arguments, after its words
	run     func(m *Main, ctx context.Context) error
}

// commands is the one list of clavebot's commands that ParseFlags parses
// by, commandFirst finds a command after flags by and Run runs by: a
// command added here is all three. (It was a switch in ParseFlags, another
// in Run and a map of first words beside them, to keep in step by hand.)
func commands() []command {
	return []command{
		{name: "chat", parse: (*Main).parseChat, run: (*Main).runChat},
		{name: "serve", parse: (*Main).parseServe, run: (*Main).runServe},
		{name: "registry import", parse: (*Main).parseImport, run: (*Main).runImport},
		{name: "registry migrate", parse: (*Main).parseMigrate, run: (*Main).runMigrate},
		{name: "key verify", parse: (*Main).parseVerify, run: (*Main).runVerify},
		{name: "faq classify", parse: parseFAQ("faq classify"), run: func(m *Main, _ context.Context) error { return m.runFAQClassify() }},
		{name: "faq export", parse: parseFAQ("faq export"), run: func(m *Main, _ context.Context) error { return m.runFAQExport() }},
		{name: "agent", ownsSub: true, parse: (*Main).parseAgent, run: (*Main).runAgent},
		{name: "retention", parse: (*Main).parseRetention, run: (*Main).runRetention},
		{name: "loadtest", parse: (*Main).parseLoadtest, run: (*Main).runLoadtest},
		{name: "help", parse: func(*Main, []string) error { return nil }, run: func(m *Main, _ context.Context) error {
			_, err := fmt.Fprintln(m.stdout, usage)
			return err
		}},
	}
}

func parseFAQ(name string) func(*Main, []string) error {
	return func(m *Main, args []string) error { return m.parseFAQ(name, args) }
}

// commandOf returns the command args begin with and how many of args name
// it; false when they name none.
func commandOf(args []string) (command, int, bool) {
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && slices.Equal(args[:len(words)], words) {
			return c, len(words), true
		}
	}
	return command{}, 0, false
}

// firstWord reports whether w begins a command, and whether the command
// is named by two words ("registry import", "agent add").
func firstWord(w string) (isFirst, twoWords bool) {
	for _, c := range commands() {
		first, rest, two := strings.Cut(c.name, " ")
		if first == w {
			isFirst = true
			twoWords = twoWords || two && rest != "" || c.ownsSub
		}
	}
	return isFirst, twoWords
}

// commandNamed returns the command m.Command names.
func commandNamed(name string) (command, bool) {
	i := slices.IndexFunc(commands(), func(c command) bool { return c.name == name })
	if i < 0 {
		return command{}, false
	}
	return commands()[i], true
}
