package registry_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/registry"
)

func TestSealedKey(t *testing.T) {
	const key = "Tomate#Azul42"
	tests := []struct {
		name  string
		seal  func(f *fixture) string
		typed string
		want  bool
	}{
		{"the same key", func(f *fixture) string { return f.svc.SealNewKey(key) }, key, true},
		{"another key", func(f *fixture) string { return f.svc.SealNewKey(key) }, "Tomate#Azul43", false},
		{"a prefix", func(f *fixture) string { return f.svc.SealNewKey(key) }, key[:8], false},
		{"empty seal", func(*fixture) string { return "" }, key, false},
		{"an argon2id hash", func(f *fixture) string {
			phc, _ := f.svc.HashKey(context.Background(), key)
			return phc
		}, key, false},
		{"a forged sum", func(f *fixture) string {
			s := f.svc.SealNewKey(key)
			return s[:len(s)-4] + "AAAA"
		}, key, false},
		{"another nonce", func(f *fixture) string {
			a, b := strings.Split(f.svc.SealNewKey(key), "."), strings.Split(f.svc.SealNewKey(key), ".")
			return a[0] + "." + b[1] + "." + a[2]
		}, key, false},
		{"another service's secret", func(f *fixture) string {
			other := registry.NewService(f.store, registry.NewHasher(cheap, 1), registry.DefaultPolicy(), 99, registry.WithSecret("x"))
			return other.SealNewKey(key)
		}, key, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			seal := tt.seal(f)
			before := f.svc.HashEvaluations()
			ok, err := f.svc.StoreSealedKey(ctx, f.c.CUIL, seal, tt.typed, time.Time{}, registry.ActionKeyCreated, "test")
			if err != nil || ok != tt.want {
				t.Fatalf("StoreSealedKey = %v, %v; want %v", ok, err, tt.want)
			}
			has, _ := f.svc.HasKey(ctx, f.c.CUIL)
			if has != tt.want {
				t.Fatalf("a key stored: %v, want %v", has, tt.want)
			}
			var evals uint64
			if tt.want {
				evals = 1
				res, err := f.svc.Verify(ctx, f.c.CUIL, key, "test")
				if err != nil || res.Status != registry.VerifyOK {
					t.Fatalf("verify = %v, %v", res.Status, err)
				}
				if n := len(f.store.audit); n == 0 || f.store.audit[n-1].Action != registry.ActionKeyCreated {
					t.Fatal("no audit event for the key created")
				}
			}
			if got := f.svc.HashEvaluations() - before - evals; tt.want && got != 1 {
				t.Errorf("storing ran argon2id %d times besides the verify, want 1", got)
			} else if !tt.want && f.svc.HashEvaluations() != before {
				t.Errorf("a seal that does not match ran argon2id")
			}
		})
	}
}

// A seal tells nothing of the key: two seals of one key differ, and none
// holds the key or a piece of it.
func TestSealHidesTheKey(t *testing.T) {
	f := newFixture(t)
	const key = "Tomate#Azul42"
	a, b := f.svc.SealNewKey(key), f.svc.SealNewKey(key)
	if a == b {
		t.Fatal("two seals of one key are equal: a stolen state tells that two keys are the same")
	}
	for _, s := range []string{a, b} {
		if strings.Contains(s, "Tomate") || strings.Contains(s, "Azul42") {
			t.Fatalf("the seal holds the key: %s", s)
		}
	}
}
