package registry_test

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// memStore is a map-based registry.Store for the Service's tests.
type memStore struct {
	mu        sync.Mutex
	citizens  map[registry.CUIL]*registry.Citizen
	keys      map[registry.CUIL]registry.KeyRecord
	locks     map[lockID]registry.Lockout
	audit     []registry.AuditEvent
	pool      registry.Pool
	poolReads int
	fail      error // when set, every call returns it
}

type lockID struct {
	cuil registry.CUIL
	kind registry.LockKind
}

var _ registry.Store = (*memStore)(nil)

func newMemStore(cs ...*registry.Citizen) *memStore {
	m := &memStore{
		citizens: map[registry.CUIL]*registry.Citizen{},
		keys:     map[registry.CUIL]registry.KeyRecord{},
		locks:    map[lockID]registry.Lockout{},
	}
	for _, c := range cs {
		m.citizens[c.CUIL] = c
	}
	return m
}

var errNotFound = errors.New("no such row")

func (m *memStore) Citizen(_ context.Context, cuil registry.CUIL) (*registry.Citizen, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	c, ok := m.citizens[cuil]
	if !ok {
		return nil, errs.E(errs.NotFound, "mem citizen", errNotFound)
	}
	cp := *c
	return &cp, nil
}

func (m *memStore) Key(_ context.Context, cuil registry.CUIL) (registry.KeyRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return registry.KeyRecord{}, m.fail
	}
	k, ok := m.keys[cuil]
	if !ok {
		return k, errs.E(errs.NotFound, "mem key", errNotFound)
	}
	return k, nil
}

func (m *memStore) SaveKey(_ context.Context, cuil registry.CUIL, hash string, ev registry.AuditEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	if _, ok := m.citizens[cuil]; !ok {
		return errs.E(errs.NotFound, "mem save key", errNotFound)
	}
	m.keys[cuil] = registry.KeyRecord{Hash: hash, SetAt: ev.At}
	m.audit = append(m.audit, ev)
	return nil
}

func (m *memStore) Lockout(_ context.Context, cuil registry.CUIL, kind registry.LockKind) (registry.Lockout, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return registry.Lockout{}, m.fail
	}
	return m.locks[lockID{cuil, kind}], nil
}

func (m *memStore) RecordFailure(_ context.Context, cuil registry.CUIL, kind registry.LockKind, now time.Time, rule registry.LockRule) (registry.Lockout, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return registry.Lockout{}, m.fail
	}
	id := lockID{cuil, kind}
	l := m.locks[id]
	l.Failures++
	if l.Failures >= rule.Max {
		l = registry.Lockout{Until: now.Add(rule.For)}
		action := registry.ActionKeyLocked
		if kind == registry.LockValidation {
			action = registry.ActionValidationLocked
		}
		m.audit = append(m.audit, registry.AuditEvent{At: now, CUIL: cuil, Action: action})
	}
	m.locks[id] = l
	return l, nil
}

func (m *memStore) ClearFailures(_ context.Context, cuil registry.CUIL, kind registry.LockKind) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	delete(m.locks, lockID{cuil, kind})
	return nil
}

func (m *memStore) AppendAudit(_ context.Context, ev registry.AuditEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.audit = append(m.audit, ev)
	return nil
}

func (m *memStore) DistractorPool(context.Context) (registry.Pool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return registry.Pool{}, m.fail
	}
	m.poolReads++
	return m.pool, nil
}

func (m *memStore) actions() []registry.Action {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []registry.Action
	for _, ev := range m.audit {
		out = append(out, ev.Action)
	}
	return out
}
