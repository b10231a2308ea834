package loadtest

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// metrics is one scrape of a serve's /metrics: each sample by its name
// with labels, as written ("clavebot_roundtrips_total{backend=\"redis\"}").
type metrics map[string]float64

// sum adds the samples of name whose labels contain every one of match.
func (m metrics) sum(name string, match ...string) float64 {
	total := 0.0
	for k, v := range m {
		base, labels, _ := strings.Cut(k, "{")
		if base != name {
			continue
		}
		ok := true
		for _, l := range match {
			ok = ok && strings.Contains(labels, l)
		}
		if ok {
			total += v
		}
	}
	return total
}

// has reports whether the scrape holds a sample of name.
func (m metrics) has(name string) bool {
	for k := range m {
		if base, _, _ := strings.Cut(k, "{"); base == name {
			return true
		}
	}
	return false
}

func (m metrics) minus(before metrics) metrics {
	out := metrics{}
	for k, v := range m {
		out[k] = v - before[k]
	}
	return out
}

func scrape(ctx context.Context, client *http.Client, url string) (metrics, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/metrics", nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("scrape %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("scrape %s: %s", url, resp.Status)
	}
	m := metrics{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		if v, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
			m[line[:i]] = v
		}
	}
	return m, sc.Err()
}

// scrapeAll sums the scrapes of every serve.
func scrapeAll(ctx context.Context, client *http.Client, urls []string) (metrics, error) {
	total := metrics{}
	for _, u := range urls {
		m, err := scrape(ctx, client, u)
		if err != nil {
			return nil, err
		}
		for k, v := range m {
			total[k] += v
		}
	}
	return total, nil
}

// watcher samples what only shows while the load runs: the serves' memory
// and the database connections they hold.
type watcher struct {
	mu     sync.Mutex
	rss    map[string]float64 // the largest RSS seen, by serve
	conns  int                // the most PostgreSQL connections seen
	client *http.Client
	urls   []string
	db     *sql.DB
}

func (w *watcher) run(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		w.sample(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (w *watcher) sample(ctx context.Context) {
	for _, u := range w.urls {
		m, err := scrape(ctx, w.client, u)
		if err != nil {
			continue
		}
		w.mu.Lock()
		// serve and its argon2id child, measured together.
		w.rss[u] = max(w.rss[u], m.sum("process_resident_memory_bytes")+m.sum("clavebot_argon2id_child_resident_memory_bytes"))
		w.mu.Unlock()
	}
	if w.db == nil {
		return
	}
	var n int
	err := w.db.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&n)
	if err == nil {
		w.mu.Lock()
		w.conns = max(w.conns, n)
		w.mu.Unlock()
	}
}

// pgCounters are PostgreSQL's own counts for the database: transactions
// (each statement outside a transaction is one) and rows read.
type pgCounters struct {
	Xacts, Fetched float64
}

func readPG(ctx context.Context, db *sql.DB) (pgCounters, error) {
	var c pgCounters
	// The statistics of a transaction are seen by others only after a
	// moment; pg_stat_clear_snapshot makes this read see the newest.
	if _, err := db.ExecContext(ctx, `SELECT pg_stat_clear_snapshot()`); err != nil {
		return c, err
	}
	err := db.QueryRowContext(ctx, `SELECT xact_commit + xact_rollback, tup_fetched FROM pg_stat_database WHERE datname = current_database()`).Scan(&c.Xacts, &c.Fetched)
	return c, err
}

// ChatMemory is what the chats of the run hold in Redis.
type ChatMemory struct {
	Chats      int     // chats with at least one key
	Keys       float64 // keys per chat
	Bytes      float64 // MEMORY USAGE of all their keys, per chat
	StateBytes float64 // the state value alone (STRLEN), per chat
	Sampled    int
}

// chatMemory scans for the keys of the run's chats (those of ids, the
// engine's chat ids, which Redis keys carry in braces as their hash tag),
// and measures up to sample chats with MEMORY USAGE.
func chatMemory(ctx context.Context, rdb redis.UniversalClient, channel string, ids map[string]bool, sample int) (ChatMemory, error) {
	byChat := map[string][]string{}
	iter := rdb.Scan(ctx, 0, "*{"+channel+":*", 5000).Iterator()
	for iter.Next(ctx) {
		k := iter.Val()
		open, close := strings.IndexByte(k, '{'), strings.IndexByte(k, '}')
		if open < 0 || close < open {
			continue
		}
		if chat := k[open+1 : close]; ids[chat] {
			byChat[chat] = append(byChat[chat], k)
		}
	}
	if err := iter.Err(); err != nil {
		return ChatMemory{}, err
	}
	out := ChatMemory{Chats: len(byChat)}
	var keys, bytes, state float64
	for _, ks := range byChat {
		if out.Sampled == sample {
			break
		}
		out.Sampled++
		keys += float64(len(ks))
		b, st, err := keysMemory(ctx, rdb, ks)
		if err != nil {
			return out, err
		}
		bytes, state = bytes+b, state+st
	}
	if out.Sampled > 0 {
		n := float64(out.Sampled)
		out.Keys, out.Bytes, out.StateBytes = keys/n, bytes/n, state/n
	}
	return out, nil
}

// keysMemory sums MEMORY USAGE of keys, and the length of the state among
// them, in one round trip.
func keysMemory(ctx context.Context, rdb redis.UniversalClient, keys []string) (total, state float64, err error) {
	pipe := rdb.Pipeline()
	usage := make([]*redis.IntCmd, len(keys))
	var lens []*redis.IntCmd
	for i, k := range keys {
		usage[i] = pipe.MemoryUsage(ctx, k, 0)
		if strings.Contains(k, ":state:") {
			lens = append(lens, pipe.StrLen(ctx, k))
		}
	}
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
		return 0, 0, err
	}
	for _, u := range usage {
		total += float64(u.Val())
	}
	for _, l := range lens {
		state += float64(l.Val())
	}
	return total, state, nil
}

// sideKeyer is a channel whose chats keep keys besides the engine's,
// tagged otherwise: the keys pattern matches, and tag is the hash tag of
// chat's.
type sideKeyer interface {
	SideKeys() (pattern string, tag func(chat string) string)
}

// Forget deletes the Redis keys of the run's chats (state, dedup markers,
// mailboxes, the outbox's, and the channel's own, such as REST's
// secrets), and the keys also names (the counters of the limits the
// people's turns counted across chats, which serve names), so runs do not
// pile up in a shared Redis.
func Forget(ctx context.Context, rdb redis.UniversalClient, ch Channel, people []Person, also ...string) (int, error) {
	tags := map[string]map[string]bool{"*{" + ch.Name() + ":*": {}}
	chats := map[string]bool{}
	for _, p := range people {
		tags["*{"+ch.Name()+":*"][ch.ChatID(p.Chat)] = true
		chats[ch.ChatID(p.Chat)] = true
	}
	if sk, ok := ch.(sideKeyer); ok {
		pattern, tag := sk.SideKeys()
		tags[pattern] = map[string]bool{}
		for _, p := range people {
			tags[pattern][tag(p.Chat)] = true
		}
	}
	var batch []string
	n := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		// One key a command: a chat's keys share a hash slot, but the
		// chats of a batch do not (Redis Cluster).
		pipe := rdb.Pipeline()
		for _, k := range batch {
			pipe.Unlink(ctx, k)
		}
		_, err := pipe.Exec(ctx)
		n, batch = n+len(batch), batch[:0]
		return err
	}
	// sweep deletes the keys of pattern that ours says are the run's.
	sweep := func(pattern string, ours func(k string) bool) error {
		iter := rdb.Scan(ctx, 0, pattern, 5000).Iterator()
		for iter.Next(ctx) {
			if k := iter.Val(); ours(k) {
				if batch = append(batch, k); len(batch) == 500 {
					if err := flush(); err != nil {
						return err
					}
				}
			}
		}
		return iter.Err()
	}
	for _, pattern := range sortedKeys(tags) {
		ids := tags[pattern]
		err := sweep(pattern, func(k string) bool {
			open, close := strings.IndexByte(k, '{'), strings.IndexByte(k, '}')
			return open >= 0 && close > open && ids[k[open+1:close]]
		})
		if err != nil {
			return n, err
		}
	}
	// The outbox's keys of a chat are tagged by the channel and end with
	// the chat's id ("outbox:{whatsapp}:meta:whatsapp:549..."); those of
	// the whole channel ("outbox:{whatsapp}:due") are not the run's alone.
	err := sweep("*outbox:{"+ch.Name()+"}:*", func(k string) bool {
		_, rest, _ := strings.Cut(k, "}:")
		_, chat, ok := strings.Cut(rest, ":")
		return ok && chats[chat]
	})
	if err != nil {
		return n, err
	}
	for _, k := range also {
		if batch = append(batch, k); len(batch) == 500 {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	return n, flush()
}
