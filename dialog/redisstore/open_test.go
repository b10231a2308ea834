package redisstore

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/testenv"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		url  string
		want string // the target, summarised by summary
	}{
		{"redis://127.0.0.1:6379/2", "single 127.0.0.1:6379 db=2"},
		{"redis://:s3cret@redis.internal/0", "single redis.internal:6379 db=0 pass=s3cret"},
		{"rediss://cache.example.org:6380", "single cache.example.org:6380 db=0 tls=cache.example.org"},
		{"redis+cluster://10.0.0.1:7001", "cluster [10.0.0.1:7001]"},
		{"redis+cluster://10.0.0.1:7001,10.0.0.2:7002,[::1]:7003/", "cluster [10.0.0.1:7001 10.0.0.2:7002 [::1]:7003]"},
		{"redis+cluster://app:pw@a,b:7000?dial_timeout=2s", "cluster [a:6379 b:7000] user=app pass=pw dial=2s"},
		{"rediss+cluster://a:7001,b:7001", "cluster [a:7001 b:7001] tls=a"},
		{"redis+sentinel://s1:26379,s2:26380/mymaster", "sentinel mymaster [s1:26379 s2:26380] db=0"},
		{"redis+sentinel://:pw@s1,s2/mymaster/3", "sentinel mymaster [s1:26379 s2:26379] db=3 pass=pw"},
		{"redis+sentinel://s1/mymaster?sentinel_password=sp", "sentinel mymaster [s1:26379] db=0 spass=sp"},
		{"rediss+sentinel://s1:26379/m", "sentinel m [s1:26379] db=0 tls=s1"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			got, err := parseURL(tt.url, clientConfig{})
			if err != nil {
				t.Fatal(err)
			}
			if s := summary(got); s != tt.want {
				t.Errorf("got  %s\nwant %s", s, tt.want)
			}
		})
	}
}

func TestParseURLInvalid(t *testing.T) {
	tests := []struct{ name, url string }{
		{"no scheme", "127.0.0.1:6379"},
		{"unknown scheme", "http://127.0.0.1:6379"},
		{"unknown topology", "redis+ring://a:1,b:2"},
		{"cluster with a database", "redis+cluster://a:7001/1"},
		{"sentinel without a master", "redis+sentinel://a:26379"},
		{"empty address", "redis+cluster://a:7001,,b:7002"},
		{"unknown option", "redis+cluster://a:7001?colour=blue"},
		{"bad port, with a password", "redis://u:hunter2@a:port/0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewClient(tt.url)
			if !errs.Is(errs.Invalid, err) {
				t.Fatalf("NewClient(%q) = %v, want Invalid", tt.url, err)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("the error shows the password: %v", err)
			}
		})
	}
}

// summary describes a target in one line, for comparisons.
func summary(t target) string {
	var b strings.Builder
	var tlsc *tls.Config
	var user, pass string
	switch {
	case t.single != nil:
		o := t.single
		fmt.Fprintf(&b, "single %s db=%d", o.Addr, o.DB)
		tlsc, user, pass = o.TLSConfig, o.Username, o.Password
	case t.cluster != nil:
		o := t.cluster
		fmt.Fprintf(&b, "cluster %v", o.Addrs)
		tlsc, user, pass = o.TLSConfig, o.Username, o.Password
		if o.DialTimeout != 0 {
			fmt.Fprintf(&b, " user=%s pass=%s dial=%v", user, pass, o.DialTimeout)
			user, pass = "", ""
		}
	case t.sentinel != nil:
		o := t.sentinel
		fmt.Fprintf(&b, "sentinel %s %v db=%d", o.MasterName, o.SentinelAddrs, o.DB)
		tlsc, user, pass = o.TLSConfig, o.Username, o.Password
		if o.SentinelPassword != "" {
			fmt.Fprintf(&b, " spass=%s", o.SentinelPassword)
		}
	}
	if user != "" {
		fmt.Fprintf(&b, " user=%s", user)
	}
	if pass != "" {
		fmt.Fprintf(&b, " pass=%s", pass)
	}
	if tlsc != nil {
		fmt.Fprintf(&b, " tls=%s", tlsc.ServerName)
	}
	return b.String()
}

func TestOpenCluster(t *testing.T) {
	testenv.RedisCluster(t)
	c := mustOpen(t, testenv.RedisClusterURL())
	if _, ok := c.(*redis.ClusterClient); !ok {
		t.Fatalf("client is a %T, want a cluster client", c)
	}
	roundTrip(t, c)
}

func TestOpenSentinel(t *testing.T) {
	testenv.RedisSentinel(t)
	c := mustOpen(t, testenv.RedisSentinelURL())
	roundTrip(t, c)
	// A plain URL naming the replica opens, but is not ready: the bot
	// would fail every write.
	role, err := c.Do(context.Background(), "ROLE").Slice()
	if err != nil || len(role) < 3 {
		t.Fatalf("ROLE = %v, %v", role, err)
	}
	replicas, _ := role[2].([]any)
	if len(replicas) == 0 {
		t.Fatal("the test primary has no replica")
	}
	r := replicas[0].([]any)
	replica, err := NewClient(fmt.Sprintf("redis://%s:%s", r[0], r[1]))
	if err != nil {
		t.Fatal(err)
	}
	defer replica.Close()
	if err := Ping(context.Background(), replica); !errs.Is(errs.Unavailable, err) || !strings.Contains(err.Error(), "not a primary") {
		t.Fatalf("Ping of a replica = %v, want Unavailable: not a primary", err)
	}
}

func TestOpenUnreachable(t *testing.T) {
	for _, u := range []string{
		"redis://127.0.0.1:1?max_retries=-1",
		"redis+cluster://127.0.0.1:1?max_retries=-1&dialer_retries=1",
		"redis+sentinel://127.0.0.1:1/m?max_retries=-1&dialer_retries=1",
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := Open(ctx, u)
		cancel()
		if !errs.Is(errs.Unavailable, err) {
			t.Errorf("Open(%s) = %v, want Unavailable", u, err)
		}
	}
}

// TestOpenTLS talks to the test Redis through a TLS proxy: rediss
// verifies the server's certificate against the roots and the URL's host.
func TestOpenTLS(t *testing.T) {
	testenv.Redis(t)
	plain, err := redis.ParseURL(testenv.RedisURL())
	if err != nil {
		t.Fatal(err)
	}
	roots, cert := selfSigned(t, "localhost")
	port := tlsProxy(t, cert, plain.Addr)
	trusted := WithTLSConfig(&tls.Config{RootCAs: roots})
	c := mustOpen(t, "rediss://localhost:"+port+"/0", trusted)
	roundTrip(t, c)
	tests := []struct {
		name string
		url  string
		opts []ClientOption
	}{
		{"unknown authority", "rediss://localhost:" + port + "/0", nil},
		{"another name", "rediss://127.0.0.1:" + port + "/0", []ClientOption{trusted}},
		{"plain text to a TLS port", "redis://localhost:" + port + "/0", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if c, err := Open(ctx, tt.url+"?max_retries=-1&dial_timeout=1s&read_timeout=1s", tt.opts...); err == nil {
				c.Close()
				t.Fatal("connected")
			}
		})
	}
}

func mustOpen(t *testing.T, url string, opts ...ClientOption) redis.UniversalClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Open(ctx, url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// roundTrip runs a turn on c.
func roundTrip(t *testing.T, c redis.UniversalClient) {
	t.Helper()
	prefix := testenv.Prefix(t, c, "open")
	s := New(c, WithPrefix(prefix))
	l, _ := mustAcquire(t, s, "rest:open", "m1")
	mustCommit(t, s, l, "ok", time.Minute)
	if _, state := mustAcquire(t, s, "rest:open", "m2"); string(state) != "ok" {
		t.Fatalf("state %q", state)
	}
}

// selfSigned returns a certificate for host and a pool trusting it.
func selfSigned(t *testing.T, host string) (*x509.CertPool, tls.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: host},
		DNSNames:     []string{host},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return pool, tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

// tlsProxy terminates TLS on a free port and forwards to backend; it
// returns the port.
func tlsProxy(t *testing.T, cert tls.Certificate, backend string) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer in.Close()
				out, err := net.Dial("tcp", backend)
				if err != nil {
					return
				}
				defer out.Close()
				go io.Copy(out, in)
				io.Copy(in, out)
			}()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}
