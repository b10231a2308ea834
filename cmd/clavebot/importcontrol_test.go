package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// A name holding a control character ("Mar\u0000ía", a byte a broken
// export left) is a bad line naming its field, and nothing is imported:
// SQLite stored it, a name no one can type, and PostgreSQL refused the
// whole file with its own words ("pq: invalid byte sequence for encoding
// UTF8: 0x00"), no line and no field (a contract probe of registry
// import).
func TestImportRefusesControlCharacters(t *testing.T) {
	base := map[string]any{"cuil": "20-31456789-8", "dni": "31456789", "first_names": "María", "last_names": "Gómez",
		"birth_date": "1985-03-14", "dni_issue_date": "2017-08-22", "birth_province": "Córdoba"}
	tests := []struct{ field, path, value string }{
		{"first_names", "first_names", "Mar\u0000ía"},
		{"last_names", "last_names", "Gó\u0007mez"},
		{"social_name", "social_name", "Cami\u001bla"},
		{"employers", "employers[0].name", "Panificadora\u0000 SRL"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec := map[string]any{}
			for k, v := range base {
				rec[k] = v
			}
			if tt.field == "employers" {
				rec["employers"] = []map[string]string{{"name": tt.value, "cuit": "30-70812345-1", "from": "2006-02", "to": ""}}
			} else {
				rec[tt.field] = tt.value
			}
			b, _ := json.Marshal(rec)
			url := "sqlite:" + filepath.Join(t.TempDir(), "registry.db")
			code, out, errs := runCLI(t, string(b)+"\n", "registry", "import", "--database-url", url, "-")
			if want := "clavebot: import: line 1: field " + tt.path + ": "; code != 1 || out != "" || !strings.Contains("\n"+errs, "\n"+want) {
				t.Fatalf("status %d, stdout %q, stderr %q; want 1 and %q", code, out, errs, want)
			}
			code, out, _ = runCLI(t, "x\n", "key", "verify", "--database-url", url, "--cuil", "20-31456789-8")
			if code != 2 || strings.TrimSpace(out) != "unknown" {
				t.Fatalf("the citizen was imported: %d %q", code, out)
			}
		})
	}
}
