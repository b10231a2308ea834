package registry_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// TestLookupComposed: a store without its own Lookup gets it composed
// from Citizen, Key and Lockout, with the same meaning as sqlstore's.
func TestLookupComposed(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.svc.FailValidation(ctx, f.c.CUIL); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.Lookup(ctx, f.c.CUIL)
	if err != nil {
		t.Fatal(err)
	}
	want := registry.Lookup{Citizen: maria(), Validation: registry.Lockout{Failures: 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Lookup = %+v, want %+v", got, want)
	}
	f.setKey(t, goodKey)
	if got, _ := f.svc.Lookup(ctx, f.c.CUIL); !got.HasKey {
		t.Error("Lookup after a key was set: HasKey false")
	}
	stranger := registry.CUIL("20111111112")
	if got, err := f.svc.Lookup(ctx, stranger); err != nil || got.Citizen != nil {
		t.Errorf("Lookup of an unknown CUIL = %+v, %v; want no citizen, no error", got, err)
	}
	f.store.fail = errs.E(errs.Unavailable, "mem", errors.New("down"))
	if _, err := f.svc.Lookup(ctx, f.c.CUIL); !errs.Is(errs.Unavailable, err) {
		t.Errorf("Lookup with the store down: %v, want Unavailable", err)
	}
}
