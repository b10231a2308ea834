package main

import (
	"errors"
	"io"
	"testing"
	"time"

	"github.com/clavebot/clavebot/registry"
)

func TestPoliciesAreConfigurable(t *testing.T) {
	t.Setenv("CLAVEBOT_KEY_LOCK", "1h")
	fs, cfg := newFlags("test", io.Discard)
	if err := parseConfig(fs, cfg, []string{"--key-min-len", "10", "--validation-max-failures", "5", "--idle-timeout", "30m"}); err != nil {
		t.Fatal(err)
	}
	want := registry.DefaultPolicy()
	want.KeyMinLen, want.Validation.Max, want.IdleTimeout, want.WrongKeys.For = 10, 5, 30*time.Minute, time.Hour
	if cfg.policy() != want {
		t.Fatalf("policy %+v, want %+v", cfg.policy(), want)
	}
	if (&config{}).policy() != registry.DefaultPolicy() {
		t.Fatal("a config without flags does not get the contract's defaults")
	}
	tests := [][]string{
		{"--key-min-len", "3"},
		{"--key-min-len", "12", "--key-max-len", "10"},
		{"--questions", "0"},
		{"--key-max-wrong", "0"},
		{"--idle-timeout", "5s"},
	}
	for _, args := range tests {
		fs, cfg := newFlags("test", io.Discard)
		var ee *exitError
		if err := parseConfig(fs, cfg, args); !errors.As(err, &ee) || ee.code != 2 || ee.msg == "" {
			t.Errorf("%v: err %v, want exit 2 with a message", args, err)
		}
	}
}
