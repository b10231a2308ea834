package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
)

//go:embed migrations
var embedded embed.FS

// registryMigrations is the registry's own set: migrations/postgres/*.sql and
// migrations/sqlite/*.sql.
func registryMigrations() fs.FS {
	sub, err := fs.Sub(embedded, "migrations")
	if err != nil {
		panic(err) // the directory is embedded; fs.Sub fails only on a bad name
	}
	return sub
}

// migrateLock is the PostgreSQL advisory lock key that serializes migrations
// of several processes starting at once.
const migrateLock = 0x636c617665626f74 // "clavebot"

type migrationSet struct {
	name string
	fsys fs.FS
}

type migration struct {
	version int
	file    string
	sql     string
}

// Migrate applies every pending migration: the registry's, then those of the
// sets given with WithMigrations. Open calls it; `clavebot registry migrate`
// may call it again, which does nothing when all are applied.
func (d *DB) Migrate(ctx context.Context) error {
	for _, s := range d.sets {
		if err := d.MigrateSet(ctx, s.name, s.fsys); err != nil {
			return err
		}
	}
	return nil
}

// MigrateSet applies the pending migrations of one named set; fsys is laid
// out as for WithMigrations.
func (d *DB) MigrateSet(ctx context.Context, name string, fsys fs.FS) error {
	ms, err := loadMigrations(fsys, d.dialect)
	if err != nil {
		return fmt.Errorf("migrations %s: %w", name, err)
	}
	if err := d.inTx(ctx, "create schema_migrations", createMigrationsTable); err != nil {
		return err
	}
	for _, m := range ms {
		err := d.inTx(ctx, "migrate "+name+" "+m.file, func(ctx context.Context, tx *sqlx.Tx) error {
			return d.apply(ctx, tx, name, m)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func createMigrationsTable(ctx context.Context, tx *sqlx.Tx) error {
	if err := lockMigrations(ctx, tx); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		set_name   TEXT NOT NULL,
		version    INTEGER NOT NULL,
		file       TEXT NOT NULL,
		applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
		PRIMARY KEY (set_name, version))`)
	return err
}

// lockMigrations makes a second process wait for the first one's migration
// on PostgreSQL; SQLite's BEGIN IMMEDIATE already did.
func lockMigrations(ctx context.Context, tx *sqlx.Tx) error {
	if tx.DriverName() != Postgres {
		return nil
	}
	if err := noStatementTimeout(ctx, tx); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrateLock))
	return err
}

func (d *DB) apply(ctx context.Context, tx *sqlx.Tx, set string, m migration) error {
	if err := lockMigrations(ctx, tx); err != nil {
		return err
	}
	var n int
	err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT count(*) FROM schema_migrations WHERE set_name = ? AND version = ?`), set, m.version)
	if err != nil || n > 0 {
		return err
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(`INSERT INTO schema_migrations (set_name, version, file) VALUES (?, ?, ?)`), set, m.version, m.file)
	if err == nil {
		d.log.Info("migration applied", "set", set, "file", m.file)
	}
	return err
}

// loadMigrations reads dialect/NNNN_name.sql from fsys, in version order.
func loadMigrations(fsys fs.FS, dialect string) ([]migration, error) {
	names, err := fs.Glob(fsys, dialect+"/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	seen := map[int]string{}
	for _, name := range names {
		file := path.Base(name)
		num, _, _ := strings.Cut(file, "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("%s: want NNNN_description.sql", name)
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("%s and %s have the same version", prev, file)
		}
		seen[v] = file
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, file: file, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}
