package sqlstore

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// closeBound is how long Close waits for the connections to close as
// PostgreSQL expects (each prepared statement closed, then the
// connection: a round trip each) before it cuts them: a process stopping
// must be gone within its 25 s, and a slow PostgreSQL made that 14 to
// 57 s after "stopped" (a resilience probe); one that answers nothing,
// forever. The statements die with the connections.
const closeBound = 2 * time.Second

// cancelBound is how long a cancel request may take: a connection, 16
// bytes, the server closing it.
const cancelBound = time.Second

// connSet holds the network connections of the PostgreSQL pools, so Close
// can cut them.
type connSet struct {
	mu sync.Mutex
	m  map[*trackedConn]struct{}
}

type trackedConn struct {
	net.Conn
	set  *connSet
	once sync.Once
	// limit, when set, is a deadline no later one replaces (lib/pq puts
	// its connect_timeout's on every connection it dials).
	limit time.Time
}

func (c *trackedConn) SetDeadline(t time.Time) error {
	if !c.limit.IsZero() && (t.IsZero() || t.After(c.limit)) {
		t = c.limit
	}
	return c.Conn.SetDeadline(t)
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.set.mu.Lock()
		delete(c.set.m, c)
		c.set.mu.Unlock()
	})
	return c.Conn.Close()
}

// dial wraps dial so that the connections it makes are held in s.
func (s *connSet) dial(dial Dial) Dial {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		t := &trackedConn{Conn: c, set: s}
		if slot, ok := ctx.Value(netSlotKey{}).(*netSlot); ok {
			slot.set(t) // a connection of the pool (see boundConnector)
		} else {
			// lib/pq's cancel request, sent when a call's context
			// ends: a call on a prepared statement waits for it, which
			// reads until the server closes, and one that answers
			// nothing never does.
			t.limit = time.Now().Add(cancelBound)
			t.SetDeadline(t.limit)
		}
		s.mu.Lock()
		if s.m == nil {
			s.m = make(map[*trackedConn]struct{})
		}
		s.m[t] = struct{}{}
		s.mu.Unlock()
		return t, nil
	}
}

// cut closes every connection held: what waits on one fails at once.
func (s *connSet) cut() {
	s.mu.Lock()
	conns := make([]*trackedConn, 0, len(s.m))
	for c := range s.m {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// netDial is net.Dialer's, the dial lib/pq uses by default.
func netDial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

// Close closes the connections: the prepared statements, then the pools,
// within closeBound; past it the network connections are cut (and said
// so in the log), and the rest fails at once, its errors dropped.
func (d *DB) Close() error {
	done := make(chan error, 1)
	go func() { done <- d.closeAll() }()
	timer := time.NewTimer(closeBound)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
	}
	d.log.Warn("database slow to close: connections cut", "after", closeBound)
	d.conns.cut()
	timer.Reset(closeBound)
	select {
	case <-done:
		return nil
	case <-timer.C:
		return errors.New("close database: still closing after its connections were cut")
	}
}

func (d *DB) closeAll() error {
	var errList []error
	if d.read != nil && d.read != d.db {
		errList = append(errList, d.read.Close())
	}
	errList = append(errList, d.stmts.close(), d.cache.close(), d.db.Close())
	return errors.Join(errList...)
}
