package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stdinWith is a file holding text, as standard input.
func stdinWith(t *testing.T, text string) *os.File {
	t.Helper()
	p := filepath.Join(t.TempDir(), "stdin")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestAgentCommands(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	ctx := context.Background()
	tests := []struct {
		name    string
		args    []string
		stdin   string
		wantErr bool
		wantOut string
	}{
		{"add", []string{"add", "ana", "--database-url", db}, "secreto-largo-1\nsecreto-largo-1\n", false, "added agent ana"},
		{"add twice", []string{"add", "ana", "--database-url", db}, "secreto-largo-1\n", true, ""},
		{"confirmation differs", []string{"add", "beto", "--database-url", db}, "secreto-largo-1\notro-secreto-2\n", true, ""},
		{"too short", []string{"add", "beto", "--database-url", db}, "corta\n", true, ""},
		{"add one line", []string{"add", "carla", "--database-url", db}, "secreto-largo-3", false, "added agent carla"},
		{"add a supervisor", []string{"add", "sara", "--role", "supervisor", "--database-url", db}, "secreto-largo-4", false, "added agent sara"},
		{"unknown role", []string{"add", "teo", "--role", "jefe", "--database-url", db}, "secreto-largo-5", true, ""},
		{"role outside add", []string{"list", "--role", "supervisor", "--database-url", db}, "", true, ""},
		{"list", []string{"list", "--database-url", db}, "", false, "ana\ncarla\nsara (supervisor)\n"},
		{"remove", []string{"remove", "ana", "--database-url", db}, "", false, "removed agent ana"},
		{"remove unknown", []string{"remove", "ana", "--database-url", db}, "", true, ""},
		// The desk's sign-in form takes "Dora" for dora: the commands read
		// a name the same way, as an operator types it.
		{"add with capitals", []string{"add", "Dora", "--database-url", db}, "secreto-largo-6", false, "added agent dora\n"},
		{"listed as signed in", []string{"list", "--database-url", db}, "", false, "carla\ndora\nsara (supervisor)\n"},
		{"remove with capitals", []string{"remove", "DORA", "--database-url", db}, "", false, "removed agent dora\n"},
		{"usage", []string{"add", "--database-url", db}, "", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := runMain(ctx, append([]string{"agent"}, tt.args...), stdinWith(t, tt.stdin), &out, &errb)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Fatalf("out %q, want %q", out.String(), tt.wantOut)
			}
			if strings.Contains(out.String()+errb.String(), "secreto") {
				t.Fatal("the password was printed")
			}
		})
	}
}

// An agent command's refusal is one line on standard error that says it
// is clavebot's, as every other command's: "no agent named nadie" alone
// read like a shell's or another tool's complaint (a contract probe).
func TestAgentRefusalsNameClavebot(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	tests := []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"remove unknown", "", []string{"agent", "remove", "nadie"}, "clavebot: agent remove: no agent named nadie\n"},
		{"confirmation differs", "secreto-largo-1\notro-secreto-2\n", []string{"agent", "add", "beto"}, "clavebot: agent add: the confirmation line differs from the password\n"},
		{"name refused", "secreto-largo-1\n", []string{"agent", "add", "josé"}, "clavebot: agent add: name \"josé\": "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, tt.stdin, append(tt.args, "--database-url", db, "--log-level", "error")...)
			if code != 1 || out != "" || !strings.HasPrefix(errs, tt.want) {
				t.Fatalf("status %d, stdout %q, stderr %q; want 1, nothing, %q", code, out, errs, tt.want)
			}
		})
	}
}
