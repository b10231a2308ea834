package sqlstore

import (
	"reflect"
	"testing"
	"time"

	"github.com/clavebot/clavebot/registry"
)

func testLookup(t *testing.T, url string) {
	d := openStore(t, url)
	known, bare, stranger := cuilOf(31456789), cuilOf(28123456), cuilOf(30111222)
	lines := []string{citizenLine(31456789, nil), citizenLine(28123456, func(m map[string]any) {
		delete(m, "employers")
		delete(m, "benefits")
	})}
	importLines(t, d, lines...)
	rule := registry.LockRule{Max: 2, For: time.Hour}
	for range 2 {
		_, err := d.RecordFailure(t.Context(), known, registry.LockValidation, t0, rule)
		mustNotFail(t, err)
	}
	_, err := d.RecordFailure(t.Context(), stranger, registry.LockKey, t0, rule)
	mustNotFail(t, err)
	ev := registry.AuditEvent{At: t0, CUIL: known, Action: registry.ActionKeyCreated}
	mustNotFail(t, d.SaveKey(t.Context(), known, registry.KeySave{Hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"}, ev))

	tests := []struct {
		name string
		cuil registry.CUIL
		want registry.Lookup
	}{
		{"citizen with a key and a lock", known, registry.Lookup{Citizen: decode(t, lines[0]), HasKey: true,
			Validation: registry.Lockout{Until: t0.Add(time.Hour).UTC().Truncate(time.Microsecond)}}},
		{"citizen without lists", bare, registry.Lookup{Citizen: decode(t, lines[1])}},
		{"unknown CUIL with failures", stranger, registry.Lookup{Key: registry.Lockout{Failures: 1}}},
		{"unknown CUIL", cuilOf(20333444), registry.Lookup{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := d.Lookup(t.Context(), tt.cuil)
			mustNotFail(t, err)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Lookup(%s)\n got %+v %+v\nwant %+v %+v", tt.cuil, got, got.Citizen, tt.want, tt.want.Citizen)
			}
		})
	}
}
