// Package sqlstore implements registry.Store on PostgreSQL (lib/pq) and
// SQLite (modernc.org/sqlite) with one code path: queries are written with ?
// and rebound by sqlx; only migrations and the bulk import differ by dialect.
package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"  // registers "postgres"
	_ "modernc.org/sqlite" // registers "sqlite"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// Dialects, also the database/sql driver names.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// DB is the registry's database. It is safe for concurrent use.
type DB struct {
	db      *sqlx.DB
	read    *sqlx.DB // citizens' records: db, or a replica (WithReadURL)
	dialect string
	where   string // the URL without credentials, for error messages
	log     *slog.Logger
	sets    []migrationSet
	now     func() time.Time
	// batchSize is how many citizens Import holds and writes at once.
	batchSize int

	pool        Pool
	stmtTimeout time.Duration
	readURL     string
	dial        Dial
	stmts       statements
	cache       preparedCache
	conns       connSet // PostgreSQL's network connections (see Close)
}

var (
	_ registry.Store       = (*DB)(nil)
	_ registry.FirstDrawer = (*DB)(nil)
)

// Option configures Open.
type Option func(*DB)

// WithMigrations adds a named set of migrations that Open (and Migrate)
// apply after the registry's own. fsys holds one directory per dialect,
// postgres/ and sqlite/, of files NNNN_description.sql; each file runs once,
// in its own transaction, and is recorded in schema_migrations under name.
// Other packages (the WhatsApp session, the agents' desk) keep their tables
// in the same database this way. The name "registry" is the registry's own.
func WithMigrations(name string, fsys fs.FS) Option {
	return func(d *DB) { d.sets = append(d.sets, migrationSet{name: name, fsys: fsys}) }
}

// WithClock sets the clock that stamps imports (citizens.updated_at) and
// audit events given without a time. The default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(d *DB) { d.now = now }
}

// Open connects to url (postgres://... or sqlite:PATH), checks that the
// database answers and applies pending migrations. An unreachable database
// is an Unavailable error naming it.
func Open(ctx context.Context, url string, log *slog.Logger, opts ...Option) (*DB, error) {
	t, err := parseURL(url)
	if err != nil {
		return nil, errs.E(errs.Invalid, "open database", err)
	}
	if t.dialect == SQLite {
		// modernc's driver name is unknown to sqlx; storing the same value
		// again is harmless, so Open can do it every time.
		sqlx.BindDriver(SQLite, sqlx.QUESTION)
		if err := makeParentDir(t.path); err != nil {
			return nil, errs.E(errs.Unavailable, "open database", err)
		}
	}
	d := &DB{dialect: t.dialect, where: t.where, log: log.With("component", "sqlstore"), now: time.Now, batchSize: importBatch, pool: DefaultPool}
	d.sets = append(d.sets, migrationSet{name: "registry", fsys: registryMigrations()})
	for _, o := range opts {
		o(d)
	}
	if d.db, err = d.openPool(t); err != nil {
		return nil, err
	}
	if err := d.start(ctx, t); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// openPool opens the connections to t.
func (d *DB) openPool(t target) (*sqlx.DB, error) {
	if t.dialect == Postgres {
		return d.openPostgres(t)
	}
	sdb, err := sqlx.Open(t.dialect, t.dsn)
	if err != nil {
		return nil, errs.E(errs.Invalid, "open database", fmt.Errorf("%s: %w", t.where, err))
	}
	// Writers queue on SQLite's lock anyway; a few connections serve the
	// readers without many idle file handles.
	sdb.SetMaxOpenConns(8)
	return sdb, nil
}

func (d *DB) start(ctx context.Context, t target) error {
	if err := d.db.PingContext(ctx); err != nil {
		return errs.E(errs.Unavailable, "open database", fmt.Errorf("%s: %w", d.where, err))
	}
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	if err := d.openReplica(ctx); err != nil {
		return err
	}
	return d.prepare(ctx)
}

// openReplica opens the read-only replica of WithReadURL, or reads from
// the primary.
func (d *DB) openReplica(ctx context.Context) error {
	d.read = d.db
	if d.readURL == "" {
		return nil
	}
	t, err := parseURL(d.readURL)
	if err != nil || t.dialect != d.dialect {
		return errs.E(errs.Invalid, "open read replica", errors.New("the read URL must be a database of the same kind as the database URL"))
	}
	if d.read, err = d.openPool(t); err != nil {
		return err
	}
	if err := d.read.PingContext(ctx); err != nil {
		return errs.E(errs.Unavailable, "open read replica", fmt.Errorf("%s: %w", t.where, err))
	}
	return nil
}

// Ping checks that the database answers, for /readyz.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.db.PingContext(ctx); err != nil {
		return errs.E(errs.Unavailable, "ping database", fmt.Errorf("%s: %w", d.where, err))
	}
	return nil
}

// DB returns the connection pool, for packages that keep their own tables in
// the registry's database (see WithMigrations). Queries written with ? must
// go through DB().Rebind.
func (d *DB) DB() *sqlx.DB { return d.db }

// Dialect is "postgres" or "sqlite".
func (d *DB) Dialect() string { return d.dialect }
