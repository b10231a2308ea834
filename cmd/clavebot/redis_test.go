package main

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"
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
	tests := [][]string{
		{"--chat-lock-ttl", "100ms"},
		{"--redis-url", "http://127.0.0.1:6379"},
		{"--redis-url", "redis+sentinel://s1:26379"},
		{"--redis-url", "redis+cluster://a:7001/2"},
	}
	for _, args := range tests {
		fs, cfg := newFlags("test", io.Discard)
		var ee *exitError
		if err := parseConfig(fs, cfg, args); !errors.As(err, &ee) || ee.code != 2 || ee.msg == "" {
			t.Errorf("%v: err %v, want exit 2 with a message", args, err)
		}
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
