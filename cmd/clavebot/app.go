package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"net"
	"runtime"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/remind"
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/faq"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/roundtrip"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/demo"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

// app is the wired bot: registry, state, engine, renderer.
type app struct {
	cfg     *config
	log     *slog.Logger
	db      *sqlstore.DB
	reg     *registry.Service
	redis   redis.UniversalClient
	catalog *i18n.Catalog
	engine  *dialog.Engine
	bot     *bot.Bot
	outbox  *bot.Outbox
	remind  *remind.Scheduler
	codes   *codeRouter
	trips   roundTrips
	closers []func() error
}

// roundTrips counts the waits on each backend, for serve's metrics.
type roundTrips struct{ postgres, redis roundtrip.Counter }

// keyPrefix namespaces clavebot's keys in a shared Redis.
const keyPrefix = "clavebot:"

// openRegistry opens the database (migrating it) and the registry service.
// The embedded default is seeded with the demo citizens.
func openRegistry(ctx context.Context, cfg *config, log *slog.Logger, opts ...sqlstore.Option) (*sqlstore.DB, *registry.Service, error) {
	opts = append(cfg.Database.options(), opts...)
	db, err := sqlstore.Open(ctx, cfg.database(), log.With("component", "registry"), opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("database: %w", err)
	}
	if cfg.DatabaseURL == "" {
		if err := seedDemo(ctx, db); err != nil {
			db.Close()
			return nil, nil, err
		}
	}
	hasher := registry.NewHasher(registry.DefaultHashParams, runtime.GOMAXPROCS(0))
	svc := registry.NewService(db, hasher, cfg.policy(), questionSeed(cfg), registry.WithLogger(log.With("component", "registry")))
	return db, svc, nil
}

// seedDemo imports the demo citizens once, into an empty embedded registry.
func seedDemo(ctx context.Context, db *sqlstore.DB) error {
	first, _, _ := bytes.Cut(demo.Citizens(), []byte("\n"))
	c, err := registry.DecodeCitizen(first)
	if err != nil {
		return fmt.Errorf("demo citizens: %w", err)
	}
	if _, err := db.Citizen(ctx, c.CUIL); !errs.Is(errs.NotFound, err) {
		return err
	}
	if _, err := db.Import(ctx, bytes.NewReader(demo.Citizens()), nil); err != nil {
		return fmt.Errorf("seed demo citizens: %w", err)
	}
	return nil
}

// questionSeed keeps identity questions the same across restarts and
// replicas: from CLAVEBOT_QUESTION_SECRET, or else from the database URL.
func questionSeed(cfg *config) uint64 {
	h := fnv.New64a()
	io.WriteString(h, env("CLAVEBOT_QUESTION_SECRET", cfg.database()))
	return h.Sum64()
}

// redisLog routes go-redis' own messages (retries, pool dials) to slog at
// debug level, so a down server gives one line, not a stream of them.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, fmt.Sprintf(format, v...), "component", "go-redis")
}

// openApp wires everything a chat needs.
// measure, when not nil, wraps the engine the channels call (serve counts
// turns for Prometheus).
func openApp(ctx context.Context, cfg *config, log *slog.Logger, measure func(bot.Engine) bot.Engine, opts ...dialog.Option) (*app, error) {
	a := &app{cfg: cfg, log: log}
	var err error
	if a.catalog, err = i18n.Load(); err != nil {
		return nil, err
	}
	var dialer net.Dialer
	if a.db, a.reg, err = openRegistry(ctx, cfg, log, sqlstore.WithDialer(a.trips.postgres.Dialer(dialer.DialContext))); err != nil {
		return nil, err
	}
	a.closers = append(a.closers, a.db.Close)
	rdb, closeRedis, err := openRedis(ctx, cfg)
	if err != nil {
		a.Close()
		return nil, err
	}
	a.redis = rdb
	a.closers = append(a.closers, closeRedis)
	rdb.AddHook(a.trips.redis.RedisHook())
	clf, err := faq.New()
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("faq: %w", err)
	}
	a.remind = remind.New(rdb, keyPrefix, log)
	if a.codes, err = newCodeRouter(cfg, a.catalog.Printer(i18n.Lang(cfg.Lang)), log); err != nil {
		a.Close()
		return nil, err
	}
	opts = append([]dialog.Option{
		dialog.WithCodeSender(a.codes),
		dialog.WithClassifier(clf, faq.AnswerThreshold, faq.SuggestThreshold),
		dialog.WithReminders(a.remind),
		dialog.WithLimiter(redisstore.NewLimiter(rdb, keyPrefix)),
		dialog.WithLogger(log),
	}, opts...)
	a.engine = dialog.New(redisstore.New(rdb, redisstore.WithPrefix(keyPrefix), redisstore.WithLockTTL(cfg.chatLockTTL())), a.reg, a.catalog, opts...)
	var eng bot.Engine = a.engine
	if measure != nil {
		eng = measure(eng)
	}
	a.bot = bot.New(eng, a.catalog.Printer(i18n.Lang(cfg.Lang)), log)
	a.outbox = bot.NewOutbox(a.bot)
	return a, nil
}

// Close releases what openApp opened, last first.
func (a *app) Close() error {
	var errs []error
	for i := len(a.closers) - 1; i >= 0; i-- {
		errs = append(errs, a.closers[i]())
	}
	a.closers = nil
	return errors.Join(errs...)
}
