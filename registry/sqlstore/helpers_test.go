package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/registry"
)

var discard = slog.New(slog.DiscardHandler)

// openStore opens url and closes it when the test ends.
func openStore(t testing.TB, url string, opts ...Option) *DB {
	t.Helper()
	d, err := Open(context.Background(), url, discard, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// cuilOf makes a valid CUIL from a DNI number, trying the usual prefixes
// until one has a check digit.
func cuilOf(dni int) registry.CUIL {
	for _, prefix := range []string{"20", "27", "23"} {
		first := fmt.Sprintf("%s%08d", prefix, dni)
		if d := registry.CheckDigit(first); d >= 0 {
			return registry.CUIL(fmt.Sprintf("%s%d", first, d))
		}
	}
	panic("no prefix fits") // 23 always fits for some DNIs; tests pick others
}

// citizenLine is a valid citizens-file line for dni, with accents, two
// employers and a benefit; edit changes the JSON fields before encoding.
func citizenLine(dni int, edit func(m map[string]any)) string {
	m := map[string]any{
		"cuil": string(cuilOf(dni)), "dni": fmt.Sprint(dni),
		"first_names": "María Belén", "last_names": "Gómez Ruiz",
		"birth_date": "1985-03-14", "sex": "F", "dni_issue_date": "2017-08-22",
		"birth_province": "Córdoba",
		"employers": []map[string]string{
			{"name": "Panificadora del Centro SRL", "cuit": "30-70812345-1", "from": "2006-02", "to": "2012-11"},
			{"name": "Lácteos Ñandú SA", "cuit": "", "from": "2013-01", "to": ""},
		},
		"benefits": []map[string]string{{"name": "Asignación Universal por Hijo", "since": "2015-06"}},
	}
	if edit != nil {
		edit(m)
	}
	return jsonLine(m)
}

// synthCitizens writes n valid citizens with DNIs from first on.
func synthCitizens(w io.Writer, first, n int) {
	names := []string{"Juan Pablo", "Ana", "José Luis", "Mónica", "Ñaty"}
	for i := range n {
		dni := first + i
		io.WriteString(w, citizenLine(dni, func(m map[string]any) {
			m["first_names"] = names[i%len(names)]
			m["employers"].([]map[string]string)[1]["name"] = fmt.Sprintf("Empresa %d SA", i%500)
		}))
		io.WriteString(w, "\n")
	}
}

func importLines(t *testing.T, d *DB, lines ...string) int {
	t.Helper()
	n, err := d.Import(context.Background(), strings.NewReader(strings.Join(lines, "\n")), nil)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return n.Citizens
}

func decode(t *testing.T, line string) *registry.Citizen {
	t.Helper()
	c, err := registry.DecodeCitizen([]byte(line))
	if err != nil {
		t.Fatalf("DecodeCitizen(%s): %v", line, err)
	}
	return c
}

// auditOf reads cuil's audit trail in order.
func auditOf(t *testing.T, d *DB, cuil registry.CUIL) []registry.AuditEvent {
	t.Helper()
	rows, err := d.DB().QueryxContext(context.Background(),
		d.DB().Rebind(`SELECT at, cuil, action, channel, detail FROM audit WHERE cuil = ? ORDER BY id`), string(cuil))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var evs []registry.AuditEvent
	for rows.Next() {
		var at dbTime
		var ev registry.AuditEvent
		if err := rows.Scan(&at, &ev.CUIL, &ev.Action, &ev.Channel, &ev.Detail); err != nil {
			t.Fatal(err)
		}
		ev.At = at.Time
		evs = append(evs, ev)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return evs
}

// t0 is a fixed instant with sub-microsecond digits the stores drop.
var t0 = time.Date(2025, 3, 14, 15, 9, 26, 535897932, time.FixedZone("ART", -3*3600))

func mustNotFail(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func jsonLine(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // test data of maps and strings always encodes
	}
	return string(b)
}
