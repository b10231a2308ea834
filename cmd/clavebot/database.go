package main

import (
	"fmt"

	"github.com/clavebot/clavebot/registry/sqlstore"
)

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
