package main

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/bot/remind"
	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/desk/sqldesk"
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

// The steps Run takes for the commands that chat (serve and chat), each
// once what it needs exists.

// keyPrefix namespaces clavebot's keys in a shared Redis.
const keyPrefix = "clavebot:"

// roundTrips counts the waits on each backend, for serve's metrics.
type roundTrips struct{ postgres, redis roundtrip.Counter }

// openStores loads the catalog and opens the registry (migrating it) and
// Redis, counting their round trips.
func (m *Main) openStores(ctx context.Context) error {
	var err error
	if m.Catalog, err = i18n.Load(); err != nil {
		return err
	}
	var dialer net.Dialer
	kdf, err := m.hashKDF()
	if err != nil {
		return err
	}
	m.DB, m.Registry, err = openRegistry(ctx, &m.Config, m.Log, kdf, sqlstore.WithDialer(m.trips.postgres.Dialer(dialer.DialContext)))
	if err != nil {
		return err
	}
	m.onClose("database", m.DB.Close)
	rdb, closeRedis, err := openRedis(ctx, &m.Config)
	if err != nil {
		return err
	}
	m.Redis = rdb
	m.onClose("redis", closeRedis)
	rdb.AddHook(m.trips.redis.RedisHook())
	return nil
}

// A conversation's data steps read the person's record one after another,
// a minute or two in all: the registry keeps what it read (and CUILs in no
// record) that long, in this process, for up to this many people at once
// (about 1 KB each).
const (
	recordCacheSize = 20_000
	recordCacheTTL  = 2 * time.Minute
)

// openRegistry opens the database (migrating it) and the registry service,
// hashing with kdf (nil: argon2id in this process). The embedded default
// is seeded with the demo citizens.
func openRegistry(ctx context.Context, cfg *config, log *slog.Logger, kdf registry.KDF, opts ...sqlstore.Option) (*sqlstore.DB, *registry.Service, error) {
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
	var hashOpts []registry.HasherOption
	if kdf != nil {
		hashOpts = append(hashOpts, registry.WithKDF(kdf))
	}
	hasher := registry.NewHasher(hashParams, runtime.GOMAXPROCS(0), hashOpts...)
	secret, err := serviceSecret(ctx, cfg, db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	svc := registry.NewService(db, hasher, cfg.policy(), questionSeed(secret), registry.WithLogger(log.With("component", "registry")),
		registry.WithRecordCache(recordCacheSize, recordCacheTTL), registry.WithSecret(secret))
	return db, svc, nil
}

// hashParams are the argon2id parameters this process hashes new keys and
// agents' passwords with (a stored hash is compared with its own). Always
// registry.DefaultHashParams but in the package's tests, which lower them
// as the engine's and the desk's tests do (TestMain): under the race
// detector one hash at OWASP's 19 MiB cost about a second of CPU, some
// of it the race detector shadowing the memory, and the commands' tests
// test the commands, not argon2id (registry's tests hold the defaults).
var hashParams = registry.DefaultHashParams

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

// serviceSecret is the deployment's secret, the same in every process:
// CLAVEBOT_QUESTION_SECRET, or else a secret drawn at random and kept in
// the database, which nobody without the database can work out (a seed
// from the database URL, as before, let whoever knew the URL compute which
// options are the person's). It seeds the first draw of each CUIL's
// identity questions (stored afterwards), keys the registry's hashes of
// one-time codes and of sources (through the seed), and the seals of new
// keys awaiting confirmation.
func serviceSecret(ctx context.Context, cfg *config, db *sqlstore.DB) (string, error) {
	if secret := strings.TrimSpace(cfg.QuestionSecret); secret != "" {
		return secret, nil
	}
	secret, err := db.ServiceSecret(ctx, "question_seed")
	if err != nil {
		return "", fmt.Errorf("question seed: %w", err)
	}
	return secret, nil
}

// questionSeed is the registry's seed, from the deployment's secret.
func questionSeed(secret string) uint64 {
	h := fnv.New64a()
	io.WriteString(h, secret)
	return h.Sum64()
}

// printer is the bot's language.
func (m *Main) printer() *i18n.Printer { return m.Catalog.Printer(i18n.Lang(m.Config.Lang)) }

// deskStores are the desk's records (in the registry's database) and its
// live queue (in Redis).
type deskStores struct {
	records *sqldesk.DB
	queue   *redisdesk.Queue
}

func (m *Main) openDeskStores(ctx context.Context) (deskStores, error) {
	if err := m.DB.MigrateSet(ctx, sqldesk.SetName, sqldesk.Migrations()); err != nil {
		return deskStores{}, fmt.Errorf("desk tables: %w", err)
	}
	return deskStores{records: sqldesk.New(m.DB.DB()), queue: redisdesk.New(m.Redis, keyPrefix)}, nil
}

// openLocalOutbox builds the channels of this process (none registered
// yet) and an outbox that sends through them here and now: a terminal
// chat with no shared Redis.
func (m *Main) openLocalOutbox() {
	m.Local = bot.NewLocal(m.Log)
	m.Outbox = bot.NewOutbox(m.printer(), m.Local)
}

// openOutbox builds the channels of this process (none registered yet),
// the relay, and the outbox, which keeps every out-of-turn message in
// Redis until it is sent, from whichever process runs the chat's channel,
// and tells the desk what becomes of it.
func (m *Main) openOutbox(ds deskStores, stops *desk.Stops, opts ...relay.Option) error {
	// One-time codes sent on WhatsApp wait in Redis like any message:
	// sealed, under a key the replicas derive from the deployment's secret.
	sealer, err := bot.NewSealer(m.Registry.DerivedKey("outbox"))
	if err != nil {
		return err
	}
	m.Local = bot.NewLocal(m.Log, bot.WithQuestions(relay.NewQuestions(m.Redis, keyPrefix)), bot.WithOpener(sealer))
	opts = append(deliveryHooks(ds.queue, stops, m.Log), opts...)
	m.Relay = relay.New(m.Redis, keyPrefix, m.Local, m.Log, opts...)
	m.Outbox = bot.NewOutbox(m.printer(), m.Local, bot.WithQueue(m.Relay), bot.WithSealer(sealer))
	m.jobs = append(m.jobs, func(ctx context.Context) error { m.Relay.Run(ctx); return nil })
	return nil
}

// deliveryHooks tell the desk what the outbox learns: a chat whose person
// blocked the bot leaves the queue (through stops), and every change of a
// message's state refreshes the agents' pages.
func deliveryHooks(queue *redisdesk.Queue, stops *desk.Stops, log *slog.Logger) []relay.Option {
	return []relay.Option{
		relay.WithOnStop(stops.Report),
		relay.WithOnChange(func(ctx context.Context, chat string) {
			if err := queue.Publish(ctx, desk.Event{Kind: "delivery", Chat: chat}); err != nil {
				log.Debug("delivery event not published", "err", err)
			}
		}),
	}
}

// openHandoffs builds the side of the desk the engine hands chats to, and
// the job that takes stopped chats off it.
func (m *Main) openHandoffs(dc deskConfig, ds deskStores, stops *desk.Stops) error {
	if dc.Hours == "" {
		dc.Hours = desk.DefaultHours
	}
	if dc.Zone == "" {
		dc.Zone = desk.DefaultZone
	}
	hours, err := desk.ParseHours(dc.Hours, dc.Zone)
	if err != nil {
		return err
	}
	m.Handoffs = desk.NewHandoffs(desk.Config{Hours: hours, Printer: m.printer(), Log: m.Log}, ds.queue, ds.records, m.Outbox)
	m.jobs = append(m.jobs,
		func(ctx context.Context) error { stops.Run(ctx, m.Handoffs); return nil },
		// Opening and closing are told within this long of the hour.
		func(ctx context.Context) error { m.Handoffs.FollowHours(ctx, 15*time.Second); return nil })
	return nil
}

// deskOptions hand the engine the desk and say its hours.
func (m *Main) deskOptions() []dialog.Option {
	opts := []dialog.Option{dialog.WithDesk(m.Handoffs)}
	if said, ok := m.Handoffs.Hours().Said(); ok {
		opts = append(opts, dialog.WithDeskHours(said))
	}
	return opts
}

// newClassifier trains the FAQ's classifier, once in each chat or serve
// process. The classifier is read-only once trained (and training is
// deterministic), so the tests, which run many Mains in one process,
// share one (TestMain): under the race detector each training took 5 to
// 6 s of CPU, most of cmd/clavebot's test time.
var newClassifier = faq.New

// openEngine builds the engine over the registry and Redis, with the
// one-time codes (their SMTP relay checked), the FAQ, reminders, and opts
// (the desk, the recorder).
func (m *Main) openEngine(ctx context.Context, opts ...dialog.Option) error {
	clf, err := newClassifier()
	if err != nil {
		return fmt.Errorf("faq: %w", err)
	}
	var ropts []remind.Option
	if m.Handoffs != nil {
		ropts = append(ropts, remind.WithHold(m.Handoffs)) // not while with the desk
	}
	m.Remind = remind.New(m.Redis, keyPrefix, m.Log, ropts...)
	codes, err := newCodeRouter(ctx, &m.Config, m.printer(), m.Log, m.Outbox)
	if err != nil {
		return err
	}
	opts = append([]dialog.Option{
		dialog.WithCodeSender(codes),
		dialog.WithClassifier(clf, faq.AnswerThreshold, faq.SuggestThreshold),
		dialog.WithReminders(m.Remind),
		dialog.WithLimiter(redisstore.NewLimiter(m.Redis, keyPrefix)),
		dialog.WithLogger(m.Log),
	}, opts...)
	m.States = redisstore.New(m.Redis, redisstore.WithPrefix(keyPrefix), redisstore.WithLockTTL(m.Config.chatLockTTL()))
	m.Engine = dialog.New(m.States, m.Registry, m.Catalog, opts...)
	return nil
}

// reminders delivers due reminders of one channel from this process.
func (m *Main) reminders(channel string) runner {
	return func(ctx context.Context) error {
		m.Remind.Run(ctx, 5*time.Second, m.Outbox, channel)
		return nil
	}
}
