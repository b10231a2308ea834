// Package testenv connects tests to the real servers they need (Redis,
// a Redis Cluster, a Redis Sentinel set, PostgreSQL), from
// CLAVEBOT_TEST_REDIS_URL, CLAVEBOT_TEST_REDIS_CLUSTER_URL,
// CLAVEBOT_TEST_REDIS_SENTINEL_URL and CLAVEBOT_TEST_POSTGRES_URL. In CI
// (CI=true) a missing server fails the test: scripts/test starts the
// servers, so absence is a broken setup, never a reason to skip.
package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/lib/pq" // the "postgres" driver

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// Defaults match scripts/services.sh.
const (
	DefaultRedisURL    = "redis://127.0.0.1:6379/0"
	DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
)

// Unreachable fails the test in CI and skips it elsewhere.
func Unreachable(tb testing.TB, what string, err error) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s not reachable in CI: %v", what, err)
	}
	tb.Skipf("%s not reachable: %v", what, err)
}

// RedisURL is the test Redis's URL.
func RedisURL() string {
	if u := os.Getenv("CLAVEBOT_TEST_REDIS_URL"); u != "" {
		return u
	}
	return DefaultRedisURL
}

// PostgresURL is the test PostgreSQL's URL.
func PostgresURL() string {
	if u := os.Getenv("CLAVEBOT_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// Redis returns a client of the test Redis, closed when the test ends.
func Redis(tb testing.TB) *redis.Client {
	tb.Helper()
	opts, err := redis.ParseURL(RedisURL())
	if err != nil {
		tb.Fatal(err)
	}
	opts.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	opts.PoolSize = 64
	c := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		Unreachable(tb, "redis", err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

// Postgres returns the test server's URL after checking it answers.
func Postgres(tb testing.TB) string {
	tb.Helper()
	u := PostgresURL()
	db, err := sql.Open("postgres", u)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		err = db.PingContext(ctx)
		cancel()
		db.Close()
	}
	if err != nil {
		Unreachable(tb, "postgres", err)
	}
	return u
}

// PostgresDatabase creates an empty database for one test and drops it when
// the test ends, so the tests of several packages can run at once. It
// returns the new database's URL.
func PostgresDatabase(tb testing.TB) string {
	tb.Helper()
	server := Postgres(tb)
	admin, err := sql.Open("postgres", server)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { admin.Close() })
	name := "clavebot_test_" + strings.ToLower(rand.Text()[:16])
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`); err != nil {
			tb.Errorf("drop %s: %v", name, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Prefix returns a Redis key prefix no other test uses; the keys under it
// are deleted when the test ends.
func Prefix(tb testing.TB, c redis.UniversalClient, area string) string {
	tb.Helper()
	prefix := "test:" + area + ":" + strings.ToLower(rand.Text()[:10]) + ":"
	tb.Cleanup(func() {
		if err := DeleteKeys(context.Background(), c, prefix+"*"); err != nil {
			tb.Errorf("delete test keys %s*: %v", prefix, err)
		}
	})
	return prefix
}

// DeleteKeys deletes the keys matching pattern, on every primary of a
// cluster.
func DeleteKeys(ctx context.Context, c redis.UniversalClient, pattern string) error {
	del := func(ctx context.Context, node redis.UniversalClient) error {
		iter := node.Scan(ctx, 0, pattern, 1000).Iterator()
		for iter.Next(ctx) {
			if err := node.Del(ctx, iter.Val()).Err(); err != nil {
				return err
			}
		}
		return iter.Err()
	}
	if cl, ok := c.(*redis.ClusterClient); ok {
		return cl.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error { return del(ctx, node) })
	}
	return del(ctx, c)
}
