package registry_test

import (
	"context"
	"errors"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// memStore is a map-based registry.Store for the Service's tests.
type memStore struct {
	mu         sync.Mutex
	citizens   map[registry.CUIL]*registry.Citizen
	keys       map[registry.CUIL]registry.KeyRecord
	locks      map[lockID]registry.Lockout
	audit      []registry.AuditEvent
	sets       map[registry.CUIL]registry.QuestionSet
	byBirth    []*registry.Citizen // citizens by birth date, for Donors; nil when stale
	donorReads int
	fail       error // when set, every call returns it
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
		sets:     map[registry.CUIL]registry.QuestionSet{},
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

// Donors searches as a database would, through an index by birth date
// rebuilt when citizens change.
func (m *memStore) Donors(_ context.Context, q registry.DonorQuery) ([]*registry.Citizen, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	m.donorReads++
	if m.byBirth == nil {
		for _, c := range m.citizens {
			m.byBirth = append(m.byBirth, c)
		}
		sort.Slice(m.byBirth, func(i, j int) bool { return m.byBirth[i].BirthDate.Before(m.byBirth[j].BirthDate) })
	}
	born := func(s registry.Span, each func(c *registry.Citizen) bool) {
		i := sort.Search(len(m.byBirth), func(i int) bool { return !m.byBirth[i].BirthDate.Before(s.From) })
		for ; i < len(m.byBirth) && !m.byBirth[i].BirthDate.After(s.To); i++ {
			if c := m.byBirth[i]; (q.Sex == "" || c.Sex == q.Sex) && !each(c) {
				return
			}
		}
	}
	nearest := func(n int) (before, after []time.Time, err error) {
		i := sort.Search(len(m.byBirth), func(i int) bool { return !m.byBirth[i].BirthDate.Before(q.Birth) })
		for j := i; j < len(m.byBirth) && len(after) < n; j++ {
			if c := m.byBirth[j]; c.CUIL != q.CUIL && (q.Sex == "" || c.Sex == q.Sex) {
				after = append(after, c.BirthDate)
			}
		}
		for j := i - 1; j >= 0 && len(before) < n; j-- {
			if c := m.byBirth[j]; c.CUIL != q.CUIL && (q.Sex == "" || c.Sex == q.Sex) {
				before = append(before, c.BirthDate)
			}
		}
		return before, after, nil
	}
	cuils, err := registry.FindDonors(q, nearest, func(s registry.Span) ([]registry.CUIL, error) {
		var out []registry.CUIL
		born(s, func(c *registry.Citizen) bool {
			if c.CUIL != q.CUIL {
				out = append(out, c.CUIL)
			}
			return true
		})
		slices.Sort(out)
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]*registry.Citizen, len(cuils))
	for i, cuil := range cuils {
		c := m.citizens[cuil]
		out[i] = &registry.Citizen{CUIL: c.CUIL, Sex: c.Sex, BirthDate: c.BirthDate, DNIIssueDate: c.DNIIssueDate,
			BirthProvince: c.BirthProvince, Employers: c.Employers, Benefits: c.Benefits}
	}
	return out, nil
}

func (m *memStore) QuestionSet(_ context.Context, cuil registry.CUIL) (registry.QuestionSet, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return registry.QuestionSet{}, m.fail
	}
	set, ok := m.sets[cuil]
	if !ok {
		return set, errs.E(errs.NotFound, "mem question set", errNotFound)
	}
	return set, nil
}

func (m *memStore) SaveQuestionSet(_ context.Context, cuil registry.CUIL, set registry.QuestionSet, prev int) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return false, m.fail
	}
	if m.sets[cuil].Version != prev {
		return false, nil
	}
	set.Version = prev + 1
	m.sets[cuil] = set
	return true, nil
}

func (m *memStore) add(cs ...*registry.Citizen) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range cs {
		m.citizens[c.CUIL] = c
	}
	m.byBirth = nil
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
