package sqlstore

import (
	"testing"
	"testing/fstest"
)

func countMigrations(t *testing.T, d *DB, set string) int {
	t.Helper()
	var n int
	err := d.DB().GetContext(t.Context(), &n, d.DB().Rebind(`SELECT count(*) FROM schema_migrations WHERE set_name = ?`), set)
	mustNotFail(t, err)
	return n
}

func testMigrateTwice(t *testing.T, url string) {
	d := openStore(t, url)
	want := countMigrations(t, d, "registry")
	if want == 0 {
		t.Fatal("no registry migration recorded")
	}
	mustNotFail(t, d.Migrate(t.Context()))
	d.Close()

	d = openStore(t, url)
	if got := countMigrations(t, d, "registry"); got != want {
		t.Errorf("after reopening, %d registry migrations recorded, want %d", got, want)
	}
}

func testExtraMigrations(t *testing.T, url string) {
	extra := fstest.MapFS{
		"postgres/0001_things.sql": {Data: []byte(`CREATE TABLE things (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);`)},
		"postgres/0002_more.sql":   {Data: []byte(`ALTER TABLE things ADD COLUMN more TEXT NOT NULL DEFAULT ''; CREATE INDEX things_name ON things (name);`)},
		"sqlite/0001_things.sql":   {Data: []byte(`CREATE TABLE things (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);`)},
		"sqlite/0002_more.sql":     {Data: []byte(`ALTER TABLE things ADD COLUMN more TEXT NOT NULL DEFAULT ''; CREATE INDEX things_name ON things (name);`)},
	}
	for range 2 { // the second Open finds both applied
		d := openStore(t, url, WithMigrations("things", extra))
		var id int64
		err := d.DB().GetContext(t.Context(), &id, d.DB().Rebind(`INSERT INTO things (name, more) VALUES (?, ?) RETURNING id`), "x", "y")
		mustNotFail(t, err)
		if got := countMigrations(t, d, "things"); got != 2 {
			t.Errorf("%d migrations of set things recorded, want 2", got)
		}
		d.Close()
	}
}

func TestLoadMigrationsRejectsBadNames(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
	}{
		{"no version", fstest.MapFS{"sqlite/init.sql": {}}},
		{"same version", fstest.MapFS{"sqlite/0001_a.sql": {}, "sqlite/1_b.sql": {}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := loadMigrations(tt.fsys, SQLite); err == nil {
				t.Error("loadMigrations accepted it")
			}
		})
	}
}

func TestLoadMigrationsOrdersByVersion(t *testing.T) {
	fsys := fstest.MapFS{
		"sqlite/0010_c.sql": {}, "sqlite/0002_b.sql": {}, "sqlite/0001_a.sql": {},
		"postgres/0003_x.sql": {},
	}
	ms, err := loadMigrations(fsys, SQLite)
	mustNotFail(t, err)
	var got []int
	for _, m := range ms {
		got = append(got, m.version)
	}
	if len(got) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 10 {
		t.Errorf("versions %v, want [1 2 10]", got)
	}
}
