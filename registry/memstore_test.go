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
	strikes    map[lockID]strikeOf // locks in a row, as the lockouts table's strikes
	attempts   map[string]memAttempt
	sources    map[registry.CUIL]map[string]time.Time
	audit      []registry.AuditEvent
	sets       map[registry.CUIL]registry.QuestionSet
	byBirth    []*registry.Citizen // citizens by birth date, for Donors; nil when stale
	donorReads int
	fail       error // when set, every call returns it
	// loseReserve, when set, is returned by ReserveAttempt after it
	// reserved: the database decided and its answer was lost.
	loseReserve error
	mc          *memContacts
}

type lockID struct {
	cuil registry.CUIL
	kind registry.LockKind
}

type memAttempt struct {
	lock    lockID
	expires time.Time
}

var _ registry.Store = (*memStore)(nil)

func newMemStore(cs ...*registry.Citizen) *memStore {
	m := &memStore{
		citizens: map[registry.CUIL]*registry.Citizen{},
		keys:     map[registry.CUIL]registry.KeyRecord{},
		locks:    map[lockID]registry.Lockout{},
		strikes:  map[lockID]strikeOf{},
		attempts: map[string]memAttempt{},
		sources:  map[registry.CUIL]map[string]time.Time{},
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

func (m *memStore) SaveKey(_ context.Context, cuil registry.CUIL, k registry.KeySave, ev registry.AuditEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	if _, ok := m.citizens[cuil]; !ok {
		return errs.E(errs.NotFound, "mem save key", errNotFound)
	}
	if old, ok := m.keys[cuil]; !k.Over.IsZero() && (!ok || old.SetAt.UnixMilli() != k.Over.UnixMilli()) {
		return errs.E(errs.Conflict, "mem save key", errors.New("key changed since"))
	}
	m.keys[cuil] = registry.KeyRecord{Hash: k.Hash, SetAt: ev.At, Origin: k.Origin}
	m.audit = append(m.audit, ev)
	for _, kind := range k.Clear {
		delete(m.locks, lockID{cuil, kind})
		delete(m.strikes, lockID{cuil, kind})
		m.dropAttempts(lockID{cuil, kind})
	}
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
	if l.LockedAt(now) {
		return l, nil
	}
	l = m.giveBackExpired(id, l, now)
	l.Failures++
	m.locks[id] = l
	if l.Failures >= rule.Max {
		l = m.lock(id, now, rule)
		l.JustLocked = true
		return l, nil
	}
	return l, nil
}

// lock locks id from at, for as long as rule says for the strike,
// dropping its reserved attempts.
func (m *memStore) lock(id lockID, at time.Time, rule registry.LockRule) registry.Lockout {
	prev := m.strikes[id]
	strike := registry.NextStrike(prev.n, prev.until, at)
	l := registry.Lockout{Until: at.Add(rule.LockFor(strike))}
	m.strikes[id] = strikeOf{strike, l.Until}
	m.locks[id] = l
	m.dropAttempts(id)
	action := registry.ActionKeyLocked
	if id.kind == registry.LockValidation {
		action = registry.ActionValidationLocked
	}
	m.audit = append(m.audit, registry.AuditEvent{At: at, CUIL: id.cuil, Action: action})
	return l
}

// giveBackExpired gives back id's attempts that expired unsettled.
func (m *memStore) giveBackExpired(id lockID, l registry.Lockout, now time.Time) registry.Lockout {
	n := 0
	for aid, a := range m.attempts {
		if a.lock == id && !a.expires.After(now) {
			delete(m.attempts, aid)
			n++
		}
	}
	if n > 0 {
		l.Failures = max(l.Failures-n, 0)
		m.locks[id] = l
	}
	return l
}

func (m *memStore) dropAttempts(id lockID) {
	for aid, a := range m.attempts {
		if a.lock == id {
			delete(m.attempts, aid)
		}
	}
}

func (m *memStore) ReserveAttempt(_ context.Context, cuil registry.CUIL, kind registry.LockKind, aid string, now time.Time, rule registry.LockRule, ttl time.Duration) (registry.Attempt, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return registry.Attempt{}, m.fail
	}
	id := lockID{cuil, kind}
	l := m.locks[id]
	if l.LockedAt(now) {
		return registry.Attempt{Status: registry.AttemptLocked, Lockout: l}, nil
	}
	l = m.giveBackExpired(id, l, now)
	if l.Failures >= rule.Max {
		var next time.Time
		for _, a := range m.attempts {
			if a.lock == id && (next.IsZero() || a.expires.Before(next)) {
				next = a.expires
			}
		}
		if !next.IsZero() {
			return registry.Attempt{Status: registry.AttemptBusy, Lockout: registry.Lockout{Failures: l.Failures, Until: next}}, nil
		}
		l.Failures = 0
	}
	l.Failures++
	m.locks[id] = l
	m.attempts[aid] = memAttempt{lock: id, expires: now.Add(ttl)}
	if m.loseReserve != nil {
		return registry.Attempt{}, m.loseReserve
	}
	return registry.Attempt{ID: aid, Status: registry.AttemptReserved, Lockout: l, Expires: now.Add(ttl)}, nil
}

func (m *memStore) SettleAttempt(_ context.Context, cuil registry.CUIL, kind registry.LockKind, aid string, outcome registry.Outcome, now time.Time, rule registry.LockRule) (registry.Attempt, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return registry.Attempt{}, m.fail
	}
	id := lockID{cuil, kind}
	l := m.locks[id]
	if !l.LockedAt(now) {
		l = m.giveBackExpired(id, l, now)
	}
	a, ok := m.attempts[aid]
	switch {
	case l.LockedAt(now):
		return registry.Attempt{ID: aid, Status: registry.AttemptLocked, Lockout: l}, nil
	case !ok || a.lock != id || !a.expires.After(now):
		return registry.Attempt{ID: aid, Status: registry.AttemptStale, Lockout: l}, nil
	}
	delete(m.attempts, aid)
	switch outcome {
	case registry.OutcomePassed:
		delete(m.locks, id)
		delete(m.strikes, id)
		m.dropAttempts(id)
		return registry.Attempt{ID: aid, Status: registry.AttemptPassed}, nil
	case registry.OutcomeVoid:
		l.Failures = max(l.Failures-1, 0)
		m.locks[id] = l
		return registry.Attempt{ID: aid, Status: registry.AttemptVoid, Lockout: l}, nil
	}
	if l.Failures >= rule.Max {
		l = m.lock(id, now, rule)
	}
	return registry.Attempt{ID: aid, Status: registry.AttemptFailed, Lockout: l}, nil
}

func (m *memStore) ClearFailures(_ context.Context, cuil registry.CUIL, kind registry.LockKind) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	delete(m.locks, lockID{cuil, kind})
	delete(m.strikes, lockID{cuil, kind})
	m.dropAttempts(lockID{cuil, kind})
	return nil
}

func (m *memStore) KnownSource(_ context.Context, cuil registry.CUIL, source string, since time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return false, m.fail
	}
	at, ok := m.sources[cuil][source]
	return ok && !at.Before(since), nil
}

func (m *memStore) RememberSource(_ context.Context, cuil registry.CUIL, source string, at, forgetBefore time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	if m.sources[cuil] == nil {
		m.sources[cuil] = map[string]time.Time{}
	}
	m.sources[cuil][source] = at
	for s, t := range m.sources[cuil] {
		if t.Before(forgetBefore) {
			delete(m.sources[cuil], s)
		}
	}
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

// strikeOf is a lock's place in a row of locks, and when it ended.
type strikeOf struct {
	n     int
	until time.Time
}
