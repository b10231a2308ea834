package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Flags may follow the positional arguments, or come before the command
// (`clavebot --lang en chat`: that was the bare usage, no word of why), and an argument a command
// does not take is a usage error (exit status 2). Go's flag package stops
// at the first positional: `registry import FILE --database-url X` was a
// usage error, and `agent add nico extra words` created nico, the rest
// dropped.
func TestFlagsAfterArguments(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	data, err := os.ReadFile("../../dialog/testdata/citizens.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "citizens.jsonl")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	const pw = "secreto-largo-1\n"
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		out         string // what stdout holds; for status 2, what stderr holds
	}{
		{"import, flags after the file", "", []string{"registry", "import", file, "--database-url", db}, 0, "imported 3 citizens"},
		{"import, flags on both sides", "", []string{"registry", "import", "--log-level", "error", file, "--database-url", db}, 0, "imported 3 citizens"},
		{"import from stdin, flags after", string(data), []string{"registry", "import", "-", "--database-url", db}, 0, "imported 3 citizens"},
		{"import, -- ends the flags", string(data), []string{"registry", "import", "--database-url", db, "--", "-"}, 0, "imported 3 citizens"},
		{"import, two files", "", []string{"registry", "import", file, file, "--database-url", db}, 2, `unexpected argument "` + file + `"`},
		{"import, no file", "", []string{"registry", "import", "--database-url", db}, 2, "usage: clavebot registry import FILE"},
		{"agent add, extra words", pw, []string{"agent", "add", "ana", "extra", "words", "--database-url", db}, 2, `unexpected argument "extra"`},
		{"agent add, flags after the name", pw, []string{"agent", "add", "nico", "--database-url", db, "--role", "supervisor"}, 0, "added agent nico"},
		{"agent list, an argument", "", []string{"agent", "list", "ana", "--database-url", db}, 2, `unexpected argument "ana"`},
		{"agent list", "", []string{"agent", "list", "--database-url", db}, 0, "nico (supervisor)\n"},
		{"agent remove, two names", "", []string{"agent", "remove", "nico", "ana", "--database-url", db}, 2, `unexpected argument "ana"`},
		{"agent remove, flags after the name", "", []string{"agent", "remove", "nico", "--database-url", db}, 0, "removed agent nico"},
		{"key verify, an argument", "x\n", []string{"key", "verify", "20314567898", "--database-url", db}, 2, `unexpected argument "20314567898"`},
		// Without --cuil there is no CUIL to call unknown: it said
		// "unknown" on standard output and "parse cuil: a CUIL has 11
		// digits", as if the flag had been given wrong (a contract probe).
		{"key verify, no --cuil", "x\n", []string{"key", "verify", "--database-url", db}, 2, "usage: clavebot key verify --cuil CUIL"},
		{"chat, an argument", "", []string{"chat", "hola", "--database-url", db}, 2, `unexpected argument "hola"`},
		{"registry migrate, an argument", "", []string{"registry", "migrate", "now", "--database-url", db}, 2, `unexpected argument "now"`},
		{"faq export, an argument", "", []string{"faq", "export", "all"}, 2, `unexpected argument "all"`},
		{"retention, an argument", "", []string{"retention", "30d", "--database-url", db}, 2, `unexpected argument "30d"`},
		{"flags before the command", "", []string{"--database-url", db, "registry", "import", file}, 0, "imported 3 citizens"},
		{"flags before and after the command", "hola\n", []string{"--lang=es", "faq", "classify", "--log-level", "error"}, 0, `"intent":"greeting"`},
		{"a flag before no command", "", []string{"--database-url", db}, 2, "usage: clavebot <command>"},
		{"an unknown command", "", []string{"imprt", "citizens.jsonl"}, 2, `unknown command "imprt"`},
		{"an unknown subcommand", "", []string{"registry", "load", file}, 2, `unknown command "registry load"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, tt.stdin, tt.args...)
			got := out
			if tt.code == 2 {
				got = errs
			}
			if code != tt.code || !strings.Contains(got, tt.out) {
				t.Fatalf("%v: status %d, stdout %q, stderr %q; want %d and %q", tt.args, code, out, errs, tt.code, tt.out)
			}
			if tt.code == 2 && out != "" {
				t.Fatalf("%v: a usage error wrote %q on standard output", tt.args, out)
			}
		})
	}
}

// Every command is found after flags written before it, by its words
// (one list, commands, holds them): `clavebot --lang es registry import`
// is `clavebot registry import --lang es`.
func TestEveryCommandFollowsFlagsBeforeIt(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			words := strings.Fields(c.name)
			if c.ownsSub {
				words = append(words, "list")
			}
			args := append([]string{"--lang", "es"}, append(words, "x")...)
			got := commandFirst(args)
			want := append(append(append([]string{}, words...), "--lang", "es"), "x")
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Fatalf("commandFirst(%q) = %q, want %q", args, got, want)
			}
			if _, n, ok := commandOf(got); !ok || n != len(strings.Fields(c.name)) {
				t.Fatalf("commandOf(%q) = %d words, %v", got, n, ok)
			}
		})
	}
}
