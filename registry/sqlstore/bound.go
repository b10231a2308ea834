package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// A PostgreSQL that stops answering, its TCP still open (a stuck server,
// a proxy or a network that swallows the bytes), held every call with no
// limit: lib/pq, when a call's context ends, sends a cancel request and
// keeps waiting for an answer that does not come. The turns hung, past
// their deadline, and the person got no apology (a resilience probe). So
// every call on a connection ends when its context does: the connection's
// network deadline is put in the past, what waits on it fails at once,
// and lib/pq drops the connection. A healthy server is not affected: a
// call whose context ends is cancelled as before (the connection is lost
// either way). Connections are bound from their dial (Connect) to the end
// of each call: a statement, a query and its rows, a transaction.

// boundConnector makes lib/pq's connections end their calls with their
// contexts.
type boundConnector struct{ next driver.Connector }

// netSlot receives, in Connect's context, the network connection dialled
// for it (see connSet.dial).
type netSlot struct {
	mu      sync.Mutex
	c       net.Conn
	expired bool
}

type netSlotKey struct{}

func (s *netSlot) set(c net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.c = c
	if s.expired {
		expire(c)
	}
}

func (s *netSlot) expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expired = true
	if s.c != nil {
		expire(s.c)
	}
}

func (s *netSlot) get() net.Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.c
}

// expire makes every read and write on c fail from now on.
func expire(c net.Conn) { c.SetDeadline(time.Unix(1, 0)) }

func (b boundConnector) Driver() driver.Driver { return b.next.Driver() }

func (b boundConnector) Connect(ctx context.Context) (driver.Conn, error) {
	slot := &netSlot{}
	stop := context.AfterFunc(ctx, slot.expire)
	c, err := b.next.Connect(context.WithValue(ctx, netSlotKey{}, slot))
	stop()
	if err != nil {
		return nil, ended(ctx, err)
	}
	nc := slot.get()
	if nc == nil {
		return c, nil // not dialled through connSet: left as it is
	}
	return &boundConn{pq: c, nc: nc}, nil
}

// boundConn is one of lib/pq's connections whose calls end with their
// contexts.
type boundConn struct {
	pq driver.Conn
	nc net.Conn
}

// bind makes the connection fail when ctx ends, until the returned func
// is called.
func (c *boundConn) bind(ctx context.Context) func() {
	stop := context.AfterFunc(ctx, func() { expire(c.nc) })
	return func() { stop() }
}

// ended says, of an error of a call whose context ended, that it did.
func ended(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
		return fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	return err
}

var (
	_ driver.Conn               = (*boundConn)(nil)
	_ driver.ConnPrepareContext = (*boundConn)(nil)
	_ driver.ConnBeginTx        = (*boundConn)(nil)
	_ driver.ExecerContext      = (*boundConn)(nil)
	_ driver.QueryerContext     = (*boundConn)(nil)
	_ driver.Pinger             = (*boundConn)(nil)
	_ driver.SessionResetter    = (*boundConn)(nil)
	_ driver.Validator          = (*boundConn)(nil)
	_ driver.NamedValueChecker  = (*boundConn)(nil)
)

var errNotPQ = errors.New("sqlstore: the driver's connection lacks a method lib/pq has")

func (c *boundConn) Prepare(q string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), q)
}
func (c *boundConn) Close() error { return c.pq.Close() }
func (c *boundConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *boundConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	p, ok := c.pq.(driver.ConnPrepareContext)
	if !ok {
		return nil, errNotPQ // lib/pq has it
	}
	defer c.bind(ctx)()
	st, err := p.PrepareContext(ctx, q)
	if err != nil {
		return nil, ended(ctx, err)
	}
	return &boundStmt{pq: st, conn: c}, nil
}

// BeginTx binds the connection to ctx until the transaction ends:
// database/sql rolls a transaction back when its context ends, which
// waited for the server too.
func (c *boundConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	b, ok := c.pq.(driver.ConnBeginTx)
	if !ok {
		return nil, errNotPQ
	}
	unbind := c.bind(ctx)
	tx, err := b.BeginTx(ctx, opts)
	if err != nil {
		unbind()
		return nil, ended(ctx, err)
	}
	return &boundTx{pq: tx, unbind: unbind}, nil
}

func (c *boundConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	e, ok := c.pq.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	defer c.bind(ctx)()
	res, err := e.ExecContext(ctx, q, args)
	return res, ended(ctx, err)
}

func (c *boundConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	qc, ok := c.pq.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	unbind := c.bind(ctx)
	rows, err := qc.QueryContext(ctx, q, args)
	if err != nil {
		unbind()
		return nil, ended(ctx, err)
	}
	return &boundRows{Rows: rows, unbind: unbind}, nil
}

func (c *boundConn) Ping(ctx context.Context) error {
	p, ok := c.pq.(driver.Pinger)
	if !ok {
		return nil
	}
	defer c.bind(ctx)()
	return ended(ctx, p.Ping(ctx))
}

func (c *boundConn) ResetSession(ctx context.Context) error {
	if r, ok := c.pq.(driver.SessionResetter); ok {
		defer c.bind(ctx)()
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *boundConn) IsValid() bool {
	if v, ok := c.pq.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *boundConn) CheckNamedValue(nv *driver.NamedValue) error {
	if n, ok := c.pq.(driver.NamedValueChecker); ok {
		return n.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// boundTx ends the connection's binding with the transaction.
type boundTx struct {
	pq     driver.Tx
	unbind func()
}

func (t *boundTx) Commit() error {
	defer t.unbind()
	return t.pq.Commit()
}

func (t *boundTx) Rollback() error {
	defer t.unbind()
	return t.pq.Rollback()
}

// boundStmt is a prepared statement whose calls end with their contexts.
type boundStmt struct {
	pq   driver.Stmt
	conn *boundConn
}

func (s *boundStmt) Close() error  { return s.pq.Close() }
func (s *boundStmt) NumInput() int { return s.pq.NumInput() }

// Exec and Query are driver.Stmt's; database/sql calls the Context forms.
func (s *boundStmt) Exec(args []driver.Value) (driver.Result, error) { return s.pq.Exec(args) }
func (s *boundStmt) Query(args []driver.Value) (driver.Rows, error)  { return s.pq.Query(args) }

func (s *boundStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	defer s.conn.bind(ctx)()
	var res driver.Result
	var err error
	if e, ok := s.pq.(driver.StmtExecContext); ok {
		res, err = e.ExecContext(ctx, args)
	} else {
		res, err = s.pq.Exec(values(args)) // lib/pq's COPY
	}
	return res, ended(ctx, err)
}

func (s *boundStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	unbind := s.conn.bind(ctx)
	var rows driver.Rows
	var err error
	if q, ok := s.pq.(driver.StmtQueryContext); ok {
		rows, err = q.QueryContext(ctx, args)
	} else {
		rows, err = s.pq.Query(values(args))
	}
	if err != nil {
		unbind()
		return nil, ended(ctx, err)
	}
	return &boundRows{Rows: rows, unbind: unbind}, nil
}

// values are args as the statements without context take them (as
// database/sql passes them: named arguments are refused before).
func values(args []driver.NamedValue) []driver.Value {
	out := make([]driver.Value, len(args))
	for i, a := range args {
		out[i] = a.Value
	}
	return out
}

// boundRows ends the connection's binding when the rows are closed: they
// are read from the connection as they are scanned.
type boundRows struct {
	driver.Rows
	unbind func()
	once   sync.Once
}

func (r *boundRows) Close() error {
	defer r.once.Do(r.unbind)
	return r.Rows.Close()
}

func (r *boundRows) HasNextResultSet() bool {
	n, ok := r.Rows.(driver.RowsNextResultSet)
	return ok && n.HasNextResultSet()
}

func (r *boundRows) NextResultSet() error {
	if n, ok := r.Rows.(driver.RowsNextResultSet); ok {
		return n.NextResultSet()
	}
	return errors.New("sqlstore: no next result set")
}
