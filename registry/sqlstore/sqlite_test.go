package sqlstore

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSQLite(t *testing.T) {
	testStore(t, func(t *testing.T) string {
		return "sqlite:" + filepath.Join(t.TempDir(), "data", "registry.db")
	})
}

func TestSQLiteCreatesDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "registry.db")
	d := openStore(t, "sqlite:"+path)
	if d.Dialect() != SQLite {
		t.Errorf("Dialect = %q", d.Dialect())
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("no database file: %v", err)
	}
}
