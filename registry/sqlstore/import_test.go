package sqlstore

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/lib/pq"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/demo"
)

func testImportRoundTrip(t *testing.T, url string) {
	d := openStore(t, url)
	lines := []string{
		citizenLine(31456789, nil),
		"",
		citizenLine(28123456, func(m map[string]any) {
			m["first_names"], m["last_names"] = "José Ignacio", "Peña Ñúñez"
			m["social_name"], m["sex"], m["dni_tramite"] = "Josefina", "X", "00512345678"
			m["birth_province"] = "tierra del fuego"
			delete(m, "employers")
			delete(m, "benefits")
		}),
		"   ",
	}
	var progress []int
	n, err := d.Import(t.Context(), strings.NewReader(strings.Join(lines, "\n")), func(n int) { progress = append(progress, n) })
	mustNotFail(t, err)
	if want := (Imported{Citizens: 2}); n != want || !reflect.DeepEqual(progress, []int{2}) {
		t.Errorf("Import = %+v with progress %v, want %+v with [2]", n, progress, want)
	}
	for _, line := range []string{lines[0], lines[2]} {
		want := decode(t, line)
		got, err := d.Citizen(t.Context(), want.CUIL)
		mustNotFail(t, err)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Citizen(%s)\n got %+v\nwant %+v", want.CUIL, got, want)
		}
	}
}

func testImportUpsert(t *testing.T, url string) {
	d := openStore(t, url)
	cuil := cuilOf(31456789)
	importLines(t, d, citizenLine(31456789, nil), citizenLine(30111222, nil))
	ev := registry.AuditEvent{At: t0, CUIL: cuil, Action: registry.ActionKeyCreated, Channel: "cli"}
	mustNotFail(t, d.SaveKey(t.Context(), cuil, registry.KeySave{Hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"}, ev))

	changed := citizenLine(31456789, func(m map[string]any) {
		m["last_names"] = "Gómez"
		m["employers"] = []map[string]string{{"name": "Nueva SA", "cuit": "", "from": "2020-01", "to": ""}}
		delete(m, "benefits")
	})
	if n := importLines(t, d, changed); n != 1 {
		t.Errorf("Import = %d, want 1", n)
	}
	got, err := d.Citizen(t.Context(), cuil)
	mustNotFail(t, err)
	if want := decode(t, changed); !reflect.DeepEqual(got, want) {
		t.Errorf("after upsert\n got %+v\nwant %+v", got, want)
	}
	if _, err := d.Key(t.Context(), cuil); err != nil {
		t.Errorf("the key did not survive the upsert: %v", err)
	}
	other, err := d.Citizen(t.Context(), cuilOf(30111222))
	mustNotFail(t, err)
	if len(other.Employers) != 2 || len(other.Benefits) != 1 {
		t.Errorf("another citizen's history changed: %+v", other)
	}
}

// testImportBatches imports in batches of 2, with a CUIL repeated inside a
// batch and across batches: the last line wins, and the citizens counted
// are the CUILs, not the lines (5 were said for 3).
func testImportBatches(t *testing.T, url string) {
	d := openStore(t, url)
	d.batchSize = 2
	named := func(dni int, name string) string {
		return citizenLine(dni, func(m map[string]any) { m["first_names"] = name })
	}
	lines := []string{
		named(20000001, "Uno"), named(20000001, "Uno bis"), named(20000002, "Dos"),
		named(20000003, "Tres"), named(20000002, "Dos bis"),
	}
	var progress []int
	n, err := d.Import(t.Context(), strings.NewReader(strings.Join(lines, "\n")), func(n int) { progress = append(progress, n) })
	mustNotFail(t, err)
	if want := (Imported{Citizens: 3, Repeated: 2}); n != want || !reflect.DeepEqual(progress, []int{3, 5}) {
		t.Errorf("Import = %+v with progress %v, want %+v with [3 5]", n, progress, want)
	}
	for dni, want := range map[int]string{20000001: "Uno bis", 20000002: "Dos bis", 20000003: "Tres"} {
		c, err := d.Citizen(t.Context(), cuilOf(dni))
		mustNotFail(t, err)
		if c.FirstNames != want || len(c.Employers) != 2 {
			t.Errorf("DNI %d: %q with %d employers, want %q with 2", dni, c.FirstNames, len(c.Employers), want)
		}
	}
}

// testImportBOM: a file saved with a UTF-8 byte-order mark (Excel,
// Notepad) imports; it failed on its first line.
func testImportBOM(t *testing.T, url string) {
	d := openStore(t, url)
	in := "\xef\xbb\xbf" + citizenLine(31456789, nil) + "\n" + citizenLine(30111222, nil) + "\n"
	n, err := d.Import(t.Context(), strings.NewReader(in), nil)
	mustNotFail(t, err)
	if n.Citizens != 2 {
		t.Fatalf("imported %+v, want 2", n)
	}
	if _, err := d.Citizen(t.Context(), cuilOf(31456789)); err != nil {
		t.Fatalf("the first line: %v", err)
	}
}

func testImportBadLine(t *testing.T, url string) {
	d := openStore(t, url)
	d.batchSize = 1 // the good lines are written before the bad one is read
	good := citizenLine(31456789, nil)
	tests := []struct {
		name, line, want string
	}{
		{"dni", citizenLine(28123456, func(m map[string]any) { m["dni"] = "12345" }), "line 3: field dni"},
		{"check digit", citizenLine(28123456, func(m map[string]any) { m["cuil"] = wrongCheckDigit(cuilOf(28123456)) }), "line 3: field cuil"},
		{"province", citizenLine(28123456, func(m map[string]any) { m["birth_province"] = "Montevideo" }), "line 3: field birth_province"},
		{"employer month", citizenLine(28123456, func(m map[string]any) {
			m["employers"].([]map[string]string)[1]["from"] = "2013-13"
		}), "line 3: field employers[1].from"},
		{"json", `{"cuil": "20`, "line 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.Join([]string{good, citizenLine(30111222, nil), tt.line, citizenLine(27000111, nil)}, "\n")
			n, err := d.Import(t.Context(), strings.NewReader(in), nil)
			if !errs.Is(errs.Invalid, err) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Import = %d, %v; want an Invalid error with %q", n, err, tt.want)
			}
			if _, err := d.Citizen(t.Context(), cuilOf(31456789)); !errs.Is(errs.NotFound, err) {
				t.Errorf("line 1 was imported (Citizen: %v)", err)
			}
		})
	}
}

func wrongCheckDigit(c registry.CUIL) string {
	return string(c[:10]) + string('0'+(c[10]-'0'+1)%10)
}

func testImportDemo(t *testing.T, url string) {
	d := openStore(t, url)
	n, err := d.Import(t.Context(), bytes.NewReader(demo.Citizens()), nil)
	mustNotFail(t, err)
	lines := bytes.Split(bytes.TrimSpace(demo.Citizens()), []byte("\n"))
	if n.Citizens != len(lines) {
		t.Errorf("Import = %+v, want %d", n, len(lines))
	}
	for _, line := range lines {
		want := decode(t, string(line))
		got, err := d.Citizen(t.Context(), want.CUIL)
		mustNotFail(t, err)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Citizen(%s)\n got %+v\nwant %+v", want.CUIL, got, want)
		}
	}
}

// An import leaves the planner statistics of what it wrote: without them
// the first reads after a bulk import were planned for empty tables. It
// does so whatever the statement timeout (here 10 ms, which the vacuum of
// 3,000 citizens outlasts: without the timeout lifted the test fails; 1 ms
// over 300 failed the import's first statements on a loaded CI machine):
// at country scale it takes minutes.
func testImportAnalyzes(t *testing.T, url string) {
	imp := openStore(t, url)
	timeout := func(string) {}
	if imp.dialect == Postgres {
		// Each connection the import opens has a statement timeout of
		// 10 ms, as under --database-statement-timeout 10ms, so its work,
		// the vacuum included, must run with the timeout lifted. Set on
		// the database rather than with WithStatementTimeout, which would
		// hold Open's own statements to 1 ms too (on a loaded CI machine
		// they took longer); the idle connections are closed so the import
		// opens new ones.
		var name string
		mustNotFail(t, imp.db.GetContext(t.Context(), &name, `SELECT current_database()`))
		timeout = func(v string) {
			_, err := imp.db.ExecContext(t.Context(), `ALTER DATABASE `+pq.QuoteIdentifier(name)+` `+v)
			mustNotFail(t, err)
			imp.db.SetMaxIdleConns(0)
			imp.db.SetMaxIdleConns(DefaultPool.MaxConns)
		}
	}
	timeout(`SET statement_timeout = 10`)
	var buf bytes.Buffer
	synthCitizens(&buf, 30000000, 3000)
	_, err := imp.Import(t.Context(), &buf, nil)
	timeout(`RESET statement_timeout`)
	mustNotFail(t, err)
	d := openStore(t, url)
	q := `SELECT COUNT(DISTINCT tablename) FROM pg_stats WHERE schemaname = current_schema() AND tablename IN ('citizens', 'employers', 'benefits')`
	if d.dialect == SQLite {
		q = `SELECT COUNT(DISTINCT tbl) FROM sqlite_stat1 WHERE tbl IN ('citizens', 'employers', 'benefits')`
	}
	var n int
	mustNotFail(t, d.db.GetContext(t.Context(), &n, q))
	if n != 3 {
		t.Errorf("statistics of %d of the 3 tables after an import", n)
	}
	if d.dialect == SQLite {
		return
	}
	// And the pages it wrote are all-visible, or the donors' index-only
	// scans read the table after all.
	var visible, pages int
	mustNotFail(t, d.db.QueryRowxContext(t.Context(),
		`SELECT relallvisible, relpages FROM pg_class WHERE oid = 'citizens'::regclass`).Scan(&visible, &pages))
	if pages == 0 || visible < pages {
		t.Errorf("%d of citizens' %d pages all-visible after an import", visible, pages)
	}
}
