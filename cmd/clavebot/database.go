package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/clavebot/clavebot/registry/sqlstore"
)

// databaseConfig is how a process uses PostgreSQL in production: its pool,
// a statement timeout and an optional read replica. TLS goes in the URL
// (sslmode=verify-full&sslrootcert=/path/ca.crt, lib/pq's parameters).
type databaseConfig struct {
	MaxConns         int
	ConnLifetime     time.Duration
	StatementTimeout time.Duration
	ReadURL          string
}

func (dc *databaseConfig) register(fs *flag.FlagSet) {
	def := sqlstore.DefaultPool
	fs.IntVar(&dc.MaxConns, "database-max-conns", envInt("CLAVEBOT_DATABASE_MAX_CONNS", def.MaxConns), "PostgreSQL connections this process opens at most, all kept open while idle")
	fs.DurationVar(&dc.ConnLifetime, "database-conn-lifetime", envDuration("CLAVEBOT_DATABASE_CONN_LIFETIME", def.ConnLifetime), "a PostgreSQL connection is replaced after this long (0: never)")
	fs.DurationVar(&dc.StatementTimeout, "database-statement-timeout", envDuration("CLAVEBOT_DATABASE_STATEMENT_TIMEOUT", 5*time.Second), "PostgreSQL cancels a statement running longer (0: no limit; migrations and imports are exempt)")
	fs.StringVar(&dc.ReadURL, "database-read-url", env("CLAVEBOT_DATABASE_READ_URL", ""), "postgres://... of a read-only replica for citizens' records (keys and lockouts are always read from --database-url)")
}

// check refuses settings that would make the pool unusable.
func (dc *databaseConfig) check() error {
	if dc.MaxConns < 1 || dc.ConnLifetime < 0 || dc.StatementTimeout < 0 {
		return fmt.Errorf("database: --database-max-conns must be at least 1, and the lifetime and statement timeout not negative")
	}
	return nil
}

// options are the sqlstore options of the configuration.
func (dc *databaseConfig) options() []sqlstore.Option {
	if dc.MaxConns == 0 { // a config built without flags (tests)
		return nil
	}
	opts := []sqlstore.Option{
		sqlstore.WithPool(sqlstore.Pool{MaxConns: dc.MaxConns, ConnLifetime: dc.ConnLifetime}),
		sqlstore.WithStatementTimeout(dc.StatementTimeout),
	}
	if dc.ReadURL != "" {
		opts = append(opts, sqlstore.WithReadURL(dc.ReadURL))
	}
	return opts
}
