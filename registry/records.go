package registry

import (
	"context"
	"errors"
	"slices"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/clavebot/clavebot/internal/errs"
)

// recordCache keeps the records a process read lately, and the CUILs found
// in none, for a short time: a conversation reads the record at each of
// its data steps, seconds apart, and the record does not change meanwhile
// (imports run at night). A CUIL in no record is kept too, as long: were
// only records kept, the later steps of a registered CUIL would answer
// faster than an unknown one's, which would tell a stranger which is which.
// It lives in the process only; nothing of it reaches Redis.
type recordCache struct {
	ttl     time.Duration
	entries *lru.Cache[CUIL, cachedRecord]
}

type cachedRecord struct {
	c       *Citizen // nil: no record of the CUIL
	expires time.Time
}

// WithRecordCache keeps up to size records (and CUILs in no record) read by
// Citizen for ttl in this process. Off by default; serve sets it (see
// cmd/clavebot).
func WithRecordCache(size int, ttl time.Duration) ServiceOption {
	return func(s *Service) {
		if size < 1 || ttl <= 0 {
			return
		}
		entries, err := lru.New[CUIL, cachedRecord](size)
		if err != nil { // only for a size below 1, excluded above
			return
		}
		s.records = &recordCache{ttl: ttl, entries: entries}
	}
}

// citizen answers from the cache when it holds cuil, fresh; ok is false
// when the store must be asked.
func (r *recordCache) citizen(cuil CUIL, now time.Time) (c *Citizen, ok bool, err error) {
	e, found := r.entries.Get(cuil)
	if !found || !now.Before(e.expires) {
		return nil, false, nil
	}
	if e.c == nil {
		return nil, true, errs.E(errs.NotFound, "citizen", errors.New("no citizen with CUIL "+cuil.Masked()))
	}
	return e.c.clone(), true, nil
}

// keep remembers what the store answered for cuil: a record, or none.
func (r *recordCache) keep(cuil CUIL, c *Citizen, now time.Time) {
	if c != nil {
		c = c.clone()
	}
	r.entries.Add(cuil, cachedRecord{c: c, expires: now.Add(r.ttl)})
}

// clone copies c, so that a caller changing its copy changes no other.
func (c *Citizen) clone() *Citizen {
	out := *c
	out.Employers = slices.Clone(c.Employers)
	out.Benefits = slices.Clone(c.Benefits)
	return &out
}

// citizenCached is Citizen through the cache.
func (s *Service) citizenCached(ctx context.Context, cuil CUIL) (*Citizen, error) {
	now := s.now()
	if c, ok, err := s.records.citizen(cuil, now); ok {
		return c, err
	}
	c, err := s.store.Citizen(ctx, cuil)
	switch {
	case err == nil:
		s.records.keep(cuil, c, now)
	case errs.Is(errs.NotFound, err):
		s.records.keep(cuil, nil, now)
	}
	return c, err
}
