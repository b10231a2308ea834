package sqlstore

import (
	"reflect"
	"testing"

	"github.com/clavebot/clavebot/registry"
)

func testDistractorPool(t *testing.T, url string) {
	d := openStore(t, url)
	pool, err := d.DistractorPool(t.Context())
	mustNotFail(t, err)
	if len(pool.Employers)+len(pool.Benefits) != 0 {
		t.Errorf("pool of an empty registry: %+v", pool)
	}
	importLines(t, d,
		citizenLine(31456789, nil),
		citizenLine(30111222, func(m map[string]any) {
			m["employers"] = []map[string]string{{"name": "Zapatería Íñigo", "cuit": "", "from": "2001-01", "to": ""}}
			m["benefits"] = []map[string]string{{"name": "Jubilación", "since": "2020-01"}}
		}),
	)
	pool, err = d.DistractorPool(t.Context())
	mustNotFail(t, err)
	want := registry.Pool{
		Employers: []string{"Lácteos Ñandú SA", "Panificadora del Centro SRL", "Zapatería Íñigo"},
		Benefits:  []string{"Asignación Universal por Hijo", "Jubilación"},
	}
	if !reflect.DeepEqual(pool, want) {
		t.Errorf("DistractorPool = %+v, want %+v", pool, want)
	}
}
