package sqlstore

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// target is a parsed database URL.
type target struct {
	dialect string
	dsn     string // what the driver gets
	path    string // SQLite's file
	where   string // printable: no password
}

// sqlitePragmas are set on every SQLite connection: foreign keys on, WAL so
// readers do not block the writer, a wait instead of "database is locked",
// and BEGIN IMMEDIATE so a transaction that reads then writes (a lockout
// count) takes the write lock first and cannot fail to upgrade it.
const sqlitePragmas = "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_txlock=immediate"

func parseURL(raw string) (target, error) {
	switch {
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		return postgresTarget(raw)
	case strings.HasPrefix(raw, "sqlite:"):
		return sqliteTarget(strings.TrimPrefix(raw, "sqlite:"))
	}
	return target{}, errors.New("database URL must start with postgres:// or sqlite:")
}

func postgresTarget(raw string) (target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return target{}, errors.New("database URL is not a valid postgres:// URL")
	}
	q := u.Query()
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
	}
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", "10") // a silent host fails instead of hanging
	}
	u.RawQuery = q.Encode()
	where := fmt.Sprintf("postgres at %s%s", u.Host, u.Path)
	return target{dialect: Postgres, dsn: u.String(), where: where}, nil
}

// sqliteTarget reads sqlite:PATH, sqlite://PATH and sqlite:PATH?query.
func sqliteTarget(rest string) (target, error) {
	rest = strings.TrimPrefix(rest, "//")
	path, query, _ := strings.Cut(rest, "?")
	if path == "" {
		return target{}, errors.New("sqlite: URL names no file")
	}
	dsn := "file:" + path + "?" + sqlitePragmas
	if query != "" {
		dsn += "&" + query
	}
	return target{dialect: SQLite, dsn: dsn, path: path, where: "sqlite file " + path}, nil
}

func makeParentDir(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create database directory: %w", err)
	}
	return nil
}
