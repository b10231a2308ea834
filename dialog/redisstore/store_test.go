package redisstore

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/clavebot/clavebot/dialog/statestore"
	"github.com/clavebot/clavebot/internal/errs"
)

// downClient returns a client whose every dial fails, as when Redis is down.
func downClient(t *testing.T) *redis.Client {
	c := redis.NewClient(&redis.Options{
		Addr:          "down",
		MaxRetries:    -1,
		DialerRetries: 1,
		Dialer: func(context.Context, string, string) (net.Conn, error) {
			return nil, errors.New("connection refused")
		},
		MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
	})
	t.Cleanup(func() { c.Close() })
	return c
}

func TestUnavailable(t *testing.T) {
	s := New(downClient(t))
	ctx := context.Background()
	lease := statestore.Lease{Chat: "telegram:1", MsgID: "m1", Token: "t"}
	tests := []struct {
		name string
		call func() error
	}{
		{"ping", func() error { return s.Ping(ctx) }},
		{"acquire", func() error { _, _, err := s.Acquire(ctx, "telegram:1", "m1"); return err }},
		{"commit", func() error { return s.Commit(ctx, lease, []byte("x"), nil, time.Hour) }},
		{"release", func() error { return s.Release(ctx, lease) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errs.Is(errs.Unavailable, err) {
				t.Errorf("err = %v, want Unavailable", err)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	e := startEmbedded(t)
	tests := []struct {
		name    string
		source  []byte
		want    string
		wantErr bool
	}{
		{"from the source", bytes.Repeat([]byte{0xab}, 16), strings.Repeat("ab", 16), false},
		{"short source", []byte{1, 2, 3}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(e.Client(), WithPrefix(uniquePrefix(t)), WithTokenSource(bytes.NewReader(tt.source)))
			l, _, err := s.Acquire(context.Background(), "telegram:1", "")
			if (err != nil) != tt.wantErr || l.Token != tt.want {
				t.Errorf("Acquire = token %q, err %v; want %q, error %v", l.Token, err, tt.want, tt.wantErr)
			}
		})
	}
}

// hashTag is the part of key Redis Cluster hashes (its documented rule).
func hashTag(key string) string {
	i := strings.IndexByte(key, '{')
	if i < 0 {
		return key
	}
	j := strings.IndexByte(key[i+1:], '}')
	if j <= 0 {
		return key
	}
	return key[i+1 : i+1+j]
}

func TestKeysShareSlot(t *testing.T) {
	tests := []struct{ name, prefix, chat, msgID string }{
		{"plain", "clavebot:", "telegram:42", "m1"},
		{"empty id", "clavebot:", "whatsapp:5491100000000@s.whatsapp.net", ""},
		{"braces in chat", "p:", "a}b{c", "x}"},
		{"braces in prefix", "{tenant}:", "telegram:1", "m1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys := New(nil, WithPrefix(tt.prefix)).keys(tt.chat, tt.msgID).list()
			for _, k := range keys[1:] {
				if hashTag(k) != hashTag(keys[0]) {
					t.Errorf("%q and %q hash differently", k, keys[0])
				}
			}
		})
	}
}

func TestHandledField(t *testing.T) {
	tests := []struct {
		name, id string
		raw      bool
	}{
		{"none", "", true},
		{"telegram update id", "871234567", true},
		{"at the limit", strings.Repeat("x", maxRawID), true},
		{"wamid", wamid, false},
		{"over the limit", strings.Repeat("x", maxRawID+1), false},
		{"a raw id that would read as a digest", "-123", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := handledField(tt.id)
			if raw := f == tt.id; raw != tt.raw {
				t.Errorf("handledField(%q) = %q; raw %v, want %v", tt.id, f, raw, tt.raw)
			}
			if len(f) > maxRawID || (!tt.raw && handledField(tt.id+"x") == f) {
				t.Errorf("handledField(%q) = %q: too long or not distinct", tt.id, f)
			}
			// A digest is a canonical negative int64, which a listpack
			// keeps in 9 bytes.
			if n, err := strconv.ParseInt(f, 10, 64); !tt.raw && (err != nil || n >= 0 || strconv.FormatInt(n, 10) != f) {
				t.Errorf("handledField(%q) = %q, want a negative integer (%v)", tt.id, f, err)
			}
		})
	}
}
