// Package dialogtest has in-memory fakes of the engine's ports, for fast
// tests of the engine and of channels. Production uses dialog/redisstore.
package dialogtest

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/internal/errs"
)

// MemStore is an in-memory statestore.Store with the same semantics as the
// Redis one, held by dialog/statestore/statestoretest: a lock per chat,
// state and transcript with an idle TTL, seen message ids, counts that
// outlive the state.
type MemStore struct {
	*memData
	// lockTTL is how long this handle's locks last; zero: until released.
	lockTTL time.Duration
}

// memData is what every handle of one MemStore shares (see Process).
type memData struct {
	mu     sync.Mutex
	cond   *sync.Cond
	now    func() time.Time
	chats  map[string]*memChat
	tokens int
	// limits are AcquireNew's counts, by key, across chats and handles.
	limits map[string]statestore.Count
}

type memChat struct {
	state   []byte
	lines   [][]byte // the transcript, expiring with the state
	expires time.Time
	had     bool // a state existed, for Lease.Expired
	locked  string
	until   time.Time         // when the lock expires; zero: never
	seen    map[string]string // handled message ids, with the token that committed them
	counts  map[string]statestore.Count
	armed   bool // the last commit armed the chat (Lease.Arm)
	// The replies of the last id committed with them, until replyEnds.
	replyID   string
	replies   []byte
	replyEnds time.Time
}

var (
	_ statestore.Store      = (*MemStore)(nil)
	_ statestore.NewCounter = (*MemStore)(nil)
)

// MemOption configures a MemStore.
type MemOption func(*memData)

// WithClock sets the store's clock (default time.Now), which its idle
// TTLs and lock TTLs follow.
func WithClock(now func() time.Time) MemOption { return func(d *memData) { d.now = now } }

// NewMemStore returns an empty store whose locks last until released.
func NewMemStore(opts ...MemOption) *MemStore {
	d := &memData{now: time.Now, chats: map[string]*memChat{}, limits: map[string]statestore.Count{}}
	for _, o := range opts {
		o(d)
	}
	d.cond = sync.NewCond(&d.mu)
	return &MemStore{memData: d}
}

// Process returns another handle on the same chats, as another process of
// a deployment holds the same Redis, whose locks last lockTTL (zero: until
// released): a turn that outlives it loses its lease.
func (s *MemStore) Process(lockTTL time.Duration) *MemStore {
	return &MemStore{memData: s.memData, lockTTL: lockTTL}
}

func (s *MemStore) chat(id string) *memChat {
	c, ok := s.chats[id]
	if !ok {
		c = &memChat{seen: map[string]string{}}
		s.chats[id] = c
	}
	return c
}

// held reports whether c's lock is held, freeing a lock that expired.
func (s *memData) held(c *memChat) bool {
	if c.locked != "" && !c.until.IsZero() && !s.now().Before(c.until) {
		c.locked, c.until = "", time.Time{}
	}
	return c.locked != ""
}

// Acquire implements statestore.Store.
func (s *MemStore) Acquire(ctx context.Context, chat, msgID string) (statestore.Lease, []byte, error) {
	return s.acquire(ctx, chat, msgID, statestore.Limit{}, statestore.Limit{})
}

// AcquireNew implements statestore.NewCounter: under the one mutex, as
// Redis counts in the script that takes the lock.
func (s *MemStore) AcquireNew(ctx context.Context, chat, msgID string, newChat, armed statestore.Limit) (statestore.Lease, []byte, error) {
	return s.acquire(ctx, chat, msgID, newChat, armed)
}

// acquire takes chat's lock and counts newChat when the chat is new,
// armed when it was armed (see statestore.NewCounter); a Limit without a
// key is not counted.
func (s *MemStore) acquire(ctx context.Context, chat, msgID string, newChat, armed statestore.Limit) (statestore.Lease, []byte, error) {
	if chat == "" {
		return statestore.Lease{}, nil, errs.E(errs.Invalid, "memstore acquire", errors.New("empty chat id"))
	}
	// A waiter wakes when its context ends, not only when a lock is freed.
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.cond.Broadcast()
	})
	defer stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chat(chat)
	for s.held(c) {
		if err := ctx.Err(); err != nil {
			return statestore.Lease{}, nil, errs.E(errs.Unavailable, "memstore acquire", err)
		}
		s.wakeAtExpiry(c)
		s.cond.Wait()
	}
	if msgID != "" && c.seen[msgID] != "" {
		l := statestore.Lease{Chat: chat, MsgID: msgID}
		if c.replyID == msgID && s.now().Before(c.replyEnds) {
			l.Replies = slices.Clone(c.replies)
		}
		return l, nil, statestore.ErrDuplicate
	}
	s.tokens++
	c.locked, c.until = strconv.Itoa(s.tokens), time.Time{}
	if s.lockTTL > 0 {
		c.until = s.now().Add(s.lockTTL)
	}
	l := statestore.Lease{Chat: chat, MsgID: msgID, Token: c.locked, Counts: maps.Clone(c.counts)}
	if s.expired(c) {
		c.state, c.lines = nil, nil
		l.Expired = c.had
	}
	switch {
	case newChat.Key != "" && c.state == nil && !l.Expired:
		l.New = s.count(newChat)
		if l.New.Refused {
			c.locked, c.until, l.Token = "", time.Time{}, ""
			s.cond.Broadcast()
		}
	case armed.Key != "" && c.state != nil && c.armed:
		l.Armed = s.count(armed)
	}
	return l, c.state, nil
}

// count counts one use of lim in a fixed window from its first use, as
// the Redis store does.
func (s *memData) count(lim statestore.Limit) statestore.Verdict {
	now := s.now()
	n := s.limits[lim.Key]
	if !now.Before(n.Ends) {
		n = statestore.Count{Ends: now.Add(lim.Window)}
	}
	n.N++
	s.limits[lim.Key] = n
	if n.N <= lim.Max {
		return statestore.Verdict{Key: lim.Key, Counted: true}
	}
	return statestore.Verdict{Key: lim.Key, Counted: true, Refused: true, Retry: n.Ends.Sub(now)}
}

// giveBack gives back a use that v counted, while its window lasts.
func (s *memData) giveBack(v statestore.Verdict) {
	if n := s.limits[v.Key]; n.N > 0 && s.now().Before(n.Ends) {
		n.N--
		s.limits[v.Key] = n
	}
}

// wakeAtExpiry wakes the waiters when c's lock expires, if it does.
func (s *memData) wakeAtExpiry(c *memChat) {
	if c.until.IsZero() {
		return
	}
	time.AfterFunc(c.until.Sub(s.now()), func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.cond.Broadcast()
	})
}

// expired reports whether c's state ran out of idle time.
func (s *memData) expired(c *memChat) bool {
	return c.state != nil && !c.expires.IsZero() && !s.now().Before(c.expires)
}

// Commit implements statestore.Store.
func (s *MemStore) Commit(_ context.Context, l statestore.Lease, state []byte, lines [][]byte, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chat(l.Chat)
	if !s.held(c) || c.locked != l.Token {
		// The same commit again (a retry after a lost reply) is no loss.
		if l.MsgID != "" && c.seen[l.MsgID] == l.Token {
			return nil
		}
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
	c.armed = l.Arm && c.had
	if l.Armed.Counted && !l.Spent {
		s.giveBack(l.Armed)
	}
	c.counts = maps.Clone(l.Counts)
	c.expires = time.Time{}
	if ttl > 0 {
		c.expires = s.now().Add(ttl)
	}
	c.replyID, c.replies = "", nil
	if l.MsgID != "" {
		c.seen[l.MsgID] = l.Token
		if len(l.Replies) > 0 {
			c.replyID, c.replies, c.replyEnds = l.MsgID, slices.Clone(l.Replies), s.now().Add(statestore.ReplayTTL)
		}
	}
	c.locked, c.until = "", time.Time{}
	s.cond.Broadcast()
	return nil
}

// Release implements statestore.Store.
func (s *MemStore) Release(_ context.Context, l statestore.Lease) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chat(l.Chat)
	if s.held(c) && c.locked == l.Token {
		c.locked, c.until = "", time.Time{}
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
