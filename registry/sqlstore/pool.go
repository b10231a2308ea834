package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/clavebot/clavebot/internal/errs"
)

// Pool sizes the PostgreSQL connection pool. Idle connections are kept up
// to MaxConns: database/sql's default of two idle connections makes
// PostgreSQL fork a backend for almost every query under concurrent turns.
type Pool struct {
	MaxConns     int           // open connections at most, all kept idle
	ConnLifetime time.Duration // a connection is replaced after this long (0: never)
}

// DefaultPool suits one serve process on a few cores: a turn reads the
// registry at most once, so a few connections keep up with hundreds of
// turns in flight.
var DefaultPool = Pool{MaxConns: 16, ConnLifetime: 30 * time.Minute}

// Dial makes a network connection; WithDialer replaces net.Dialer's.
type Dial func(ctx context.Context, network, addr string) (net.Conn, error)

// WithPool sizes the PostgreSQL pool (DefaultPool when not given). SQLite
// keeps its own few connections.
func WithPool(p Pool) Option { return func(d *DB) { d.pool = p } }

// WithStatementTimeout makes PostgreSQL cancel any statement running longer
// than t (0, the default: no limit), so a stuck query frees its connection
// and the person is told to try again. Migrations and imports are exempt.
func WithStatementTimeout(t time.Duration) Option { return func(d *DB) { d.stmtTimeout = t } }

// WithReadURL reads citizens' records (not keys or lockouts, which decide
// security and must be current) from a read-only replica at url, a
// postgres:// URL. Nothing is migrated or written there.
func WithReadURL(url string) Option { return func(d *DB) { d.readURL = url } }

// WithDialer connects to PostgreSQL through dial (serve counts round trips
// this way).
func WithDialer(dial Dial) Option { return func(d *DB) { d.dial = dial } }

// openPostgres opens a pool on t sized and configured by d's options.
func (d *DB) openPostgres(t target) (*sqlx.DB, error) {
	dsn := t.dsn
	if d.stmtTimeout > 0 {
		dsn += "&statement_timeout=" + fmt.Sprint(d.stmtTimeout.Milliseconds())
	}
	conn, err := pq.NewConnector(dsn)
	if err != nil {
		return nil, errs.E(errs.Invalid, "open database", fmt.Errorf("%s: %w", t.where, err))
	}
	dial := d.dial
	if dial == nil {
		dial = netDial
	}
	conn.Dialer(dialer{d.conns.dial(dial)})
	db := sql.OpenDB(boundConnector{conn})
	db.SetMaxOpenConns(d.pool.MaxConns)
	db.SetMaxIdleConns(d.pool.MaxConns)
	db.SetConnMaxLifetime(d.pool.ConnLifetime)
	return sqlx.NewDb(db, Postgres), nil
}

// dialer adapts a Dial to lib/pq's Dialer and DialerContext.
type dialer struct{ dial Dial }

func (x dialer) Dial(network, addr string) (net.Conn, error) {
	return x.dial(context.Background(), network, addr)
}

func (x dialer) DialTimeout(network, addr string, timeout time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return x.dial(ctx, network, addr)
}

func (x dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return x.dial(ctx, network, addr)
}

// noStatementTimeout lifts the statement timeout for the rest of tx: a
// migration or a large import may rightly run for minutes.
func noStatementTimeout(ctx context.Context, tx *sqlx.Tx) error {
	if tx.DriverName() != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SET LOCAL statement_timeout = 0`)
	return err
}
