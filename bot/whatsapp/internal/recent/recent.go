// Package recent remembers the last message ids a process saw, so that a
// platform's redelivery is dropped before it reaches the engine (whose own
// dedup covers restarts and other replicas).
package recent

import "sync"

// Set holds up to n ids; the oldest is forgotten first.
type Set struct {
	mu   sync.Mutex
	ids  map[string]struct{}
	ring []string
	next int
}

// New returns a Set of capacity n (at least 1).
func New(n int) *Set {
	if n < 1 {
		n = 1
	}
	return &Set{ids: make(map[string]struct{}, n), ring: make([]string, n)}
}

// Add records id and reports whether it is new. The empty id is never
// recorded: it is always new.
func (s *Set) Add(id string) bool {
	if id == "" {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.ids[id]; ok {
		return false
	}
	if old := s.ring[s.next]; old != "" {
		delete(s.ids, old)
	}
	s.ring[s.next] = id
	s.next = (s.next + 1) % len(s.ring)
	s.ids[id] = struct{}{}
	return true
}

// Has reports whether id is remembered.
func (s *Set) Has(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.ids[id]
	return ok
}

// Remove forgets id. Its place in the ring stays until it comes round.
func (s *Set) Remove(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.ids, id)
}
