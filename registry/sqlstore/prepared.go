package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// preparedCache holds statements prepared on the primary pool, by their
// text as written (with ?). database/sql prepares each on a connection the
// first time it runs there and reuses it after, so a statement costs one
// round trip instead of lib/pq's two (Parse and Describe, then Bind and
// Execute, on an unnamed statement). Only statements of fixed text belong
// here: the cache never forgets.
type preparedCache struct {
	mu      sync.Mutex
	m       map[string]*sqlx.Stmt
	warming map[string]bool
	wg      sync.WaitGroup
}

// prepared returns q, written with ?, prepared on the primary pool. Never
// call it while holding a transaction: preparing takes a connection of the
// pool, and with every connection held by a transaction waiting for one,
// nothing would move (see stmtFor).
func (d *DB) prepared(ctx context.Context, q string) (*sqlx.Stmt, error) {
	c := &d.cache
	c.mu.Lock()
	st, ok := c.m[q]
	c.mu.Unlock()
	if ok {
		return st, nil
	}
	st, err := d.db.PreparexContext(ctx, d.db.Rebind(q))
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	prev, ok := c.m[q]
	if !ok {
		if c.m == nil {
			c.m = make(map[string]*sqlx.Stmt)
		}
		c.m[q] = st
	}
	c.mu.Unlock()
	if ok {
		// Prepared meanwhile by another turn: this copy goes, outside the
		// lock. Closing it waits for the connection it was prepared on,
		// which may be running a statement that waits for a row held by a
		// transaction, whose next statement needs the lock: closing under
		// the lock hung ConcurrentAttempts (-race, about 1 run in 30).
		return prev, st.Close()
	}
	return st, nil
}

func (c *preparedCache) close() error {
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	var errList []error
	for _, st := range c.m {
		errList = append(errList, st.Close())
	}
	c.m = nil
	return errors.Join(errList...)
}

// get, exec and selectAll run q, written with ?, prepared (see prepared)
// on PostgreSQL: in tx, or on the primary pool when tx is nil. SQLite runs
// in process, where preparing saves no round trip.
func (d *DB) get(ctx context.Context, tx *sqlx.Tx, dest any, q string, args ...any) error {
	st, ok, err := d.stmtFor(ctx, tx, q)
	switch {
	case err != nil:
		return err
	case !ok && tx != nil:
		return tx.GetContext(ctx, dest, tx.Rebind(q), args...)
	case !ok:
		return d.db.GetContext(ctx, dest, d.db.Rebind(q), args...)
	}
	return st.GetContext(ctx, dest, args...)
}

func (d *DB) exec(ctx context.Context, tx *sqlx.Tx, q string, args ...any) (sql.Result, error) {
	st, ok, err := d.stmtFor(ctx, tx, q)
	switch {
	case err != nil:
		return nil, err
	case !ok && tx != nil:
		return tx.ExecContext(ctx, tx.Rebind(q), args...)
	case !ok:
		return d.db.ExecContext(ctx, d.db.Rebind(q), args...)
	}
	return st.ExecContext(ctx, args...)
}

func (d *DB) selectAll(ctx context.Context, tx *sqlx.Tx, dest any, q string, args ...any) error {
	st, ok, err := d.stmtFor(ctx, tx, q)
	switch {
	case err != nil:
		return err
	case !ok && tx != nil:
		return tx.SelectContext(ctx, dest, tx.Rebind(q), args...)
	case !ok:
		return d.db.SelectContext(ctx, dest, d.db.Rebind(q), args...)
	}
	return st.SelectContext(ctx, dest, args...)
}

// stmtFor returns q prepared for tx (nil: the pool), or false when it is
// to run unprepared. Inside a transaction a statement not yet prepared runs
// unprepared this once while it is prepared in the background, once the
// pool has a connection to spare: preparing it here would wait for a
// connection while holding one (see prepared).
func (d *DB) stmtFor(ctx context.Context, tx *sqlx.Tx, q string) (*sqlx.Stmt, bool, error) {
	if d.dialect != Postgres {
		return nil, false, nil
	}
	if tx == nil {
		st, err := d.prepared(ctx, q)
		return st, err == nil, err
	}
	c := &d.cache
	c.mu.Lock()
	st, ok := c.m[q]
	c.mu.Unlock()
	if ok {
		return tx.StmtxContext(ctx, st), true, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.warming[q] {
		if c.warming == nil {
			c.warming = make(map[string]bool)
		}
		c.warming[q] = true
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if _, err := d.prepared(ctx, q); err != nil {
				d.log.Debug("prepare statement", "err", err)
				c.mu.Lock()
				delete(c.warming, q) // tried again next time
				c.mu.Unlock()
			}
		}()
	}
	return nil, false, nil
}

// scanRows runs q, written with ?, prepared (see prepared), and calls
// each for every row. The donors' queries scan this way, field by field:
// a question set reads a few hundred of their rows, and sqlx's reflection
// over them cost more of serve's time than drawing the questions. They
// are prepared on SQLite too, as its hot statements are (see statements):
// no round trip is saved in process, but the window's statement, a few
// kilobytes of SQL, was compiled again at every draw.
func (d *DB) scanRows(ctx context.Context, q string, args []any, each func(*sql.Rows) error) error {
	st, err := d.prepared(ctx, q)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
