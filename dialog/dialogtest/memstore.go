// Package dialogtest has in-memory fakes of the engine's ports, for fast
// tests of the engine and of channels. Production uses dialog/redisstore.
package dialogtest

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/clavebot/clavebot/dialog/statestore"
)

// MemStore is an in-memory statestore.Store with the same semantics as the
// Redis one: a lock per chat, state and transcript with an idle TTL, seen
// message ids.
type MemStore struct {
	mu     sync.Mutex
	cond   *sync.Cond
	now    func() time.Time
	chats  map[string]*memChat
	tokens int
}

type memChat struct {
	state   []byte
	lines   [][]byte // the transcript, expiring with the state
	expires time.Time
	had     bool // a state existed, for Lease.Expired
	locked  string
	seen    map[string]bool
}

var _ statestore.Store = (*MemStore)(nil)

// NewMemStore returns an empty store; now may be nil for time.Now.
func NewMemStore(now func() time.Time) *MemStore {
	if now == nil {
		now = time.Now
	}
	s := &MemStore{now: now, chats: map[string]*memChat{}}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *MemStore) chat(id string) *memChat {
	c, ok := s.chats[id]
	if !ok {
		c = &memChat{seen: map[string]bool{}}
		s.chats[id] = c
	}
	return c
}

// Acquire implements statestore.Store.
func (s *MemStore) Acquire(ctx context.Context, chat, msgID string) (statestore.Lease, []byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chat(chat)
	for c.locked != "" {
		if err := ctx.Err(); err != nil {
			return statestore.Lease{}, nil, err
		}
		s.cond.Wait()
	}
	if msgID != "" && c.seen[msgID] {
		return statestore.Lease{}, nil, statestore.ErrDuplicate
	}
	s.tokens++
	c.locked = strconv.Itoa(s.tokens)
	l := statestore.Lease{Chat: chat, MsgID: msgID, Token: c.locked}
	if s.expired(c) {
		c.state, c.lines = nil, nil
		l.Expired = c.had
	}
	return l, c.state, nil
}

// expired reports whether c's state ran out of idle time.
func (s *MemStore) expired(c *memChat) bool {
	return c.state != nil && !c.expires.IsZero() && !s.now().Before(c.expires)
}

// Commit implements statestore.Store.
func (s *MemStore) Commit(_ context.Context, l statestore.Lease, state []byte, lines [][]byte, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chat(l.Chat)
	if c.locked != l.Token {
		return statestore.ErrLeaseLost
	}
	if len(state) == 0 {
		c.state, c.lines = nil, nil
	} else {
		c.state = slices.Clone(state)
		for _, line := range lines {
			c.lines = append(c.lines, slices.Clone(line))
		}
		c.lines = c.lines[max(0, len(c.lines)-statestore.TranscriptLines):]
	}
	c.had = len(state) > 0
	c.expires = time.Time{}
	if ttl > 0 {
		c.expires = s.now().Add(ttl)
	}
	if l.MsgID != "" {
		c.seen[l.MsgID] = true
	}
	c.locked = ""
	s.cond.Broadcast()
	return nil
}

// Release implements statestore.Store.
func (s *MemStore) Release(_ context.Context, l statestore.Lease) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chat(l.Chat)
	if c.locked == l.Token {
		c.locked = ""
		s.cond.Broadcast()
	}
	return nil
}

// Transcript implements statestore.Store.
func (s *MemStore) Transcript(_ context.Context, chat string) ([][]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chat(chat)
	if c.state == nil || s.expired(c) {
		return nil, nil
	}
	out := make([][]byte, len(c.lines))
	for i, line := range c.lines {
		out[i] = slices.Clone(line)
	}
	return out, nil
}

// Raw returns the stored state of chat, for tests that check what is kept.
func (s *MemStore) Raw(chat string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.chat(chat).state...)
}

// Lines returns the stored transcript of chat, one line a line, for tests
// that check what is kept.
func (s *MemStore) Lines(chat string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var sb strings.Builder
	for _, line := range s.chat(chat).lines {
		sb.Write(line)
		sb.WriteByte('\n')
	}
	return sb.String()
}
