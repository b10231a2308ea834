package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/clavebot/clavebot/internal/logid"
	"github.com/clavebot/clavebot/registry"
)

// defaultDatabase is the embedded SQLite registry of CONTRACT §1.
const defaultDatabase = "sqlite:./clavebot-data/registry.db"

// config is what every subcommand reads, from a flag or the environment
// (the flag wins).
type config struct {
	DatabaseURL string
	RedisURL    string
	ChatLockTTL time.Duration
	Lang        string
	LogLevel    string
	LogKey      string
	Policy      registry.Policy
	SMTP        smtpConfig
	Database    databaseConfig
}

// newFlags returns a flag set with the common configuration registered.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *config) {
	fs := flag.NewFlagSet("clavebot "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	fs.StringVar(&c.DatabaseURL, "database-url", env("CLAVEBOT_DATABASE_URL", ""), "postgres://... or sqlite:PATH (default: embedded SQLite at ./clavebot-data/registry.db)")
	fs.StringVar(&c.RedisURL, "redis-url", env("CLAVEBOT_REDIS_URL", ""), "redis://, rediss://, redis+cluster://H:P,H:P... or redis+sentinel://H:P,H:P.../MASTER (default: an embedded in-process Redis)")
	fs.DurationVar(&c.ChatLockTTL, "chat-lock-ttl", envDuration("CLAVEBOT_CHAT_LOCK_TTL", defaultChatLockTTL), "how long a chat stays locked when the process handling its message dies")
	fs.StringVar(&c.Lang, "lang", env("CLAVEBOT_LANG", "es"), "language: es or en")
	fs.StringVar(&c.LogLevel, "log-level", env("CLAVEBOT_LOG_LEVEL", "info"), "debug, info, warn or error")
	fs.StringVar(&c.LogKey, "log-key", env("CLAVEBOT_LOG_KEY", ""), "key of the chat pseudonyms in the log (default: a random one per process); the same on every replica to follow a chat across them")
	c.Policy = registry.DefaultPolicy()
	registerPolicy(fs, &c.Policy)
	c.SMTP.register(fs)
	c.Database.register(fs)
	return fs, c
}

// registerPolicy makes each policy of CONTRACT §5 configurable.
func registerPolicy(fs *flag.FlagSet, p *registry.Policy) {
	fs.IntVar(&p.KeyMinLen, "key-min-len", envInt("CLAVEBOT_KEY_MIN_LEN", p.KeyMinLen), "shortest key allowed")
	fs.IntVar(&p.KeyMaxLen, "key-max-len", envInt("CLAVEBOT_KEY_MAX_LEN", p.KeyMaxLen), "longest key allowed")
	fs.IntVar(&p.Questions, "questions", envInt("CLAVEBOT_QUESTIONS", p.Questions), "identity questions asked, all must be right")
	fs.IntVar(&p.Validation.Max, "validation-max-failures", envInt("CLAVEBOT_VALIDATION_MAX_FAILURES", p.Validation.Max), "failed validations of a CUIL before it is locked")
	fs.DurationVar(&p.Validation.For, "validation-lock", envDuration("CLAVEBOT_VALIDATION_LOCK", p.Validation.For), "how long a CUIL cannot validate after too many failures")
	fs.DurationVar(&p.Validation.MaxFor, "validation-lock-max", envDuration("CLAVEBOT_VALIDATION_LOCK_MAX", p.Validation.MaxFor), "repeated validation locks double up to this (0: each lasts --validation-lock)")
	fs.IntVar(&p.WrongKeys.Max, "key-max-wrong", envInt("CLAVEBOT_KEY_MAX_WRONG", p.WrongKeys.Max), "consecutive wrong keys before the key is locked")
	fs.DurationVar(&p.WrongKeys.For, "key-lock", envDuration("CLAVEBOT_KEY_LOCK", p.WrongKeys.For), "how long a key stays locked")
	fs.DurationVar(&p.IdleTimeout, "idle-timeout", envDuration("CLAVEBOT_IDLE_TIMEOUT", p.IdleTimeout), "a chat without messages this long starts over")
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

// policy is the configured policy; a config built without flags (in
// tests) gets CONTRACT §5's defaults.
func (c *config) policy() registry.Policy {
	if c.Policy == (registry.Policy{}) {
		return registry.DefaultPolicy()
	}
	return c.Policy
}

// validPolicy refuses settings that would make the service unusable.
func validPolicy(p registry.Policy) error {
	switch {
	case p.KeyMinLen < 6 || p.KeyMaxLen < p.KeyMinLen:
		return fmt.Errorf("policy: keys must allow at least 6 characters, and --key-max-len must not be below --key-min-len")
	case p.Questions < 1 || p.Questions > 4:
		return fmt.Errorf("policy: --questions must be 1 to 4")
	case p.Validation.Max < 1 || p.WrongKeys.Max < 1:
		return fmt.Errorf("policy: failure limits must be at least 1")
	case p.Validation.MaxFor < 0:
		return fmt.Errorf("policy: --validation-lock-max must not be negative")
	case p.Validation.For <= 0 || p.WrongKeys.For <= 0 || p.IdleTimeout < time.Minute:
		return fmt.Errorf("policy: lock durations must be positive and --idle-timeout at least 1m")
	}
	return nil
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

// parseConfig parses args and checks the policies they set.
func parseConfig(fs *flag.FlagSet, c *config, args []string) error {
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := validPolicy(c.Policy); err != nil {
		return &exitError{code: 2, msg: "clavebot: " + err.Error()}
	}
	if err := validRedis(c); err != nil {
		return &exitError{code: 2, msg: "clavebot: " + err.Error()}
	}
	if err := c.Database.check(); err != nil {
		return &exitError{code: 2, msg: "clavebot: " + err.Error()}
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
	// Chats are logged by pseudonym: a chat id is a person's Telegram id
	// or phone number.
	return slog.New(logid.NewHandler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl}), []byte(c.LogKey)))
}
