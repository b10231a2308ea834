package main

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/testenv"
)

func TestRedisFlags(t *testing.T) {
	t.Setenv("CLAVEBOT_CHAT_LOCK_TTL", "45s")
	fs, cfg := newFlags("test", io.Discard)
	if err := parseConfig(fs, cfg, []string{"--redis-url", "redis+sentinel://s1:26379,s2:26379/clavebot"}); err != nil {
		t.Fatal(err)
	}
	if cfg.chatLockTTL() != 45*time.Second || (&config{}).chatLockTTL() != defaultChatLockTTL {
		t.Fatalf("lock TTL %v; without flags %v", cfg.chatLockTTL(), (&config{}).chatLockTTL())
	}
	fs, cfg = newFlags("test", io.Discard)
	var ee *exitError
	if err := parseConfig(fs, cfg, []string{"--chat-lock-ttl", "100ms"}); !errors.As(err, &ee) || ee.code != 2 || ee.msg == "" {
		t.Errorf("--chat-lock-ttl 100ms: err %v, want exit 2 with a message", err)
	}
}

// A --redis-url that cannot be used is a URL problem (CONTRACT §1): one
// line naming it, exit status 1, as for the database's URL. It was 2.
func TestMalformedRedisURL(t *testing.T) {
	for _, u := range []string{
		"http://127.0.0.1:6379", "redis://h:abc", "redis+sentinel://s1:26379", "redis+cluster://h:1/11",
		"redis://app:hunter2@h:abc",
	} {
		fs, cfg := newFlags("test", io.Discard)
		var ee *exitError
		err := parseConfig(fs, cfg, []string{"--redis-url", u})
		if !errors.As(err, &ee) || ee.code != 1 || !strings.Contains(ee.msg, "--redis-url") ||
			strings.Contains(ee.msg, "\n") || strings.Contains(ee.msg, "hunter2") {
			t.Errorf("%s: err %v, want exit 1 with one line naming --redis-url", u, err)
		}
	}
}

// What failed, said plainly: a Sentinel set that knows no primary by the
// URL's name ("all sentinels ... unreachable: redis: nil"), and rediss://
// to a server without TLS ("context deadline exceeded" after 5 s).
func TestRedisProblemsSaid(t *testing.T) {
	testenv.Redis(t)
	testenv.RedisSentinel(t)
	sentinels, _, _ := strings.Cut(testenv.RedisSentinelURL(), "?")
	sentinels = sentinels[:strings.LastIndex(sentinels, "/")]
	tests := []struct {
		name, url, want string
	}{
		{"unknown primary", sentinels + "/nosuch", `no primary named "nosuch"`},
		{"TLS to a plain server", "rediss://" + strings.TrimPrefix(testenv.RedisURL(), "redis://"), "does not speak TLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, "", "chat", "--jsonl", "--database-url", testDB(t), "--redis-url", tt.url)
			if code != 1 || !strings.Contains(errs, tt.want) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
				t.Fatalf("status %d, stderr %q; want 1 and one line saying %q", code, errs, tt.want)
			}
		})
	}
}

// TestUnreachableRedisHidesPassword: the one-line error names the Redis
// but not its credentials.
func TestUnreachableRedisHidesPassword(t *testing.T) {
	for _, u := range []string{
		"redis://app:hunter2@127.0.0.1:1/0",
		"redis+sentinel://127.0.0.1:1/m?sentinel_password=hunter2&dialer_retries=1&max_retries=-1",
	} {
		code, _, errs := runCLI(t, "", "chat", "--jsonl", "--database-url", testDB(t), "--redis-url", u)
		if code != 1 || !strings.Contains(errs, "127.0.0.1:1") || strings.Contains(errs, "hunter2") {
			t.Errorf("%s: status %d, stderr %q", u, code, errs)
		}
	}
}
