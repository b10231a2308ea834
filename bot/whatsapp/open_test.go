package whatsapp

import (
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/testenv"

	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	"github.com/clavebot/clavebot/bot/whatsapp/internal/wtest"
)

func sqliteDB(t *testing.T) *sql.DB {
	dsn := "file:" + filepath.Join(t.TempDir(), "wa.db") + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// postgresDB opens the test database in a schema of its own.
func postgresDB(t *testing.T) *sql.DB {
	url := testenv.Postgres(t)
	admin, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	schema := fmt.Sprintf("wa_test_%d", time.Now().UnixNano())
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	db, err := sql.Open("postgres", url+sep+"search_path="+schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestNewStoresSessionInDatabase(t *testing.T) {
	tests := []struct {
		dialect string
		open    func(*testing.T) *sql.DB
	}{
		{"sqlite", sqliteDB},
		{"postgres", postgresDB},
	}
	for _, tt := range tests {
		t.Run(tt.dialect, func(t *testing.T) {
			ctx := context.Background()
			db := tt.open(t)
			w, err := New(ctx, db, tt.dialect, wtest.Bot(t, &wtest.Engine{}), wtest.Quiet())
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			defer w.Close()
			var n int
			if err := db.QueryRow("SELECT COUNT(*) FROM whatsmeow_device").Scan(&n); err != nil {
				t.Fatalf("device table missing: %v", err)
			}
			dev, err := w.container.GetFirstDevice(ctx)
			if err != nil || dev.ID != nil {
				t.Fatalf("GetFirstDevice = %v, %v; want an unpaired device", dev, err)
			}
			// A second process (or a restart) finds the schema up to date.
			w2, err := New(ctx, db, tt.dialect, wtest.Bot(t, &wtest.Engine{}), wtest.Quiet())
			if err != nil {
				t.Fatalf("New again: %v", err)
			}
			w2.Close()
		})
	}
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name, dialect string
		kind          errs.Kind
	}{
		{"unknown dialect", "mysql", errs.Invalid},
		{"sqlite without foreign keys", "sqlite", errs.Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "x.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			_, err = New(context.Background(), db, tt.dialect, wtest.Bot(t, &wtest.Engine{}), wtest.Quiet())
			if !errs.Is(tt.kind, err) {
				t.Fatalf("New = %v, want kind %v", err, tt.kind)
			}
		})
	}
}

func TestRunNeedsStore(t *testing.T) {
	h := newHarness(t)
	defer h.w.Close()
	if err := h.w.Run(context.Background()); !errs.Is(errs.Invalid, err) {
		t.Fatalf("Run = %v, want invalid", err)
	}
}
