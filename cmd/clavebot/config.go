package main

import (
	"flag"
	"io"
	"log/slog"
	"os"
	"strings"
)

// defaultDatabase is the embedded SQLite registry of CONTRACT §1.
const defaultDatabase = "sqlite:./clavebot-data/registry.db"

// config is what every subcommand reads, from a flag or the environment
// (the flag wins).
type config struct {
	DatabaseURL string
	RedisURL    string
	Lang        string
	LogLevel    string
}

// newFlags returns a flag set with the common configuration registered.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *config) {
	fs := flag.NewFlagSet("clavebot "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	fs.StringVar(&c.DatabaseURL, "database-url", env("CLAVEBOT_DATABASE_URL", ""), "postgres://... or sqlite:PATH (default: embedded SQLite at ./clavebot-data/registry.db)")
	fs.StringVar(&c.RedisURL, "redis-url", env("CLAVEBOT_REDIS_URL", ""), "redis://... (default: an embedded in-process Redis)")
	fs.StringVar(&c.Lang, "lang", env("CLAVEBOT_LANG", "es"), "language: es or en")
	fs.StringVar(&c.LogLevel, "log-level", env("CLAVEBOT_LOG_LEVEL", "info"), "debug, info, warn or error")
	return fs, c
}

// parse parses args; -h gives status 0, bad flags status 2.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return &exitError{code: 0}
		}
		return &exitError{code: 2}
	}
	return nil
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func envBool(name string) bool {
	switch strings.ToLower(os.Getenv(name)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// database is the URL to open: the embedded SQLite file by default.
func (c *config) database() string {
	if c.DatabaseURL == "" {
		return defaultDatabase
	}
	return c.DatabaseURL
}

// logger writes text logs to w at the configured level.
func (c *config) logger(w io.Writer) *slog.Logger {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		lvl = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl}))
}
