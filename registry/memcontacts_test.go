package registry_test

import (
	"context"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// memContacts are the contact tables of memStore.
type memContacts struct {
	contacts map[registry.CUIL]registry.Contacts
	sends    map[string]time.Time // by CUIL and destination
	codes    map[string]registry.CodeRecord
}

func (m *memStore) contactTables() *memContacts {
	if m.mc == nil {
		m.mc = &memContacts{contacts: map[registry.CUIL]registry.Contacts{}, sends: map[string]time.Time{}, codes: map[string]registry.CodeRecord{}}
	}
	return m.mc
}

func (m *memStore) Contacts(_ context.Context, cuil registry.CUIL) (registry.Contacts, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return registry.Contacts{}, m.fail
	}
	return m.contactTables().contacts[cuil], nil
}

func (m *memStore) SaveContact(_ context.Context, cuil registry.CUIL, c registry.Contact, ev registry.AuditEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	if _, ok := m.citizens[cuil]; !ok {
		return errs.E(errs.NotFound, "mem save contact", errNotFound)
	}
	cs := m.contactTables().contacts[cuil]
	if c.Kind == registry.ContactEmail {
		cs.Email = c
	} else {
		cs.Phone = c
	}
	m.mc.contacts[cuil] = cs
	m.audit = append(m.audit, ev)
	return nil
}

func (m *memStore) ClaimCodeSend(_ context.Context, cuil registry.CUIL, dest string, now time.Time, gap time.Duration) (bool, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return false, time.Time{}, m.fail
	}
	k := string(cuil) + "/" + dest
	if last, ok := m.contactTables().sends[k]; ok && now.Sub(last) < gap {
		return false, last.Add(gap), nil
	}
	m.mc.sends[k] = now
	return true, time.Time{}, nil
}

func (m *memStore) ReleaseCodeSend(_ context.Context, cuil registry.CUIL, dest string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := string(cuil) + "/" + dest
	if m.contactTables().sends[k].Equal(at) {
		delete(m.mc.sends, k)
	}
	return nil
}

func (m *memStore) SaveCode(_ context.Context, rec registry.CodeRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.contactTables().codes[rec.ID] = rec
	return nil
}

func (m *memStore) Code(_ context.Context, cuil registry.CUIL, id string) (registry.CodeRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return registry.CodeRecord{}, m.fail
	}
	rec, ok := m.contactTables().codes[id]
	if !ok || rec.CUIL != cuil {
		return rec, errs.E(errs.NotFound, "mem code", errNotFound)
	}
	return rec, nil
}

func (m *memStore) UseCode(_ context.Context, cuil registry.CUIL, id, hash string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return false, m.fail
	}
	rec, ok := m.contactTables().codes[id]
	if !ok || rec.CUIL != cuil || rec.Hash != hash {
		return false, nil
	}
	delete(m.mc.codes, id)
	return true, nil
}
