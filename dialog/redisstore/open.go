package redisstore

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/clavebot/clavebot/internal/errs"
)

// The URL schemes of CONTRACT §7 that name several servers.
const (
	schemeCluster  = "+cluster"
	schemeSentinel = "+sentinel"
)

// ClientOption adjusts the client NewClient makes.
type ClientOption func(*clientConfig)

type clientConfig struct {
	tls *tls.Config
}

// WithTLSConfig sets the TLS settings (trusted roots, client certificate)
// of a rediss URL; the URL's host still names the server to verify. By
// default the system's roots are trusted (SSL_CERT_FILE adds a private CA).
func WithTLSConfig(c *tls.Config) ClientOption {
	return func(cc *clientConfig) { cc.tls = c }
}

// NewClient returns a client of the Redis rawURL names (CONTRACT §7):
//
//	redis://[USER:PASSWORD@]HOST:PORT[/DB][?OPTIONS]    one server
//	rediss://...                                        the same over TLS
//	redis+cluster://[USER:PASSWORD@]HOST:PORT[,HOST:PORT...][?OPTIONS]
//	redis+sentinel://[USER:PASSWORD@]HOST:PORT[,HOST:PORT...]/MASTER[/DB][?OPTIONS]
//
// rediss+cluster and rediss+sentinel speak TLS. A cluster's addresses are
// seeds: the client learns the others from them. A sentinel URL lists the
// Sentinels; the client follows the primary they name through failovers.
// USER:PASSWORD is the data servers' (the Sentinels' own, if they have
// one, go in the sentinel_username and sentinel_password options). OPTIONS
// are go-redis' URL options (dial_timeout, pool_size, ...); an unknown one
// is an error. Nothing is dialled yet; Ping checks the connection.
func NewClient(rawURL string, opts ...ClientOption) (redis.UniversalClient, error) {
	var cc clientConfig
	for _, o := range opts {
		o(&cc)
	}
	t, err := parseURL(rawURL, cc)
	if err != nil {
		return nil, err
	}
	return t.client(), nil
}

// target is what a URL names: the options of one of go-redis' clients.
type target struct {
	single   *redis.Options
	cluster  *redis.ClusterOptions
	sentinel *redis.FailoverOptions
}

// client makes the client; all three are a redis.UniversalClient, as
// redis.NewUniversalClient would make them.
func (t target) client() redis.UniversalClient {
	switch {
	case t.cluster != nil:
		c := redis.NewClusterClient(t.cluster) // even with one seed address
		c.AddHook(followTopology{c})
		return c
	case t.sentinel != nil:
		return redis.NewFailoverClient(t.sentinel)
	}
	return redis.NewClient(t.single)
}

func parseURL(rawURL string, cc clientConfig) (target, error) {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return target{}, invalidURL(errors.New("want redis://, rediss://, redis+cluster:// or redis+sentinel://"))
	}
	base, topology, _ := strings.Cut(scheme, "+")
	if base != "redis" && base != "rediss" {
		return target{}, invalidURL(fmt.Errorf("unknown scheme %q", scheme))
	}
	switch "+" + topology {
	case "+":
		return parseSingle(rawURL, cc)
	case schemeCluster:
		return parseCluster(base, rest, cc)
	case schemeSentinel:
		return parseSentinel(base, rest, cc)
	}
	return target{}, invalidURL(fmt.Errorf("unknown scheme %q", scheme))
}

// invalidURL never quotes the URL, which may hold a password.
func invalidURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return errs.E(errs.Invalid, "redis url", err)
}

func parseSingle(rawURL string, cc clientConfig) (target, error) {
	o, err := redis.ParseURL(rawURL)
	if err != nil {
		return target{}, invalidURL(err)
	}
	o.TLSConfig = withRoots(o.TLSConfig, cc)
	// Otherwise go-redis resolves the host for "maintenance notifications"
	// when the client is made, stalling start-up (STACK.md).
	o.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	return target{single: o}, nil
}

func parseCluster(base, rest string, cc clientConfig) (target, error) {
	u, err := splitHosts(rest, "6379")
	if err != nil {
		return target{}, err
	}
	if strings.Trim(u.path, "/") != "" {
		return target{}, invalidURL(errors.New("a cluster has no database number: no path after the addresses"))
	}
	u.query.Del("addr")
	for _, a := range u.addrs[1:] {
		u.query.Add("addr", a)
	}
	o, err := redis.ParseClusterURL(u.goRedis(base, u.user, ""))
	if err != nil {
		return target{}, invalidURL(err)
	}
	o.TLSConfig = withRoots(o.TLSConfig, cc)
	o.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	return target{cluster: o}, nil
}

func parseSentinel(base, rest string, cc clientConfig) (target, error) {
	u, err := splitHosts(rest, "26379")
	if err != nil {
		return target{}, err
	}
	master, db, _ := strings.Cut(strings.Trim(u.path, "/"), "/")
	if master == "" {
		return target{}, invalidURL(errors.New("a sentinel URL names the primary: redis+sentinel://HOST:PORT,.../MASTER"))
	}
	// go-redis reads the Sentinels' credentials from the URL's user info and
	// the data servers' from options; ours are the other way round, as a
	// Redis URL's user info is the data's.
	var sentinelUser *url.Userinfo
	if u.query.Has("sentinel_username") || u.query.Has("sentinel_password") {
		sentinelUser = url.UserPassword(u.query.Get("sentinel_username"), u.query.Get("sentinel_password"))
	}
	u.query.Del("sentinel_username")
	u.query.Del("sentinel_password")
	if u.user != nil {
		u.query.Set("username", u.user.Username())
		pw, _ := u.user.Password()
		u.query.Set("password", pw)
	}
	u.query.Set("master_name", master)
	u.query.Del("addr")
	for _, a := range u.addrs[1:] {
		u.query.Add("addr", a)
	}
	o, err := redis.ParseFailoverURL(u.goRedis(base, sentinelUser, db))
	if err != nil {
		return target{}, invalidURL(err)
	}
	o.TLSConfig = withRoots(o.TLSConfig, cc)
	return target{sentinel: o}, nil
}

// hostsURL is a URL whose host part is a list of addresses.
type hostsURL struct {
	user  *url.Userinfo
	addrs []string
	path  string
	query url.Values
}

// splitHosts reads USER:PASSWORD@HOST:PORT,HOST:PORT/PATH?QUERY, which
// net/url cannot, giving port defPort to an address without one.
func splitHosts(rest, defPort string) (*hostsURL, error) {
	authority, tail := rest, ""
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		authority, tail = rest[:i], rest[i:]
	}
	// Parse the rest as a one-host URL to get user info, path and query
	// decoded by the usual rules.
	hosts := authority
	userinfo := ""
	if i := strings.LastIndex(authority, "@"); i >= 0 {
		userinfo, hosts = authority[:i+1], authority[i+1:]
	}
	p, err := url.Parse("redis://" + userinfo + "placeholder" + tail)
	if err != nil {
		return nil, invalidURL(err)
	}
	h := &hostsURL{user: p.User, path: p.Path, query: p.Query()}
	for _, a := range strings.Split(hosts, ",") {
		if a == "" {
			return nil, invalidURL(errors.New("empty address in the list"))
		}
		host, port, err := net.SplitHostPort(a)
		if err != nil {
			host, port = strings.Trim(a, "[]"), defPort
		}
		if host == "" || port == "" {
			return nil, invalidURL(fmt.Errorf("bad address %q", a))
		}
		h.addrs = append(h.addrs, net.JoinHostPort(host, port))
	}
	return h, nil
}

// goRedis writes u in go-redis' own URL form: the first address as host,
// the others as addr options.
func (u *hostsURL) goRedis(scheme string, user *url.Userinfo, path string) string {
	v := url.URL{Scheme: scheme, User: user, Host: u.addrs[0], RawQuery: u.query.Encode()}
	if path != "" {
		v.Path = "/" + path
	}
	return v.String()
}

// withRoots applies the caller's TLS settings to a URL's (nil when the URL
// is not TLS), keeping the server name the URL gave.
func withRoots(fromURL *tls.Config, cc clientConfig) *tls.Config {
	if fromURL == nil || cc.tls == nil {
		return fromURL
	}
	c := cc.tls.Clone()
	if c.ServerName == "" {
		c.ServerName = fromURL.ServerName
	}
	c.InsecureSkipVerify = c.InsecureSkipVerify || fromURL.InsecureSkipVerify
	if c.MinVersion == 0 {
		c.MinVersion = tls.VersionTLS12
	}
	return c
}

// Open returns a client of rawURL's Redis after checking that it answers
// (see Ping). Close the client when done.
func Open(ctx context.Context, rawURL string, opts ...ClientOption) (redis.UniversalClient, error) {
	c, err := NewClient(rawURL, opts...)
	if err != nil {
		return nil, err
	}
	if err := Ping(ctx, c); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Ping checks that c can serve the bot, for start-up and readiness probes:
// on a cluster every primary answers; otherwise the server answers and,
// where it says its role, is a primary, so a client left on a demoted
// primary after a failover (or a URL naming a replica) is not ready.
func Ping(ctx context.Context, c redis.UniversalClient) error {
	if cl, ok := c.(*redis.ClusterClient); ok {
		err := cl.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
			err := node.Ping(ctx).Err()
			if err == nil {
				err = full(ctx, node)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", node.Options().Addr, err)
			}
			return nil
		})
		if err != nil {
			return errs.E(errs.Unavailable, "redis ping", err)
		}
		return nil
	}
	role, err := c.Do(ctx, "ROLE").Slice()
	switch {
	case err == nil && len(role) > 0 && role[0] != "master":
		return errs.E(errs.Unavailable, "redis ping", fmt.Errorf("the server is a %v, not a primary", role[0]))
	case err == nil:
		if err := full(ctx, c); err != nil {
			return errs.E(errs.Unavailable, "redis ping", err)
		}
		return nil
	}
	var rerr redis.Error
	if errors.As(err, &rerr) {
		// ROLE refused (an older or restricted server): PING will do.
		err = c.Ping(ctx).Err()
	}
	if err != nil {
		return errs.E(errs.Unavailable, "redis ping", err)
	}
	return nil
}

// full reports whether the server refuses writes for want of memory: past
// its maxmemory under noeviction (the policy deploy/README asks for), as
// Redis judges it, leaving out what it does not count for eviction. Every
// turn writes, so such a server cannot serve one, though it answers PING
// and ROLE (a resilience probe: /readyz said ok while every turn got the
// apology). A server that does not let INFO be read is not judged.
func full(ctx context.Context, c interface {
	InfoMap(ctx context.Context, sections ...string) *redis.InfoCmd
}) error {
	info, err := c.InfoMap(ctx, "memory").Result()
	var refused redis.Error
	if errors.As(err, &refused) {
		return nil
	}
	if err != nil {
		return err
	}
	m := info["Memory"]
	limit, _ := strconv.ParseInt(m["maxmemory"], 10, 64)
	used, _ := strconv.ParseInt(m["used_memory"], 10, 64)
	uncounted, _ := strconv.ParseInt(m["mem_not_counted_for_evict"], 10, 64)
	if limit <= 0 || m["maxmemory_policy"] != "noeviction" || used-uncounted <= limit {
		return nil
	}
	return fmt.Errorf("full: %d bytes used of its maxmemory %d, under noeviction: writes are refused", used-uncounted, limit)
}
