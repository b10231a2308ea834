package registry_test

import (
	"context"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// countingStore counts the records read from the store.
type countingStore struct {
	*memStore
	reads int
}

func (s *countingStore) Citizen(ctx context.Context, cuil registry.CUIL) (*registry.Citizen, error) {
	s.reads++
	return s.memStore.Citizen(ctx, cuil)
}

// TestRecordCache: with WithRecordCache, the data steps of a conversation
// read a record once, and a CUIL in no record is kept as long (else its
// later steps would be slower than a registered CUIL's, telling which is
// which); after the ttl the store is read again; a caller's changes to its
// copy reach no other caller.
func TestRecordCache(t *testing.T) {
	newKnown := func() *registry.Citizen {
		return &registry.Citizen{CUIL: "20126043377", FirstNames: "Ramón", LastNames: "Quiroga", DNI: "12604337",
			Employers: []registry.Employer{{Name: "Ingenio Concepción SA"}}}
	}
	known := newKnown()
	const unknown = registry.CUIL("20500000006")
	tests := []struct {
		name      string
		opts      []registry.ServiceOption
		cuil      registry.CUIL
		wantReads int // over three reads within the ttl and one after
	}{
		{"a record, cached", []registry.ServiceOption{registry.WithRecordCache(10, time.Minute)}, known.CUIL, 2},
		{"no record, cached alike", []registry.ServiceOption{registry.WithRecordCache(10, time.Minute)}, unknown, 2},
		{"without the cache", nil, known.CUIL, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &countingStore{memStore: newMemStore(newKnown())}
			clk := &clock{t: time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)}
			svc := registry.NewService(store, registry.NewHasher(cheap, 1), registry.DefaultPolicy(), 1,
				append(tt.opts, registry.WithClock(clk.now))...)
			read := func(mutate bool) {
				t.Helper()
				c, err := svc.Citizen(context.Background(), tt.cuil)
				switch {
				case tt.cuil == unknown && !errs.Is(errs.NotFound, err):
					t.Fatalf("Citizen(unknown) = %v, %v; want NotFound", c, err)
				case tt.cuil != unknown && (err != nil || c.FirstNames != "Ramón" || c.Employers[0].Name != "Ingenio Concepción SA"):
					t.Fatalf("Citizen = %+v, %v", c, err)
				case c != nil && mutate:
					c.FirstNames, c.Employers[0].Name = "changed", "changed" // a caller's own copy
				}
			}
			for i := range 3 { // the cache's copies, changed by their callers
				read(tt.opts != nil && i > 0)
				clk.advance(10 * time.Second)
			}
			clk.advance(time.Minute)
			read(false)
			if store.reads != tt.wantReads {
				t.Errorf("the store was read %d times, want %d", store.reads, tt.wantReads)
			}
		})
	}
}
