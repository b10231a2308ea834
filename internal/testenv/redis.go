package testenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// Defaults match scripts/services.sh.
const (
	DefaultRedisClusterURL  = "redis+cluster://127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003"
	DefaultRedisSentinelURL = "redis+sentinel://127.0.0.1:26390,127.0.0.1:26391,127.0.0.1:26392/clavebot"
)

// RedisClusterURL is the test Redis Cluster's URL (CONTRACT §7's form).
func RedisClusterURL() string {
	if u := os.Getenv("CLAVEBOT_TEST_REDIS_CLUSTER_URL"); u != "" {
		return u
	}
	return DefaultRedisClusterURL
}

// RedisSentinelURL is the test Sentinel set's URL (CONTRACT §7's form).
func RedisSentinelURL() string {
	if u := os.Getenv("CLAVEBOT_TEST_REDIS_SENTINEL_URL"); u != "" {
		return u
	}
	return DefaultRedisSentinelURL
}

// hosts splits a test URL (no credentials, no options) into its addresses
// and path: "redis+sentinel://a:1,b:2/master" gives [a:1 b:2], "master".
func hosts(tb testing.TB, u string) ([]string, string) {
	tb.Helper()
	_, rest, ok := strings.Cut(u, "://")
	if !ok {
		tb.Fatalf("bad test redis URL %q", u)
	}
	addrs, path, _ := strings.Cut(rest, "/")
	return strings.Split(addrs, ","), path
}

// RedisCluster returns a new client of the test Redis Cluster, as one
// process of a deployment would have, closed when the test ends.
func RedisCluster(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	addrs, _ := hosts(tb, RedisClusterURL())
	c := redis.NewClusterClient(&redis.ClusterOptions{
		Addrs:                    addrs,
		PoolSize:                 64,
		MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
	})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	err := c.ForEachMaster(ctx, func(ctx context.Context, n *redis.Client) error { return n.Ping(ctx).Err() })
	if err == nil {
		err = clusterOK(ctx, c)
	}
	if err != nil {
		c.Close()
		Unreachable(tb, "redis cluster", err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

func clusterOK(ctx context.Context, c *redis.ClusterClient) error {
	info, err := c.ClusterInfo(ctx).Result()
	if err != nil {
		return err
	}
	if !strings.Contains(info, "cluster_state:ok") {
		return errors.New("cluster state is not ok")
	}
	return nil
}

// RedisSentinel returns a new client of the test Sentinel set's primary,
// closed when the test ends. The test shares the set with others but no
// failover happens while it runs (see SentinelSet).
func RedisSentinel(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	lockSentinel(tb, syscall.LOCK_SH)
	return sentinelClient(tb)
}

func sentinelClient(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	addrs, master := hosts(tb, RedisSentinelURL())
	c := redis.NewFailoverClient(&redis.FailoverOptions{
		MasterName:    master,
		SentinelAddrs: addrs,
		PoolSize:      64,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		Unreachable(tb, "redis sentinel", err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

// lockSentinel takes a lock shared by every test process on this machine
// until tb ends: shared by tests that only use the Sentinel set, exclusive
// for one that fails it over. A failover loses the writes the old primary
// took after the new one was promoted (Redis replicates asynchronously),
// which a test not about failovers must not see.
func lockSentinel(tb testing.TB, how int) {
	tb.Helper()
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "clavebot-test-sentinel.lock"), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		tb.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() }) // closing releases the lock
}

// SentinelSet is the test Sentinel set held by one test, which alone may
// fail it over. That test must not also call RedisSentinel.
type SentinelSet struct {
	URL       string
	master    string
	sentinels []string
}

// RedisSentinelSet waits until no other test uses the Sentinel set and
// holds it until tb ends.
func RedisSentinelSet(tb testing.TB) *SentinelSet {
	tb.Helper()
	lockSentinel(tb, syscall.LOCK_EX)
	addrs, master := hosts(tb, RedisSentinelURL())
	sentinelClient(tb) // reachable?
	return &SentinelSet{URL: RedisSentinelURL(), master: master, sentinels: addrs}
}

// Client returns a new client of the set's primary, closed when tb ends.
func (s *SentinelSet) Client(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	return sentinelClient(tb)
}

// Primary returns the address of the primary the Sentinels name now.
func (s *SentinelSet) Primary(tb testing.TB) string {
	tb.Helper()
	addr, err := s.primary(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return addr
}

func (s *SentinelSet) primary(ctx context.Context) (string, error) {
	var last error
	for _, a := range s.sentinels {
		sc := redis.NewSentinelClient(&redis.Options{Addr: a})
		hp, err := sc.GetMasterAddrByName(ctx, s.master).Result()
		sc.Close()
		if err == nil && len(hp) == 2 {
			return hp[0] + ":" + hp[1], nil
		}
		last = err
	}
	return "", fmt.Errorf("no sentinel names a primary: %v", last)
}

// Failover makes the Sentinels promote the replica, as an operator's
// planned failover does (SENTINEL FAILOVER, once the replica has caught
// up), and waits until every Sentinel names the new primary and the old
// one replicates from it. Sentinel itself demotes a reachable old primary
// only 8 to 18 s later; Failover does it at once, as Sentinel would (its
// REPLICAOF, then closing the clients' connections). It returns the new
// primary's address.
func (s *SentinelSet) Failover(tb testing.TB) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	old := s.Primary(tb)
	if err := waitCaughtUp(ctx, old); err != nil {
		tb.Fatalf("before the failover: %v", err)
	}
	if err := s.force(ctx); err != nil {
		tb.Fatal(err)
	}
	var next string
	for {
		var err error
		if next, err = s.agreed(ctx, old); err == nil {
			break
		}
		if ctx.Err() != nil {
			tb.Fatalf("failover from %s did not complete: %v", old, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := demote(ctx, old, next); err != nil {
		tb.Fatalf("demote %s: %v", old, err)
	}
	for {
		err := isReplicaOf(ctx, old, next)
		if err == nil {
			return next
		}
		if ctx.Err() != nil {
			tb.Fatalf("failover from %s did not complete: %v", old, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// demote makes the old primary a replica of the new one and drops its
// clients, as Sentinel does when it reconfigures an instance.
func demote(ctx context.Context, old, next string) error {
	c := redis.NewClient(&redis.Options{Addr: old, MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}})
	defer c.Close()
	host, port, _ := strings.Cut(next, ":")
	if err := c.Do(ctx, "REPLICAOF", host, port).Err(); err != nil {
		return err
	}
	for _, typ := range []string{"normal", "pubsub"} {
		if err := c.Do(ctx, "CLIENT", "KILL", "TYPE", typ, "SKIPME", "yes").Err(); err != nil {
			return err
		}
	}
	return nil
}

// force asks a Sentinel to fail over, again while it answers that no
// replica is fit yet (one that has just been demoted is still syncing).
func (s *SentinelSet) force(ctx context.Context) error {
	sc := redis.NewSentinelClient(&redis.Options{Addr: s.sentinels[0]})
	defer sc.Close()
	for {
		err := sc.Failover(ctx, s.master).Err()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("SENTINEL FAILOVER: %w", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// agreed returns the primary every Sentinel names, once it is not old.
func (s *SentinelSet) agreed(ctx context.Context, old string) (string, error) {
	var seen string
	for _, a := range s.sentinels {
		sc := redis.NewSentinelClient(&redis.Options{Addr: a})
		hp, err := sc.GetMasterAddrByName(ctx, s.master).Result()
		sc.Close()
		if err != nil {
			return "", err
		}
		addr := hp[0] + ":" + hp[1]
		if addr == old || (seen != "" && addr != seen) {
			return "", fmt.Errorf("sentinel %s still names %s", a, addr)
		}
		seen = addr
	}
	return seen, nil
}

// waitCaughtUp waits until a replica of primary has every write made so
// far: WAIT counts the replicas that have its connection's last write,
// and the replication stream is in order.
func waitCaughtUp(ctx context.Context, primary string) error {
	c := redis.NewClient(&redis.Options{Addr: primary, MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}})
	defer c.Close()
	conn := c.Conn()
	defer conn.Close()
	if err := conn.Set(ctx, "testenv:failover-mark", time.Now().String(), time.Minute).Err(); err != nil {
		return err
	}
	n, err := conn.Do(ctx, "WAIT", 1, 10000).Int()
	if err == nil && n < 1 {
		err = errors.New("no replica acknowledged the writes")
	}
	return err
}

// isReplicaOf checks that addr replicates from primary, link up.
func isReplicaOf(ctx context.Context, addr, primary string) error {
	info, err := replication(ctx, addr)
	if err != nil {
		return err
	}
	host, port, _ := strings.Cut(primary, ":")
	if info["role"] != "slave" || info["master_host"] != host || info["master_port"] != port || info["master_link_status"] != "up" {
		return fmt.Errorf("%s is not yet a replica of %s: %v", addr, primary, info)
	}
	return nil
}

// replication returns INFO replication of the server at addr.
func replication(ctx context.Context, addr string) (map[string]string, error) {
	c := redis.NewClient(&redis.Options{Addr: addr, MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}})
	defer c.Close()
	raw, err := c.Info(ctx, "replication").Result()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, line := range strings.Split(raw, "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			out[k] = v
		}
	}
	return out, nil
}
