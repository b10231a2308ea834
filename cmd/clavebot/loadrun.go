package main

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
	"golang.org/x/term"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/loadtest"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

// loadRun is one run's setup: database, citizens, serve processes, the
// channel, and what to tear down afterwards.
type loadRun struct {
	cfg     *config
	lc      *loadtestConfig
	log     io.Writer
	runID   string
	dbURL   string
	people  []loadtest.Person
	channel loadtest.Channel
	texts   *loadtest.Texts
	serves  []*loadtest.Serve
	urls    []string
	rdb     *redis.Client
	pg      *sql.DB
	undo    []func()
	// failed: the run did not go well (an error at setup or under load,
	// failed turns, a serve that died), so its serve logs are kept.
	failed bool
}

func newLoadRun(ctx context.Context, cfg *config, lc *loadtestConfig, log io.Writer) (*loadRun, error) {
	r := &loadRun{cfg: cfg, lc: lc, log: log, runID: "lt" + strings.ToLower(rand.Text()[:8]), dbURL: cfg.DatabaseURL}
	steps := []func(context.Context) error{r.openDatabase, r.loadCitizens, r.openChannel, r.startServes, r.openProbes}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			r.failed = true
			r.close()
			return nil, err
		}
	}
	return r, nil
}

func (r *loadRun) say(format string, a ...any) { fmt.Fprintf(r.log, "loadtest: "+format+"\n", a...) }

func (r *loadRun) close() {
	for i := len(r.undo) - 1; i >= 0; i-- {
		r.undo[i]()
	}
	r.undo = nil
}

// openDatabase creates the run's own database when it starts serve, so
// PostgreSQL's counters are the run's alone.
func (r *loadRun) openDatabase(ctx context.Context) error {
	if !r.lc.Fresh || r.lc.Targets != "" {
		return nil
	}
	admin, err := sql.Open("postgres", r.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	name := "clavebot_" + r.runID
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return fmt.Errorf("create the run's database: %w", err)
	}
	u, _ := url.Parse(r.cfg.DatabaseURL)
	u.Path = "/" + name
	r.dbURL = u.String()
	r.say("database %s", name)
	r.undo = append(r.undo, func() {
		defer admin.Close()
		if r.lc.Keep {
			return
		}
		if _, err := admin.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			r.say("could not drop %s: %v", name, err)
		}
	})
	return nil
}

// loadCitizens imports generated citizens with the registry's importer and
// gives the people who recover or change a key the key they know.
func (r *loadRun) loadCitizens(ctx context.Context) error {
	mix, err := loadtest.ParseMix(r.lc.Mix)
	if err != nil {
		return &exitError{code: 2, msg: "clavebot loadtest: " + err.Error()}
	}
	citizens := loadtest.Generate(r.lc.Citizens, r.lc.Seed)
	if r.people, err = loadtest.People(r.lc.Chats, mix, citizens, r.runID, r.lc.Seed); err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, r.dbURL, slog.New(slog.DiscardHandler))
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	defer db.Close()
	start := time.Now()
	n, err := db.Import(ctx, bytes.NewReader(loadtest.CitizensFile(citizens)), nil)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	r.say("imported %d citizens in %s", n.Citizens, time.Since(start).Round(time.Millisecond))
	return r.seedKeys(ctx, db)
}

func (r *loadRun) seedKeys(ctx context.Context, db *sqlstore.DB) error {
	hasher := registry.NewHasher(hashParams, runtime.NumCPU())
	work := make(chan loadtest.Person)
	errc := make(chan error, runtime.NumCPU())
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				phc, err := hasher.Hash(ctx, p.Key)
				if err == nil {
					ev := registry.AuditEvent{CUIL: p.Citizen.CUIL, Action: registry.ActionKeyCreated, Channel: "loadtest"}
					err = db.SaveKey(ctx, p.Citizen.CUIL, registry.KeySave{Hash: phc}, ev)
				}
				if err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	n := 0
	for _, p := range r.people {
		if p.Key != "" {
			work <- p
			n++
		}
	}
	close(work)
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return fmt.Errorf("seed keys: %w", err)
	}
	r.say("gave %d people the key they recover or change", n)
	return nil
}

func (r *loadRun) openChannel(context.Context) error {
	texts, err := loadtest.NewTexts(i18n.Lang(r.cfg.Lang))
	if err != nil {
		return err
	}
	ch, err := loadtest.NewChannel(r.lc.Channel, loadtest.ChannelOptions{APIToken: r.lc.APIToken, Sources: r.lc.Source, Texts: texts, Conns: max(r.lc.MaxAwaiting, r.lc.InFlight)})
	if err != nil {
		return &exitError{code: 2, msg: "clavebot loadtest: " + err.Error()}
	}
	r.channel, r.texts = ch, texts
	r.undo = append(r.undo, func() { ch.Close() })
	return nil
}

// startServes starts the serve processes on the run's database, or takes
// the running ones of --target.
func (r *loadRun) startServes(ctx context.Context) error {
	if r.lc.Targets != "" {
		r.urls = strings.Split(r.lc.Targets, ",")
		return r.channel.Start(ctx, r.urls)
	}
	bin := r.lc.ServeBin
	if bin == "" {
		var err error
		if bin, err = os.Executable(); err != nil {
			return err
		}
	}
	dir, err := os.MkdirTemp("", "clavebot-loadtest-")
	if err != nil {
		return err
	}
	// Registered before the serves' own undo, so it runs after they stop.
	r.undo = append(r.undo, func() { r.dropServeLogs(dir) })
	env := []string{"CLAVEBOT_QUESTION_SECRET=" + r.runID, "CLAVEBOT_DATABASE_URL=", "CLAVEBOT_REDIS_URL="}
	for i := range r.lc.Serves {
		addr, err := loadtest.FreeAddr()
		if err != nil {
			return err
		}
		args := append([]string{"--database-url", r.dbURL, "--redis-url", r.cfg.RedisURL, "--log-level", "warn"}, r.channel.ServeFlags("http://"+addr)...)
		if r.lc.APIToken != "" {
			args = append(args, "--api-token", r.lc.APIToken)
		}
		args = append(args, r.lc.ServeFlags...)
		s, err := loadtest.StartServe(ctx, bin, addr, args, env, filepath.Join(dir, fmt.Sprintf("serve-%d.log", i)), i == 0 && r.lc.Profile != "")
		if err != nil {
			return err
		}
		r.serves = append(r.serves, s)
		r.urls = append(r.urls, s.URL)
		r.undo = append(r.undo, func() {
			if s.Exited() {
				r.failed = true // it died during the run: its log says why
			}
			s.Stop()
		})
		r.say("serve %d at %s (pid %s, log %s)", i, s.URL, s.PID(), s.LogPath)
	}
	return r.channel.Start(ctx, r.urls)
}

// dropServeLogs removes the serve logs in dir once the serves stopped: a
// run that went well left a folder of them in /tmp each time. A failed
// run's logs (or any run's, with --keep) are what explains it: they stay,
// and the tool says where.
func (r *loadRun) dropServeLogs(dir string) {
	if r.failed || r.lc.Keep {
		r.say("serve logs kept in %s", dir)
		return
	}
	if err := os.RemoveAll(dir); err != nil {
		r.say("could not remove the serve logs: %v", err)
	}
}

// limitKeys are the counters serve's limits across chats may keep for
// people (their sources' and CUILs'): they would stay an hour in Redis
// after the run, and the same CUILs' would count against the next run's.
func limitKeys(rdb redis.UniversalClient, people []loadtest.Person) []string {
	lim := redisstore.NewLimiter(rdb, keyPrefix)
	var keys []string
	for _, p := range people {
		for _, name := range dialog.LimitKeys(p.Source(), p.Citizen.CUIL) {
			keys = append(keys, lim.Key(name))
		}
	}
	return keys
}

func (r *loadRun) openProbes(ctx context.Context) error {
	opts, err := redis.ParseURL(r.cfg.RedisURL)
	if err != nil {
		return fmt.Errorf("redis: %w", err)
	}
	opts.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	r.rdb = redis.NewClient(opts)
	r.undo = append(r.undo, func() {
		if !r.lc.Keep {
			if n, err := loadtest.Forget(context.Background(), r.rdb, r.channel, r.people, limitKeys(r.rdb, r.people)...); err != nil {
				r.say("could not delete the run's Redis keys (%d deleted): %v", n, err)
			}
		}
		r.rdb.Close()
	})
	if r.pg, err = sql.Open("postgres", r.dbURL); err != nil {
		return err
	}
	r.pg.SetMaxOpenConns(2)
	r.undo = append(r.undo, func() { r.pg.Close() })
	return r.pg.PingContext(ctx)
}

// floor is the floor's configuration, or nil without --floor. Its pool is
// sized as serve's.
func (r *loadRun) floor() *loadtest.FloorConfig {
	if r.lc.FloorFor <= 0 {
		return nil
	}
	pool := r.cfg.Database.MaxConns
	if pool <= 0 {
		pool = sqlstore.DefaultPool.MaxConns
	}
	open := func() (*sql.DB, error) {
		db, err := sql.Open("postgres", r.dbURL)
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(pool)
		db.SetMaxIdleConns(pool)
		return db, nil
	}
	return &loadtest.FloorConfig{
		Redis: r.rdb, OpenPostgres: open, People: r.people, RunID: r.runID,
		APIToken: r.lc.APIToken, InFlight: r.lc.InFlight, For: r.lc.FloorFor,
	}
}

// measure runs the load (and the profile, when asked for).
func (r *loadRun) measure(ctx context.Context) (*loadtest.Report, error) {
	bench := r.lc.RedisBenchmark
	if bench != "" {
		if path, err := exec.LookPath(bench); err == nil {
			bench = path
		} else {
			r.say("no %s: the Redis ceiling is not measured", bench)
			bench = ""
		}
	}
	var progress io.Writer
	if f, ok := r.log.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		progress = f
	}
	prof := func() error { return nil }
	// The argon2id ceiling hashes as serve does, in one-P children of
	// this binary (hashChildren); where none starts, in this process.
	var kdf registry.KDF
	if exe, err := os.Executable(); err == nil {
		children := hashChildren(exe, r.log, nil)
		defer children.Close()
		kdf = children.IDKey
	}
	rep, err := loadtest.Run(ctx, loadtest.Config{
		Channel: r.channel, ServeURLs: r.urls, People: r.people, Texts: r.texts, RunID: r.runID, Seed: r.lc.Seed,
		Load:  loadtest.Load{InFlight: r.lc.InFlight, Rate: r.lc.Rate, Timeout: r.lc.Timeout, RetryAfter: r.lc.RetryAfter, MaxAwaiting: r.lc.MaxAwaiting},
		Redis: r.rdb, RedisURL: r.cfg.RedisURL, RedisBenchmark: bench, Postgres: r.pg,
		Argon2For: r.lc.Argon2For, Argon2KDF: kdf, Floor: r.floor(), Progress: progress,
		OnLoad: func() {
			serve, tool := r.startProfile(ctx), r.startToolProfile()
			prof = func() error { return errors.Join(serve(), tool()) }
		},
	})
	if err := prof(); err != nil {
		r.say("profile: %v", err)
	}
	if rep != nil && r.channel.Name() == "rest" {
		// serve believes X-Clavebot-Source only with the token.
		rep.Source = loadtest.SourceNone
		if r.lc.APIToken != "" {
			rep.Source = cmp.Or(r.lc.Source, loadtest.SourcePerPerson)
		}
	}
	return rep, err
}

// startToolProfile samples the tool's own CPU while the load runs
// (--tool-profile): under overload it spends as much as serve on the same
// machine, which the report's ceilings do not show. The returned function
// waits for the profile and writes the file.
func (r *loadRun) startToolProfile() func() error {
	if r.lc.ToolProfile == "" {
		return func() error { return nil }
	}
	f, err := os.Create(r.lc.ToolProfile)
	if err != nil {
		return func() error { return fmt.Errorf("tool profile: %w", err) }
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() error { return fmt.Errorf("tool profile: %w", err) }
	}
	var closeErr error
	stop := sync.OnceFunc(func() {
		pprof.StopCPUProfile()
		closeErr = f.Close()
	})
	timer := time.AfterFunc(r.lc.ProfileFor, stop)
	return func() error {
		timer.Stop() // the load may end first
		stop()
		return closeErr
	}
}

// startProfile samples the first serve's CPU while the load runs; the
// returned function waits for it and writes the file.
func (r *loadRun) startProfile(ctx context.Context) func() error {
	if r.lc.Profile == "" || len(r.serves) == 0 {
		return func() error { return nil }
	}
	done := make(chan error, 1)
	go func() {
		u := fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", r.serves[0].PprofURL, int(r.lc.ProfileFor.Seconds()))
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- err
			return
		}
		defer resp.Body.Close()
		f, err := os.Create(r.lc.Profile)
		if err == nil {
			_, err = io.Copy(f, resp.Body)
			f.Close()
		}
		done <- err
	}()
	return func() error { return <-done }
}
