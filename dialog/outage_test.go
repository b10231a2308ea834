package dialog_test

import (
	"context"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// proxy forwards TCP to Redis and can cut every connection, as a network
// failure or a Redis restart would.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  []net.Conn
}

// proxiedStore is a state store on the test Redis reached through a
// proxy the test can cut, with a client that fails fast and never
// retries, under a key prefix named name.
func proxiedStore(t *testing.T, name string) (*proxy, *redisstore.Store) {
	t.Helper()
	real := testenv.Redis(t)
	p := newProxy(t, real.Options().Addr)
	rdb := redis.NewClient(&redis.Options{
		// The cut closes the connections and refuses new ones at once, so
		// no timeout is needed to see it; tight ones (200 ms to dial,
		// 500 ms to read) failed turns before the cut on a loaded
		// machine ("after \"1\": expect menu", TestCodeSentInALostTurnIsReplaced).
		Addr: p.ln.Addr().String(), DB: real.Options().DB, MaxRetries: -1,
		DialTimeout: 5 * time.Second, ReadTimeout: 5 * time.Second,
		MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
	})
	t.Cleanup(func() { rdb.Close() })
	return p, redisstore.New(rdb, redisstore.WithPrefix(testenv.Prefix(t, real, name)), redisstore.WithLockTTL(cutLockTTL))
}

// cutLockTTL is the chat lock's TTL behind the proxy. A turn cut at its
// commit cannot release its chat's lock, and the next message waits for
// it to expire: 30 s with the store's default, spent idle five times over
// (two and a half of the package's six minutes under the race detector).
// 5 s still leaves a turn three of them to renew its lock (a third of
// the TTL apart) on a loaded machine; lease_test runs on 1 s.
const cutLockTTL = 5 * time.Second

func newProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	t.Cleanup(func() { ln.Close(); p.cut(true) })
	go p.serve()
	return p
}

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.down {
			p.mu.Unlock()
			c.Close()
			continue
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		go func() { io.Copy(up, c); up.Close() }()
		go func() { io.Copy(c, up); c.Close() }()
	}
}

// cut closes every connection; while down, new ones are refused.
func (p *proxy) cut(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// TestRedisOutageLosesNothing cuts Redis in the middle of a conversation:
// the turn is answered with an apology that keeps the step's expect (it
// was an error, which the channel answered with "text"; see
// TestRedisDownKeepsTheStepsExpect), and when Redis is back the person
// carries on from the question they were at.
func TestRedisOutageLosesNothing(t *testing.T) {
	h := newHarness(t)
	p, store := proxiedStore(t, "outage")
	h.eng = dialog.New(store, h.reg, h.cat, h.opts...)
	const chat = "outage"
	h.toFirstNamesStep(chat)

	p.cut(true)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	res, err := h.eng.Handle(ctx, dialog.Inbound{Chat: chat, ID: "during", Text: "María Belén", Channel: "test"})
	if err != nil || !has(res.Replies, i18n.M("error.state_unavailable")) || last(res.Replies).Expect != dialog.ExpectFirstNames {
		t.Fatalf("with Redis down the turn gave %v, %s; want the apology, still at the first names", err, h.dump(res.Replies))
	}
	p.cut(false)
	// The message that failed can be sent again; the chat is where it was.
	var rs []dialog.Reply
	deadline := time.Now().Add(5 * time.Second)
	for {
		res, err := h.eng.Handle(context.Background(), dialog.Inbound{Chat: chat, ID: "during", Text: "María Belén", Channel: "test"})
		if err == nil {
			rs = res.Replies
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Redis back, turn still fails: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(rs) == 0 || last(rs).Expect != dialog.ExpectLastNames {
		t.Fatalf("after the outage: %s", h.dump(rs))
	}
}

// TestPostgresOutageLosesNothing cuts PostgreSQL in the middle of a
// conversation: the person is told the system has trouble and asked the
// same question again; when it is back they carry on.
func TestPostgresOutageLosesNothing(t *testing.T) {
	dbURL, err := url.Parse(testenv.PostgresDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	p := newProxy(t, dbURL.Host)
	dbURL.Host = p.ln.Addr().String()
	q := dbURL.Query()
	q.Set("connect_timeout", "1")
	dbURL.RawQuery = q.Encode()
	h := newHarness(t)
	h.eng = dialog.New(h.store, h.service(openRegistry(t, dbURL.String())), h.cat, h.opts...)
	const chat = "pg"
	h.toFirstNamesStep(chat)
	p.cut(true)
	h.step(chat, "María Belén", dialog.ExpectFirstNames, i18n.M("error.unavailable"))
	p.cut(false)
	h.step(chat, "María Belén", dialog.ExpectLastNames)
}
