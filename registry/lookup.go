package registry

import (
	"context"

	"github.com/clavebot/clavebot/internal/errs"
)

// Lookup is what the CUIL step decides on, read together: the citizen (nil
// when the CUIL is not in the registry), whether they have a key, and both
// lockouts.
type Lookup struct {
	Citizen    *Citizen
	HasKey     bool
	Validation Lockout
	Key        Lockout
}

// Looker is a Store that reads a Lookup in one round trip
// (registry/sqlstore does). Other stores get it composed from Citizen, Key
// and Lockout.
type Looker interface {
	Lookup(ctx context.Context, cuil CUIL) (Lookup, error)
}

// Lookup returns, for cuil, the citizen, whether they have a key and their
// lockouts. An unknown CUIL is not an error: its Citizen is nil, and its
// lockouts are still read, since failures are counted whatever the CUIL.
func (s *Service) Lookup(ctx context.Context, cuil CUIL) (Lookup, error) {
	if l, ok := s.store.(Looker); ok {
		lk, err := l.Lookup(ctx, cuil)
		return lk, errs.Wrap("lookup", err)
	}
	var lk Lookup
	var err error
	if lk.Validation, err = s.store.Lockout(ctx, cuil, LockValidation); err != nil {
		return Lookup{}, errs.Wrap("lookup", err)
	}
	if lk.Key, err = s.store.Lockout(ctx, cuil, LockKey); err != nil {
		return Lookup{}, errs.Wrap("lookup", err)
	}
	lk.Citizen, err = s.store.Citizen(ctx, cuil)
	switch {
	case errs.Is(errs.NotFound, err):
		return lk, nil
	case err != nil:
		return Lookup{}, errs.Wrap("lookup", err)
	}
	lk.HasKey, err = s.HasKey(ctx, cuil)
	return lk, errs.Wrap("lookup", err)
}
