package roundtrip_test

import (
	"bufio"
	"context"
	"net"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/internal/roundtrip"
	"github.com/clavebot/clavebot/internal/testenv"
)

// echo answers each line with the same line.
func echo(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				sc := bufio.NewScanner(c)
				for sc.Scan() {
					c.Write(append(sc.Bytes(), '\n'))
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func TestConnCountsRequestsAnswered(t *testing.T) {
	var c roundtrip.Counter
	var d net.Dialer
	conn, err := c.Dialer(d.DialContext)(context.Background(), "tcp", echo(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	ask := func(lines ...string) {
		for _, l := range lines {
			conn.Write([]byte(l + "\n")) // several writes before reading: one request
		}
		for range lines {
			if _, err := r.ReadString('\n'); err != nil {
				t.Fatal(err)
			}
		}
	}
	ask("a")
	ask("b", "c", "d") // pipelined: one wait
	ask("e")
	if n := c.Load(); n != 3 {
		t.Errorf("counted %d round trips, want 3", n)
	}
}

func TestRedisHookCountsCommandsAndPipelines(t *testing.T) {
	testenv.Redis(t) // fails in CI when Redis is missing
	opts, err := redis.ParseURL(testenv.RedisURL())
	if err != nil {
		t.Fatal(err)
	}
	opts.PoolSize = 1 // one connection, set up before counting
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	ctx := context.Background()
	var c roundtrip.Counter
	rdb.AddHook(c.RedisHook())
	talk := func() {
		if err := rdb.Ping(ctx).Err(); err != nil {
			t.Fatal(err)
		}
		pipe := rdb.Pipeline()
		pipe.Ping(ctx)
		pipe.Ping(ctx)
		pipe.Ping(ctx)
		if _, err := pipe.Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	talk() // sets the connection up (HELLO, CLIENT SETINFO: two more)
	before := c.Load()
	talk()
	if n := c.Load() - before; n != 2 {
		t.Errorf("counted %d round trips, want 2 (a command, a pipeline)", n)
	}
}
