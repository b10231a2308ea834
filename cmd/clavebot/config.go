package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/clavebot/clavebot/bot/whatsapp/cloud"
	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/logid"
	"github.com/clavebot/clavebot/loadtest"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

// This file is the only one that reads the environment: every setting is a
// field of config, from a flag or its CLAVEBOT_ variable (the flag wins),
// and the rest of the command reads config (see TestEnvironmentOnlyInConfig).

// defaultDatabase is the embedded SQLite registry of CONTRACT §1.
const defaultDatabase = "sqlite:./clavebot-data/registry.db"

// config is what every subcommand reads. A config built in a test without
// flags gets the contract's defaults where it matters (see policy,
// chatLockTTL, options).
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
	// QuestionSecret keeps identity questions the same across restarts
	// and replicas (CLAVEBOT_QUESTION_SECRET, no flag); the database URL
	// when empty.
	QuestionSecret string

	serveConfig             // serve
	JSONL          bool     // chat --jsonl
	CUIL, Source   string   // key verify
	Role           string   // agent add --role
	Retention      ageValue // retention --retention
	AuditRetention ageValue // retention --audit-retention
	Loadtest       loadtestConfig
}

// serveConfig is serve's own configuration.
type serveConfig struct {
	HTTPAddr string
	APIToken string
	channelConfig
	deskConfig
	perfConfig
}

// deskConfig is the help desk's settings of serve; a terminal chat with a
// shared Redis reads its hours from the environment only.
type deskConfig struct {
	Hours          string
	Zone           string
	SecureCookie   bool
	TrustedProxies string
}

// channelConfig is the Telegram and WhatsApp settings of serve.
type channelConfig struct {
	TelegramToken         string
	TelegramAPIURL        string
	TelegramWebhookURL    string
	TelegramWebhookSecret string

	WhatsApp      bool
	WhatsAppMode  string
	WhatsAppPhone string
	Cloud         cloud.Config
}

// perfConfig is serve's settings for load: how many turns run at once
// before the rest are told to come back later, and the profiler.
type perfConfig struct {
	MaxTurnsInFlight int
	TurnsRunning     int
	PprofAddr        string
	HashPriority     string // hashLow or hashNormal
	GCPercent        int    // Go's GOGC for serve (memory.go)
	MemoryLimit      string // Go's GOMEMLIMIT for serve, "off" for none
}

// smtpConfig is where one-time codes are e-mailed from (CONTRACT §1).
type smtpConfig struct {
	URL  string
	From string
}

// databaseConfig is how a process uses PostgreSQL in production: its pool,
// a statement timeout and an optional read replica. TLS goes in the URL
// (sslmode=verify-full&sslrootcert=/path/ca.crt, lib/pq's parameters).
type databaseConfig struct {
	MaxConns         int
	ConnLifetime     time.Duration
	StatementTimeout time.Duration
	ReadURL          string
}

// loadtestConfig is `clavebot loadtest`'s own configuration.
type loadtestConfig struct {
	Chats, InFlight, Citizens, Serves int
	Rate                              float64
	Mix, Channel, Targets, ServeBin   string
	Source                            string
	ServeFlags                        multiFlag
	APIToken, RedisBenchmark, JSON    string
	Profile, ToolProfile              string
	ProfileFor, Timeout, Argon2For    time.Duration
	FloorFor                          time.Duration
	RetryAfter                        time.Duration
	MaxAwaiting                       int
	Fresh, Keep                       bool
	Seed                              uint64
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// flagSet is a command's flags, each read from the command line or else
// from its environment variable (see envVar).
type flagSet struct {
	*flag.FlagSet
	envErrs []envError // the environment's values that do not parse
}

// newFlags returns a flag set with the common configuration registered.
func newFlags(name string, stderr io.Writer) (*flagSet, *config) {
	fs := &flagSet{FlagSet: flag.NewFlagSet("clavebot "+name, flag.ContinueOnError)}
	fs.SetOutput(stderr)
	c := &config{}
	fs.StringVar(&c.DatabaseURL, "database-url", env("CLAVEBOT_DATABASE_URL", ""), "postgres://... or sqlite:PATH (default: embedded SQLite at ./clavebot-data/registry.db)")
	fs.StringVar(&c.RedisURL, "redis-url", env("CLAVEBOT_REDIS_URL", ""), "redis://, rediss://, redis+cluster://H:P,H:P... or redis+sentinel://H:P,H:P.../MASTER (default: an embedded in-process Redis)")
	envVar(fs, &c.ChatLockTTL, "chat-lock-ttl", "CLAVEBOT_CHAT_LOCK_TTL", defaultChatLockTTL, "how long a chat stays locked when the process handling its message dies")
	fs.StringVar(&c.Lang, "lang", env("CLAVEBOT_LANG", "es"), "language: es or en")
	c.LogLevel = "info"
	fs.Var(levelValue{&c.LogLevel}, "log-level", "`level` of the log: debug, info, warn or error")
	fs.envDefault("log-level", "CLAVEBOT_LOG_LEVEL")
	fs.StringVar(&c.LogKey, "log-key", env("CLAVEBOT_LOG_KEY", ""), "key of the chat pseudonyms in the log (default: a random one per process); the same on every replica to follow a chat across them")
	c.Policy = registry.DefaultPolicy()
	registerPolicy(fs, &c.Policy)
	c.SMTP.register(fs.FlagSet)
	c.Database.register(fs)
	c.QuestionSecret = env("CLAVEBOT_QUESTION_SECRET", "")
	return fs, c
}

// registerPolicy makes each policy of CONTRACT §5 configurable.
func registerPolicy(fs *flagSet, p *registry.Policy) {
	envVar(fs, &p.KeyMinLen, "key-min-len", "CLAVEBOT_KEY_MIN_LEN", p.KeyMinLen, "shortest key allowed")
	envVar(fs, &p.KeyMaxLen, "key-max-len", "CLAVEBOT_KEY_MAX_LEN", p.KeyMaxLen, "longest key allowed")
	envVar(fs, &p.Questions, "questions", "CLAVEBOT_QUESTIONS", p.Questions, "identity questions asked, all must be right")
	envVar(fs, &p.Validation.Max, "validation-max-failures", "CLAVEBOT_VALIDATION_MAX_FAILURES", p.Validation.Max, "failed validations of a CUIL before it is locked")
	envVar(fs, &p.Validation.For, "validation-lock", "CLAVEBOT_VALIDATION_LOCK", p.Validation.For, "how long a CUIL cannot validate after too many failures")
	envVar(fs, &p.Validation.MaxFor, "validation-lock-max", "CLAVEBOT_VALIDATION_LOCK_MAX", p.Validation.MaxFor, "repeated validation locks double up to this (0: each lasts --validation-lock)")
	envVar(fs, &p.WrongKeys.Max, "key-max-wrong", "CLAVEBOT_KEY_MAX_WRONG", p.WrongKeys.Max, "consecutive wrong keys before the key is locked")
	envVar(fs, &p.WrongKeys.For, "key-lock", "CLAVEBOT_KEY_LOCK", p.WrongKeys.For, "how long a key stays locked")
	envVar(fs, &p.WrongKeys.MaxFor, "key-lock-max", "CLAVEBOT_KEY_LOCK_MAX", p.WrongKeys.MaxFor, "repeated key locks from strangers' sources double up to this (0: each lasts --key-lock)")
	envVar(fs, &p.IdleTimeout, "idle-timeout", "CLAVEBOT_IDLE_TIMEOUT", p.IdleTimeout, "a chat without messages this long starts over")
}

func (c *smtpConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.URL, "smtp-url", env("CLAVEBOT_SMTP_URL", ""), "smtp://USER:PASS@HOST:587 (STARTTLS when offered) or smtps://...:465 to e-mail one-time codes (default: none, codes are written to the log)")
	fs.StringVar(&c.From, "smtp-from", env("CLAVEBOT_SMTP_FROM", ""), `From of the code e-mails, e.g. "ANSES <no-responder@anses.gob.ar>" (default: the SMTP user, or no-responder@ the SMTP host)`)
}

func (dc *databaseConfig) register(fs *flagSet) {
	def := sqlstore.DefaultPool
	envVar(fs, &dc.MaxConns, "database-max-conns", "CLAVEBOT_DATABASE_MAX_CONNS", def.MaxConns, "PostgreSQL connections this process opens at most, all kept open while idle")
	envVar(fs, &dc.ConnLifetime, "database-conn-lifetime", "CLAVEBOT_DATABASE_CONN_LIFETIME", def.ConnLifetime, "a PostgreSQL connection is replaced after this long (0: never)")
	envVar(fs, &dc.StatementTimeout, "database-statement-timeout", "CLAVEBOT_DATABASE_STATEMENT_TIMEOUT", 5*time.Second, "PostgreSQL cancels a statement running longer (0: no limit; migrations and imports are exempt)")
	fs.StringVar(&dc.ReadURL, "database-read-url", env("CLAVEBOT_DATABASE_READ_URL", ""), "postgres://... of a read-only replica for citizens' records (keys and lockouts are always read from --database-url)")
}

// register adds serve's own flags.
func (sc *serveConfig) register(fs *flagSet) {
	fs.StringVar(&sc.HTTPAddr, "http-addr", env("CLAVEBOT_HTTP_ADDR", "127.0.0.1:8080"), "HTTP listen address")
	fs.StringVar(&sc.APIToken, "api-token", env("CLAVEBOT_API_TOKEN", ""), "bearer token required by every /v1/ endpoint (the REST chat and key verification); needed to listen beyond loopback")
	sc.channelConfig.register(fs)
	sc.deskConfig.register(fs)
	sc.perfConfig.register(fs)
}

func (cc *channelConfig) register(fs *flagSet) {
	fs.StringVar(&cc.TelegramToken, "telegram-token", env("CLAVEBOT_TELEGRAM_TOKEN", ""), "Telegram bot token from BotFather; enables Telegram")
	fs.StringVar(&cc.TelegramAPIURL, "telegram-api-url", env("CLAVEBOT_TELEGRAM_API_URL", ""), "another Bot API server (self-hosted, or an emulator)")
	fs.StringVar(&cc.TelegramWebhookURL, "telegram-webhook-url", env("CLAVEBOT_TELEGRAM_WEBHOOK_URL", ""), "public https URL of /telegram/webhook; webhook mode instead of long polling")
	fs.StringVar(&cc.TelegramWebhookSecret, "telegram-webhook-secret", env("CLAVEBOT_TELEGRAM_WEBHOOK_SECRET", ""), "secret token Telegram sends with each webhook call (required with --telegram-webhook-url)")
	envVar(fs, &cc.WhatsApp, "whatsapp", "CLAVEBOT_WHATSAPP", false, "enable WhatsApp")
	fs.StringVar(&cc.WhatsAppMode, "whatsapp-mode", env("CLAVEBOT_WHATSAPP_MODE", "whatsmeow"), "whatsmeow (a linked device) or cloud (WhatsApp Business Cloud API)")
	fs.StringVar(&cc.WhatsAppPhone, "whatsapp-phone", env("CLAVEBOT_WHATSAPP_PHONE", ""), "pair by phone code for this number (digits, e.g. 5491123456789) instead of a QR code")
	fs.StringVar(&cc.Cloud.APIURL, "whatsapp-api-url", env("CLAVEBOT_WHATSAPP_API_URL", ""), "Graph API base URL (cloud mode)")
	fs.StringVar(&cc.Cloud.PhoneNumberID, "whatsapp-phone-number-id", env("CLAVEBOT_WHATSAPP_PHONE_NUMBER_ID", ""), "business phone number id (cloud mode)")
	fs.StringVar(&cc.Cloud.AccessToken, "whatsapp-token", env("CLAVEBOT_WHATSAPP_TOKEN", ""), "Graph API access token (cloud mode)")
	fs.StringVar(&cc.Cloud.AppSecret, "whatsapp-app-secret", env("CLAVEBOT_WHATSAPP_APP_SECRET", ""), "app secret that signs webhooks (cloud mode)")
	fs.StringVar(&cc.Cloud.VerifyToken, "whatsapp-verify-token", env("CLAVEBOT_WHATSAPP_VERIFY_TOKEN", ""), "webhook verification token (cloud mode)")
	// The WhatsApp Cloud settings for the 24-hour window and the Graph API
	// version (CONTRACT §7).
	fs.StringVar(&cc.Cloud.Template, "whatsapp-template", env("CLAVEBOT_WHATSAPP_TEMPLATE", ""),
		"approved template sent when the 24-hour window has closed, so the person writes again and gets what waits (cloud mode)")
	fs.StringVar(&cc.Cloud.TemplateLang, "whatsapp-template-lang", env("CLAVEBOT_WHATSAPP_TEMPLATE_LANG", cloud.DefaultTemplateLang),
		"language code of --whatsapp-template (cloud mode)")
	fs.StringVar(&cc.Cloud.GraphVersion, "whatsapp-graph-version", env("CLAVEBOT_WHATSAPP_GRAPH_VERSION", cloud.DefaultGraphVersion),
		"Graph API version, like v25.0; Meta serves each about two years (cloud mode)")
	envVar(fs, &cc.Cloud.ProbeEvery, "whatsapp-probe-interval", "CLAVEBOT_WHATSAPP_PROBE_INTERVAL", 5*time.Minute,
		"how often the phone number is read from the Graph API, so that a token revoked or an account blocked is counted with no traffic (cloud mode; 0: never)")
}

func (dc *deskConfig) register(fs *flagSet) {
	fs.StringVar(&dc.Hours, "desk-hours", env("CLAVEBOT_DESK_HOURS", desk.DefaultHours), `when agents answer, e.g. "mon-fri 08:00-20:00, sat 09:00-13:00"`)
	fs.StringVar(&dc.Zone, "desk-tz", env("CLAVEBOT_DESK_TZ", desk.DefaultZone), "time zone of --desk-hours")
	envVar(fs, &dc.SecureCookie, "desk-secure-cookie", "CLAVEBOT_DESK_SECURE_COOKIE", false, "mark the desk's cookies Secure (when served over https)")
	fs.StringVar(&dc.TrustedProxies, "trusted-proxies", env("CLAVEBOT_TRUSTED_PROXIES", ""), "CIDRs of the proxies (ingress) whose X-Forwarded-For names the client, comma-separated; none by default")
}

// fromEnv is the desk's hours as a terminal chat, which has no desk flags,
// reads them.
func (dc *deskConfig) fromEnv() {
	dc.Hours, dc.Zone = env("CLAVEBOT_DESK_HOURS", ""), env("CLAVEBOT_DESK_TZ", "")
}

func (pc *perfConfig) register(fs *flagSet) {
	envVar(fs, &pc.MaxTurnsInFlight, "max-turns-in-flight", "CLAVEBOT_MAX_TURNS_IN_FLIGHT", defaultTurnsInFlight(), "turns handled at once; more are answered at once that the system is busy")
	envVar(fs, &pc.TurnsRunning, "max-turns-running", "CLAVEBOT_MAX_TURNS_RUNNING", defaultTurnsRunning(), "of the turns in flight, how many run at once; the others wait in arrival order (0: all run)")
	fs.StringVar(&pc.PprofAddr, "pprof-addr", env("CLAVEBOT_PPROF_ADDR", ""), "serve Go's profiler (net/http/pprof) on this address, e.g. 127.0.0.1:6060; keep it private")
	envVar(fs, &pc.GCPercent, "gc-percent", "CLAVEBOT_GC_PERCENT", goGC(), "Go's GOGC for serve: the heap grows this many percent over what is live before a collection (-1: only at --memory-limit)")
	fs.StringVar(&pc.MemoryLimit, "memory-limit", memoryLimitDefault(), "Go's soft memory limit (GOMEMLIMIT) for serve, like 384MiB: the collector works harder as the heap nears it (auto: 3/4 of the container's memory limit, none without one; off: none)")
	fs.StringVar(&pc.HashPriority, "hash-priority", env("CLAVEBOT_HASH_PRIORITY", hashLow), "argon2id's CPU priority: low (a child process at nice 10 hashes with the CPU turns leave idle) or normal (in this process)")
}

func (lc *loadtestConfig) register(fs *flag.FlagSet) {
	fs.IntVar(&lc.Chats, "chats", 10_000, "simulated people, one chat each")
	fs.IntVar(&lc.InFlight, "in-flight", 64, "closed loop: turns sent at once, each as soon as one is answered")
	fs.Float64Var(&lc.Rate, "rate", 0, "open loop: turns a second offered whatever the answers take (0: closed loop)")
	fs.StringVar(&lc.Mix, "mix", loadtest.Realistic, "what the people do: GOAL=WEIGHT,... of "+fmt.Sprint(loadtest.Goals)+", or one goal")
	fs.StringVar(&lc.Channel, "channel", "rest", "entry point: "+strings.Join(loadtest.ChannelNames(), " or "))
	fs.StringVar(&lc.Source, "source", loadtest.SourcePerPerson, "REST with --api-token: what X-Clavebot-Source says: "+loadtest.SourcePerPerson+" (each person an address of their own, as a portal passes it: serve counts its per-source limits) or "+loadtest.SourceNone)
	fs.IntVar(&lc.Citizens, "citizens", 20_000, "citizens generated and imported for the run (at least --chats)")
	fs.IntVar(&lc.Serves, "serves", 1, "serve processes started for the run")
	fs.StringVar(&lc.Targets, "target", "", "drive running serve processes instead (comma-separated base URLs; REST only)")
	fs.StringVar(&lc.ServeBin, "serve-binary", "", "the clavebot binary whose serve is started (default: this one)")
	fs.Var(&lc.ServeFlags, "serve-flag", "a flag for the started serve processes (repeatable), e.g. --serve-flag=--max-turns-in-flight=128")
	fs.BoolVar(&lc.Fresh, "fresh-database", true, "with started serve processes: create a database for the run on the --database-url server, dropped afterwards")
	fs.BoolVar(&lc.Keep, "keep", false, "keep the run's database, Redis keys and serve logs (a failed run's serve logs are always kept)")
	fs.StringVar(&lc.APIToken, "api-token", env("CLAVEBOT_API_TOKEN", ""), "serve's --api-token")
	fs.StringVar(&lc.RedisBenchmark, "redis-benchmark", "redis-benchmark", "redis-benchmark binary for the Redis ceiling (\"\" skips it)")
	fs.DurationVar(&lc.Argon2For, "argon2", 3*time.Second, "how long to measure the argon2id ceiling, before and after (0 skips it)")
	fs.DurationVar(&lc.FloorFor, "floor", 3*time.Second, "how long to measure the floor, before and after: the tool answering the REST chat itself with a turn's round trips and nothing else, at --in-flight (0 skips it)")
	fs.DurationVar(&lc.Timeout, "timeout", 30*time.Second, "a turn not answered within this is an error")
	fs.DurationVar(&lc.RetryAfter, "retry-after", 2*time.Second, "a person told the system is busy writes the same message again after this")
	fs.IntVar(&lc.MaxAwaiting, "max-awaiting", loadtest.DefaultMaxAwaiting, "open loop: messages awaiting an answer at most, as a load balancer bounds its connections")
	fs.StringVar(&lc.JSON, "json", "", "also write the report as JSON to this file")
	fs.StringVar(&lc.Profile, "profile", "", "write a CPU profile of the first serve under load to this file")
	fs.DurationVar(&lc.ProfileFor, "profile-for", 20*time.Second, "how long the profile samples, from the start of the load")
	fs.StringVar(&lc.ToolProfile, "tool-profile", "", "write a CPU profile of the load tool itself under load to this file (for --profile-for)")
	fs.Uint64Var(&lc.Seed, "seed", 0, "seed of the citizens and the people (0: a new one each run)")
}

// registerRetention adds retention's flags.
func (c *config) registerRetention(fs *flagSet) {
	ageFlag(fs, &c.Retention, "retention", "CLAVEBOT_RETENTION", defaultRetention,
		"how long desk conversations, their transcripts and the audit trail are kept: days (180d), years (1y) or a duration (4320h)")
	ageFlag(fs, &c.AuditRetention, "audit-retention", "CLAVEBOT_AUDIT_RETENTION", defaultAuditRetention,
		"how long the audit of keys created, recovered and changed is kept")
}

// ageFlag registers an age flag, defaulting to the environment variable
// name, else to def (see envDefault).
func ageFlag(fs *flagSet, v *ageValue, flagName, name, def, usage string) {
	_ = v.Set(def)
	fs.Var(v, flagName, usage)
	fs.envDefault(flagName, name)
}

// envVar registers flag name, defaulting to the environment variable env
// when set (see envDefault), else to def.
func envVar[T int | time.Duration | bool](fs *flagSet, p *T, name, env string, def T, usage string) {
	switch p := any(p).(type) {
	case *int:
		fs.IntVar(p, name, any(def).(int), usage)
	case *time.Duration:
		fs.DurationVar(p, name, any(def).(time.Duration), usage)
	case *bool:
		fs.BoolVar(p, name, any(def).(bool), usage)
	}
	fs.envDefault(name, env)
}

// envDefault sets flag name from the environment variable env, when set, as
// the command line would, through the flag's own parser: a value that
// does not parse is an error, as on the command line (it fell back to the
// default without a word), unless the command line sets the flag (see
// parse). A switch also reads yes/no and on/off.
func (fs *flagSet) envDefault(name, env string) {
	v, ok := os.LookupEnv(env)
	if !ok || v == "" {
		return
	}
	f := fs.Lookup(name)
	s := v
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		s = switchWord(v)
	}
	if err := f.Value.Set(s); err != nil {
		fs.envErrs = append(fs.envErrs, envError{flag: f, env: env, value: v, err: err})
		return
	}
	f.DefValue = f.Value.String() // what -h shows
}

// switchWord is a switch's value in the words people write for it.
func switchWord(v string) string {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "on":
		return "true"
	case "no", "off":
		return "false"
	}
	return v
}

// envError is an environment variable whose value does not parse.
type envError struct {
	flag       *flag.Flag
	env, value string
	err        error
}

// Error says it as the flag package says a flag's, with what is wanted:
// invalid value "3600" for CLAVEBOT_KEY_LOCK (--key-lock): want ....
func (e envError) Error() string {
	want := e.err.Error()
	if g, ok := e.flag.Value.(flag.Getter); ok {
		switch g.Get().(type) {
		case int:
			want = "want a whole number"
		case time.Duration:
			want = "want a duration with its unit, like 90s, 30m or 4h"
		case bool:
			want = "want true or false"
		}
	}
	return fmt.Sprintf("invalid value %q for %s (--%s): %s", e.value, e.env, e.flag.Name, want)
}

// levelValue is --log-level: a level slog knows, or the flag is refused.
type levelValue struct{ p *string }

func (l levelValue) String() string {
	if l.p == nil {
		return ""
	}
	return *l.p
}

func (l levelValue) Set(s string) error {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(s)); err != nil {
		return errors.New("want debug, info, warn or error")
	}
	*l.p = s
	return nil
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// goGC is --gc-percent's default without CLAVEBOT_GC_PERCENT: Go's own
// GOGC when set ("off" is -1), else defaultGCPercent. A GOGC that does
// not parse is ignored, as Go's runtime ignores it.
func goGC() int {
	if v := os.Getenv("GOGC"); v != "" {
		if strings.EqualFold(v, "off") {
			return -1
		}
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return defaultGCPercent
}

// memoryLimitDefault is --memory-limit's default: CLAVEBOT_MEMORY_LIMIT,
// else Go's own GOMEMLIMIT when set, else defaultMemoryLimit.
func memoryLimitDefault() string {
	return env("CLAVEBOT_MEMORY_LIMIT", env("GOMEMLIMIT", defaultMemoryLimit))
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
	case p.WrongKeys.MaxFor < 0:
		return fmt.Errorf("policy: --key-lock-max must not be negative")
	case p.Validation.For <= 0 || p.WrongKeys.For <= 0 || p.IdleTimeout < time.Minute:
		return fmt.Errorf("policy: lock durations must be positive and --idle-timeout at least 1m")
	}
	return nil
}

// parseConfig parses args, which hold flags only, and checks the
// policies they set.
func parseConfig(fs *flagSet, c *config, args []string) error {
	if _, err := parse(fs, args, noArgs); err != nil {
		return err
	}
	if err := validPolicy(c.Policy); err != nil {
		return &exitError{code: 2, msg: "clavebot: " + err.Error()}
	}
	if err := c.validLang(); err != nil {
		return &exitError{code: 2, msg: "clavebot: " + err.Error()}
	}
	if err := validRedis(c); err != nil {
		return &exitError{code: 2, msg: "clavebot: " + err.Error()}
	}
	if err := validRedisURL(c.RedisURL); err != nil {
		// A URL problem, as one that cannot be reached (CONTRACT §1).
		return &exitError{code: 1, msg: "clavebot: " + err.Error()}
	}
	if err := c.Database.check(); err != nil {
		return &exitError{code: 2, msg: "clavebot: " + err.Error()}
	}
	return nil
}

// validLang folds --lang to a language that ships. Any other is refused:
// the catalog would answer it in Spanish, while whoever set "EN" or "fr"
// believes the bot speaks it.
func (c *config) validLang() error {
	c.Lang = strings.ToLower(strings.TrimSpace(c.Lang))
	switch i18n.Lang(c.Lang) {
	case i18n.ES, i18n.EN:
		return nil
	}
	return fmt.Errorf("--lang (CLAVEBOT_LANG) must be %s or %s, not %q", i18n.ES, i18n.EN, c.Lang)
}

// database is the URL to open: the embedded SQLite file by default.
func (c *config) database() string {
	if c.DatabaseURL == "" {
		return defaultDatabase
	}
	return c.DatabaseURL
}

// checkQuestionSecret refuses, for serve, a CLAVEBOT_QUESTION_SECRET left
// at an example's placeholder: everyone who read the examples knows it.
// The embedded demo (`chat`) does not check.
func (c *config) checkQuestionSecret() error {
	secret := strings.ToLower(strings.TrimSpace(c.QuestionSecret))
	switch strings.NewReplacer("-", "", "_", "", " ", "").Replace(secret) {
	case "changeme", "secret", "placeholder", "questionsecret", "xxx":
		return &exitError{code: 2, msg: "clavebot: serve: CLAVEBOT_QUESTION_SECRET is an example's placeholder, which anyone can read: " +
			"set it to a random value (e.g. openssl rand -hex 32), the same on every replica"}
	}
	return nil
}

// logger writes text logs to w at the configured level.
func (c *config) logger(w io.Writer) *slog.Logger {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		lvl = slog.LevelInfo // a config built without flags (tests)
	}
	// Chats are logged by pseudonym: a chat id is a person's Telegram id
	// or phone number.
	return slog.New(logid.NewHandler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl}), []byte(c.LogKey)))
}
