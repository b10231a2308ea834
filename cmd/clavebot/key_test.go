package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/registry"
)

// TestKeyVerifyExitCodes: key verify answers as CONTRACT §4 says, through
// the same lock as the portal: 0 ok, 1 wrong, 2 unknown, 3 locked.
func TestKeyVerifyExitCodes(t *testing.T) {
	url := testDB(t)
	cfg := &config{DatabaseURL: url}
	db, reg, err := openRegistry(context.Background(), cfg, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	phc, err := reg.HashKey(context.Background(), "Mate2025amargo")
	if err == nil {
		err = reg.SetKey(context.Background(), "20314567898", phc, registry.ActionKeyCreated, "test")
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	verify := func(cuil, key, source string) (int, string) {
		code, out, _ := runCLI(t, key+"\n", "key", "verify", "--database-url", url, "--cuil", cuil, "--source", source)
		return code, strings.TrimSpace(out)
	}
	steps := []struct {
		cuil, key, source string
		code              int
		out               string
	}{
		{"20-31456789-8", "Mate2025amargo", "home", 0, "ok"},
		// The byte-order mark a Windows pipe or file begins with is not
		// part of the key: it was compared and counted as wrong.
		{"20-31456789-8", "\ufeffMate2025amargo", "home", 0, "ok"},
		// No key piped: an error, nothing on standard output, nothing
		// counted (five of them took part in a lock before).
		{"20-31456789-8", "", "", 1, ""},
		{"20-31456789-8", "", "", 1, ""},
		{"20-40111222-8", "Mate2025amargo", "", 2, "unknown"},
		{"bad", "Mate2025amargo", "", 2, "unknown"},
		{"20-31456789-8", "Otra2025clave", "", 1, "wrong"},
		{"20-31456789-8", "Otra2025clave", "", 1, "wrong"},
		{"20-31456789-8", "Otra2025clave", "", 1, "wrong"},
		{"20-31456789-8", "Otra2025clave", "", 1, "wrong"},
		{"20-31456789-8", "Otra2025clave", "", 3, "locked until"},
		{"20-31456789-8", "Mate2025amargo", "", 3, "locked until"},
		{"20-31456789-8", "Mate2025amargo", "elsewhere", 3, "locked until"},
		{"20-31456789-8", "Mate2025amargo", "home", 0, "ok"}, // the citizen's own device
	}
	for i, s := range steps {
		if code, out := verify(s.cuil, s.key, s.source); code != s.code || !strings.HasPrefix(out, s.out) || s.out == "" && out != "" {
			t.Fatalf("step %d: exit %d %q, want %d %q", i, code, out, s.code, s.out)
		}
	}
}
