package redisstore

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// ownServer is a redis-server of the test's own, for what the shared
// servers must not be put through: a cluster failed over (the shared one
// has no replicas), a server made full.
type ownServer struct {
	addr string
	bus  int // the cluster bus's port, when cluster-enabled
	cmd  *exec.Cmd
	c    *redis.Client
}

// startServer starts redis-server with args on a free port, its data in
// a temporary directory, stopped when the test ends; it skips the test
// where there is no redis-server to start.
func startServer(t *testing.T, args ...string) *ownServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("no redis-server to start a server of the test's own")
	}
	port := freePort(t)
	args = append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", t.TempDir(),
		"--save", "", "--appendonly", "no"}, args...)
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n := &ownServer{addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), cmd: cmd}
	t.Cleanup(func() { n.kill() })
	n.c = redis.NewClient(&redis.Options{Addr: n.addr, MaxRetries: -1})
	t.Cleanup(func() { n.c.Close() })
	eventually(t, "redis-server "+n.addr+" answers", func(ctx context.Context) error { return n.c.Ping(ctx).Err() })
	return n
}

// startClusterNode starts a cluster-enabled redis-server of the test's own.
func startClusterNode(t *testing.T) *ownServer {
	t.Helper()
	bus := freePort(t)
	n := startServer(t, "--cluster-enabled", "yes", "--cluster-port", strconv.Itoa(bus),
		"--cluster-node-timeout", "1000", "--cluster-config-file", "nodes.conf")
	n.bus = bus
	return n
}

func (n *ownServer) kill() {
	if n.cmd.ProcessState == nil {
		n.cmd.Process.Kill()
		n.cmd.Wait()
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// eventually runs f until it succeeds, for up to 15 s.
func eventually(t *testing.T, what string, f func(ctx context.Context) error) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := f(ctx)
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still %v after 15 s", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestClusterClientFollowsAFailedOverPrimary: a Cluster's primary is
// killed and its replica takes its slots. The bot's client kept sending
// to the dead primary, every turn of the chats in its slots answered
// with the apology, until go-redis reloaded its map of the cluster on
// its own, a minute after its last load, though the cluster had promoted
// the replica in seconds (a resilience probe: two serve replicas on a
// cluster of three primaries and their replicas, one primary killed; the
// replica whose /readyz nobody asked, which reloads it, kept failing).
// A command that fails other than by the server's answer has the client
// reload the map: the first turns after the failover are served.
func TestClusterClientFollowsAFailedOverPrimary(t *testing.T) {
	primary, replica := startClusterNode(t), startClusterNode(t)
	ctx := context.Background()
	if err := primary.c.Do(ctx, "CLUSTER", "ADDSLOTSRANGE", 0, 16383).Err(); err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(primary.addr)
	if err := replica.c.Do(ctx, "CLUSTER", "MEET", host, port, primary.bus).Err(); err != nil {
		t.Fatal(err)
	}
	id, err := primary.c.Do(ctx, "CLUSTER", "MYID").Text()
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the replica follows the primary", func(ctx context.Context) error {
		return replica.c.Do(ctx, "CLUSTER", "REPLICATE", id).Err()
	})
	eventually(t, "the cluster is up", func(ctx context.Context) error {
		return clusterOK(ctx, primary.c, replica.c)
	})

	// Both nodes are seeds, as a deployment lists several.
	c := mustOpen(t, "redis+cluster://"+primary.addr+","+replica.addr+"?dial_timeout=200ms&read_timeout=500ms&max_retries=1")
	if err := c.Set(ctx, "{chat}:state", "at the DNI", 0).Err(); err != nil {
		t.Fatal(err)
	}
	// The replica must hold the state before its primary dies. WAIT
	// counts only the writes of the connection it is asked on: asked on
	// another it answered at once, and under load the primary was killed
	// before the replica had read the write (a run with the machine busy
	// found the promoted replica empty, every read "redis: nil"). The
	// replica is read, on a connection allowed to, until it has it.
	onReplica := replica.c.Conn()
	defer onReplica.Close()
	if err := onReplica.ReadOnly(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the replica has the chat's state", func(ctx context.Context) error {
		got, err := onReplica.Get(ctx, "{chat}:state").Result()
		if err == nil && got != "at the DNI" {
			err = fmt.Errorf("got %q", got)
		}
		return err
	})

	primary.kill()
	if err := c.Get(ctx, "{chat}:state").Err(); err == nil {
		t.Fatal("the state read from a killed primary")
	}
	if err := replica.c.Do(ctx, "CLUSTER", "FAILOVER", "TAKEOVER").Err(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the replica is the primary", func(ctx context.Context) error {
		role, err := replica.c.Do(ctx, "ROLE").Slice()
		if err == nil && role[0] != "master" {
			err = fmt.Errorf("it is a %v", role[0])
		}
		return err
	})
	eventually(t, "the bot's client reads the chat's state from the new primary", func(ctx context.Context) error {
		got, err := c.Get(ctx, "{chat}:state").Result()
		if err == nil && got != "at the DNI" {
			err = fmt.Errorf("got %q", got)
		}
		return err
	})
}

// clusterOK reports whether every node says the cluster is up and the
// replica is one.
func clusterOK(ctx context.Context, primary, replica *redis.Client) error {
	for _, n := range []*redis.Client{primary, replica} {
		info, err := n.ClusterInfo(ctx).Result()
		if err != nil {
			return err
		}
		if !strings.Contains(info, "cluster_state:ok") {
			return fmt.Errorf("%s: cluster not ok", n.Options().Addr)
		}
	}
	info, err := replica.Info(ctx, "replication").Result()
	if err != nil {
		return err
	}
	if !strings.Contains(info, "master_link_status:up") {
		return fmt.Errorf("the replica has not synced")
	}
	return nil
}
