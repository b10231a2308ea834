package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/internal/testenv"
)

// deployment is serve processes sharing one Redis and one PostgreSQL
// database, and what the test needs to look behind them.
type deployment struct {
	bin      string // the clavebot binary
	run      string // in every chat id of this run
	redisURL string
	rdb      redis.UniversalClient // the same Redis, for the test's own use
	dbURL    string
	people   []*person
	next     int // people[next] has not been used yet
}

// newDeployment prepares a fresh database with n citizens on redisURL.
func newDeployment(t *testing.T, bin, redisURL string, rdb redis.UniversalClient, n int) *deployment {
	t.Helper()
	d := &deployment{bin: bin, run: strings.ToLower(rand.Text()[:8]), redisURL: redisURL, rdb: rdb, dbURL: testenv.PostgresDatabase(t)}
	d.people = registryOf(t, d.dbURL, n)
	t.Cleanup(func() {
		if err := testenv.DeleteKeys(context.Background(), rdb, "*"+d.run+"*"); err != nil {
			t.Errorf("delete the run's keys: %v", err)
		}
	})
	return d
}

// start runs `serve` processes named names, at once, with args.
func (d *deployment) start(t *testing.T, args []string, names ...string) []*replica {
	t.Helper()
	rs, err := d.spawn(t, args, names...)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// spawn is start for any goroutine.
func (d *deployment) spawn(t *testing.T, args []string, names ...string) ([]*replica, error) {
	args = append([]string{"--database-url", d.dbURL, "--redis-url", d.redisURL, "--api-token", replicaToken}, args...)
	out := make([]*replica, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() { out[i], errs[i] = spawnReplica(t, d.bin, name, args...) })
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// person returns a citizen not used yet and a chat id for them.
func (d *deployment) person(t *testing.T, what string) (*person, string) {
	t.Helper()
	if d.next == len(d.people) {
		t.Fatal("out of citizens")
	}
	p := d.people[d.next]
	d.next++
	return p, fmt.Sprintf("%s-%s-%d", what, d.run, d.next)
}

// queued is how many turns wait for chat's lock (redisstore's keys).
func (d *deployment) queued(t *testing.T, chat string) int64 {
	t.Helper()
	n, err := d.rdb.LLen(context.Background(), keyPrefix+"queue:{rest:"+chat+"}").Result()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// holdChat takes chat's lock as a turn in another process would, so the
// test decides when the turns behind it run. The returned func lets go.
func (d *deployment) holdChat(t *testing.T, chat string) func() {
	t.Helper()
	s := redisstore.New(d.rdb, redisstore.WithPrefix(keyPrefix))
	l, _, err := s.Acquire(context.Background(), "rest:"+chat, "")
	if err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := s.Release(context.Background(), l); err != nil {
			t.Error(err)
		}
	}
}

// TestReplicas runs `serve` processes sharing PostgreSQL and each kind of
// Redis, a person's turns landing on any of them, as behind a load
// balancer.
func TestReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve processes")
	}
	bin := buildClavebot(t)
	// At once: much of each is waiting (start-up, a lock to expire, a
	// failover), so they overlap well on two cores.
	for _, tt := range []struct {
		name string
		test func(t *testing.T, bin string)
	}{
		{"redis", testReplicasOnRedis},
		{"cluster", testReplicasOnCluster},
		{"sentinel", testReplicasOnSentinel},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.test(t, bin)
		})
	}
}

// testReplicasOnRedis: three replicas on one Redis server, and a fourth
// that dies.
func testReplicasOnRedis(t *testing.T, bin string) {
	start := time.Now()
	// The test Redis the environment names, its database included: serve
	// uses clavebot's own key prefix there, beside other tests' data, but
	// every chat id carries the run's id (newDeployment deletes their
	// keys) and serveRedis deletes the deployment's lasting keys.
	d := newDeployment(t, bin, serveRedis(t), testenv.Redis(t), 204)
	var rs, doomed []*replica
	var err1, err2 error
	var wg sync.WaitGroup
	wg.Go(func() { rs, err1 = d.spawn(t, nil, "a", "b", "c") })
	// The replica that dies mid-turn: its chat waits for its lock to
	// expire, 3 s rather than the default 30.
	wg.Go(func() { doomed, err2 = d.spawn(t, []string{"--chat-lock-ttl", "3s"}, "d") })
	wg.Wait()
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	t.Logf("4 replicas and 204 citizens ready after %v", time.Since(start).Round(time.Millisecond))
	f := newFleet(t, rs...)
	t.Run("200 chats complete their flows", func(t *testing.T) { testManyChats(t, d, f, 200) })
	t.Run("a burst to one chat is answered once each, in order", func(t *testing.T) { testBurst(t, d, rs) })
	t.Run("a replica killed mid-turn loses no message and no key", func(t *testing.T) { testKilledMidTurn(t, d, f, doomed[0]) })
	t.Run("SIGTERM drains the turns in flight", func(t *testing.T) { testTerminate(t, d, rs[1], rs[2]) })
	logSummary(t, f, rs)
}

// testReplicasOnCluster: two replicas on the three-primary Redis Cluster.
func testReplicasOnCluster(t *testing.T, bin string) {
	d := newDeployment(t, bin, testenv.RedisClusterURL(), testenv.RedisCluster(t), 13)
	rs := d.start(t, nil, "a", "b")
	f := newFleet(t, rs...)
	ready(t, rs)
	t.Run("12 chats complete their flows", func(t *testing.T) { testManyChats(t, d, f, 12) })
	t.Run("a burst to one chat is answered once each, in order", func(t *testing.T) { testBurst(t, d, rs) })
	logSummary(t, f, rs)
}

// testReplicasOnSentinel: two replicas on the Sentinel set, whose primary
// fails over in the middle of conversations, one turn waiting in a
// replica meanwhile.
func testReplicasOnSentinel(t *testing.T, bin string) {
	set := testenv.RedisSentinelSet(t)
	d := newDeployment(t, bin, set.URL, set.Client(t), 5)
	rs := d.start(t, nil, "a", "b")
	f := newFleet(t, rs...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	type chat struct {
		p  *person
		id string
	}
	var chats []chat
	for range 4 {
		p, id := d.person(t, "failover")
		chats = append(chats, chat{p, id})
	}
	const half = 6 // up to the DNI
	for _, c := range chats {
		if err := f.walk(ctx, c.p, c.id, 0, half); err != nil {
			t.Fatal(err)
		}
	}
	// A turn waits in replica a, behind the test holding its chat.
	p, id := d.person(t, "inflight")
	release := d.holdChat(t, id)
	answered := make(chan []restReply, 1)
	go func() {
		rs, err := say(ctx, rs[0].base, id, "m0", "hola")
		if err != nil {
			t.Error(err)
		}
		answered <- rs
	}()
	waitUntil(t, "the turn to wait in the replica", func() bool { return d.queued(t, id) == 1 })

	t.Logf("failed over to %s", set.Failover(t))
	release()
	if rs := <-answered; lastExpect(rs) != "menu" {
		t.Fatalf("the turn in flight during the failover got %+v", rs)
	}
	if err := f.walk(ctx, p, id, 1, 3); err != nil {
		t.Fatal(err)
	}
	for _, c := range chats {
		texts, _ := c.p.script()
		if err := f.walk(ctx, c.p, c.id, half, len(texts)); err != nil {
			t.Fatal(err)
		}
		verify(t, rs[1].base, c.p)
	}
	ready(t, rs)
	logSummary(t, f, rs)
}

// ready checks each replica's GET /readyz.
func ready(t *testing.T, rs []*replica) {
	t.Helper()
	for _, r := range rs {
		res, err := http.Get(r.base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]string
		json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if res.StatusCode != 200 || body["redis"] != "ok" {
			t.Fatalf("%s: readyz %d %v", r.name, res.StatusCode, body)
		}
	}
}

// logSummary reports the retries the bot asked for and the replicas'
// errors, which under a starved machine may be legitimate.
func logSummary(t *testing.T, f *fleet, rs []*replica) {
	if n := f.retried.Load(); n > 0 {
		t.Logf("%d messages sent again after the bot asked to try later", n)
	}
	for _, r := range rs {
		for _, l := range r.out.errorLines() {
			t.Logf("%s logged: %s", r.name, l)
		}
	}
}

// testManyChats: n people create their keys at once, every message to a
// random replica.
func testManyChats(t *testing.T, d *deployment, f *fleet, n int) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	type job struct {
		p    *person
		chat string
	}
	jobs := make(chan job)
	errc := make(chan error, n)
	var wg sync.WaitGroup
	// As many chats in flight as keeps the machine busy without exhausting
	// PostgreSQL's connections, shared with other tests.
	for range 16 {
		wg.Go(func() {
			for j := range jobs {
				errc <- f.createKey(ctx, j.p, j.chat)
			}
		})
	}
	created := make([]*person, 0, n)
	for range n {
		p, chat := d.person(t, "many")
		created = append(created, p)
		jobs <- job{p, chat}
	}
	close(jobs)
	wg.Wait()
	close(errc)
	failed := 0
	for err := range errc {
		if err != nil {
			failed++
			if failed <= 5 {
				t.Error(err)
			}
		}
	}
	if failed > 0 {
		t.Fatalf("%d of %d chats failed", failed, n)
	}
	if got := keysSet(t, d.dbURL); got != n {
		t.Fatalf("%d keys stored for %d chats", got, n)
	}
	for _, p := range created[:10] {
		verify(t, f.pick().base, p)
	}
}

// keysSet counts the keys in the registry.
func keysSet(t *testing.T, dbURL string) int {
	t.Helper()
	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM keys`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// testBurst: 20 messages of one chat reach the three replicas at once;
// each is answered once, and they are handled in the order they came.
func testBurst(t *testing.T, d *deployment, rs []*replica) {
	p, chat := d.person(t, "burst")
	texts, expects := p.script()
	for len(texts) < 20 { // then back to the menu and in again, in turn
		if len(texts)%2 == 0 {
			texts, expects = append(texts, "1"), append(expects, "cuil")
		} else {
			texts, expects = append(texts, "menú"), append(expects, "menu")
		}
	}
	// The chat is busy while the burst arrives, so every message queues:
	// message i is sent once message i-1 waits in line.
	release := d.holdChat(t, chat)
	type answer struct {
		replies []restReply
		err     error
	}
	answers := make([]chan answer, len(texts))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for i, text := range texts {
		answers[i] = make(chan answer, 1)
		r := rs[i%len(rs)]
		go func() {
			replies, err := say(ctx, r.base, chat, "b"+strconv.Itoa(i), text)
			answers[i] <- answer{replies, err}
		}()
		waitUntil(t, fmt.Sprintf("message %d to queue", i), func() bool { return d.queued(t, chat) == int64(i+1) })
	}
	release()
	for i, ch := range answers {
		a := <-ch
		if a.err != nil {
			t.Fatalf("message %d: %v", i, a.err)
		}
		if got := lastExpect(a.replies); got != expects[i] {
			t.Fatalf("message %d (%s): the bot waits for %q, want %q", i, expectOf(texts[i], p), got, expects[i])
		}
	}
	// Nothing else was sent to the chat.
	req, _ := http.NewRequest("GET", rs[0].base+"/v1/chat/"+chat+"/messages", nil)
	req.Header.Set("Authorization", "Bearer "+replicaToken)
	res, err := chatClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var pushed struct{ Replies []restReply }
	if err := json.NewDecoder(res.Body).Decode(&pushed); err != nil || len(pushed.Replies) != 0 {
		t.Fatalf("pushed messages %+v, %v", pushed, err)
	}
	verify(t, rs[1].base, p)
}

// testKilledMidTurn: the replica storing a person's key dies (SIGKILL)
// while the turn waits in PostgreSQL for the keys table; the person's client sends the
// message again to another replica, which answers it once the dead one's
// chat lock expires. Meanwhile the others serve other people.
func testKilledMidTurn(t *testing.T, d *deployment, f *fleet, victim *replica) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, chat := d.person(t, "killed")
	texts, expects := p.script()
	last := len(texts) - 1
	for i := range last {
		if rs, err := f.turn(ctx, chat, "m"+strconv.Itoa(i), texts[i]); err != nil || lastExpect(rs) != expects[i] {
			t.Fatalf("message %d: %v %+v", i, err, rs)
		}
	}
	// Storing the key waits behind the test's lock of the keys table.
	db, err := sql.Open("postgres", d.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`LOCK TABLE keys IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	id := "m" + strconv.Itoa(last)
	lost := make(chan error, 1)
	go func() {
		_, err := say(ctx, victim.base, chat, id, p.key)
		lost <- err
	}()
	// The turn reads the keys table first (a key created meanwhile by
	// another chat stops a creation), then writes it: it waits at either.
	waitUntil(t, "the key's turn to wait for the table", func() bool {
		var n int
		err := db.QueryRow(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'
			AND (query ILIKE '%INSERT INTO keys%' OR query ILIKE '%FROM keys%')`).Scan(&n)
		return err == nil && n > 0
	})
	victim.kill()
	if err := <-lost; !errors.Is(err, errReplicaGone) {
		t.Fatalf("the killed replica answered: %v", err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	// The others carry on, and answer the message sent again.
	other, otherChat := d.person(t, "meanwhile")
	meanwhile := make(chan error, 1)
	go func() { meanwhile <- f.createKey(ctx, other, otherChat) }()
	rs, err := f.turn(ctx, chat, id, p.key)
	if err != nil || lastExpect(rs) != "menu" {
		t.Fatalf("the message sent again: %v %+v", err, rs)
	}
	if err := <-meanwhile; err != nil {
		t.Fatal(err)
	}
	base := f.pick().base
	verify(t, base, p)
	verify(t, base, other)
	// A third delivery of the same message, at any replica, is recognised:
	// not handled again (the key is not stored twice, nor is "confirm"
	// asked), and answered as the second was, for a client that lost it.
	if again, err := f.turn(ctx, chat, id, p.key); err != nil || !reflect.DeepEqual(again, rs) {
		t.Fatalf("the message delivered a third time: %v %+v, want the answer again: %+v", err, again, rs)
	}
}

// testTerminate: a replica told to stop (SIGTERM) while a turn waits in
// it answers that turn, then exits 0; the chat goes on elsewhere.
func testTerminate(t *testing.T, d *deployment, stays, stops *replica) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, chat := d.person(t, "drained")
	if rs, err := say(ctx, stays.base, chat, "m0", "hola"); err != nil || lastExpect(rs) != "menu" {
		t.Fatalf("hola: %v %+v", err, rs)
	}
	release := d.holdChat(t, chat)
	answered := make(chan []restReply, 1)
	go func() {
		rs, err := say(ctx, stops.base, chat, "m1", "1")
		if err != nil {
			t.Error(err)
		}
		answered <- rs
	}()
	waitUntil(t, "the turn to wait in the replica", func() bool { return d.queued(t, chat) == 1 })
	if err := stops.terminate(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the replica to begin its shutdown", func() bool {
		return strings.Contains(stops.out.String(), "msg=\"shutting down\"")
	})
	if _, err := say(ctx, stops.base, chat, "m2", "menú"); !errors.Is(err, errReplicaGone) {
		t.Fatalf("a stopping replica took a new message: %v", err)
	}
	release()
	rs := <-answered
	if len(rs) == 0 || lastExpect(rs) != "cuil" {
		t.Fatalf("the turn in flight got %+v", rs)
	}
	code, err := stops.wait(ctx)
	if err != nil || code != 0 {
		t.Fatalf("exit status %d, %v", code, err)
	}
	if rs, err := say(ctx, stays.base, chat, "m3", p.c.CUIL.String()); err != nil || lastExpect(rs) != "first_names" {
		t.Fatalf("the chat after the drain: %v %+v", err, rs)
	}
}
