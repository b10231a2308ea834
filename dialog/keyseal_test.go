package dialog_test

import (
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// Hashing is the machine's ceiling on key creations (issue 14): a key is
// hashed with argon2id once, when confirmed; the first entry is kept as a
// seal (registry/keyseal.go), never as the key or an argon2id hash of it.
func TestCreatingAKeyHashesOnce(t *testing.T) {
	tests := []struct {
		name    string
		entries []string // the entries after the questions, the last stores the key
		want    uint64   // argon2id evaluations
	}{
		{"typed twice", []string{"Tranqui2025k", "Tranqui2025k"}, 1},
		{"a mismatch, then twice", []string{"Tranqui2025k", "Tranqui2025j", "Tranqui2025k", "Tranqui2025k"}, 1},
		{"a weak key first", []string{"corta1", "Tranqui2025k", "Tranqui2025k"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			const chat = "once"
			h.toKeyStep(chat)
			before := h.reg.HashEvaluations()
			for i, e := range tt.entries {
				rs := h.send(chat, e)
				if i < len(tt.entries)-1 {
					if raw := string(h.store.Raw(chat)); strings.Contains(raw, e) || strings.Contains(raw, "$argon2id$") {
						t.Fatalf("the state keeps the key or an argon2id hash of it: %s", raw)
					}
					continue
				}
				if !has(rs, i18n.M("done.create")) {
					t.Fatalf("the key is not stored:\n%s", h.dump(rs))
				}
			}
			if got := h.reg.HashEvaluations() - before; got != tt.want {
				t.Errorf("creating the key ran argon2id %d times, want %d", got, tt.want)
			}
			if res, err := h.reg.Verify(h.ctx, registry.CUIL("20314567898"), "Tranqui2025k", "test"); err != nil || res.Status != registry.VerifyOK {
				t.Fatalf("verify = %v, %v", res.Status, err)
			}
		})
	}
}

// A seal made by one replica is confirmed by another given the same
// secret; a replica given another secret (a misconfigured deploy) stores
// nothing it cannot check: it cannot check the chat's validation either
// (dialog/proof.go), so the person is told to start again.
func TestSealedKeyAcrossReplicas(t *testing.T) {
	tests := []struct {
		secret string
		want   dialog.Expect
		say    i18n.Key
	}{
		{"the same secret", dialog.ExpectMenu, "done.create"},
		{"another secret", dialog.ExpectMenu, "proof.again"},
	}
	for _, tt := range tests {
		t.Run(tt.secret, func(t *testing.T) {
			h := newHarness(t)
			cheap := registry.HashParams{Memory: 64, Time: 1, Threads: 1}
			h.reg = registry.NewService(h.db, registry.NewHasher(cheap, 2), registry.DefaultPolicy(), 42, registry.WithClock(h.clock), registry.WithSecret("the same secret"))
			h.restart()
			const chat = "replicas"
			h.toKeyStep(chat)
			h.step(chat, "Tranqui2025k", dialog.ExpectConfirmKey)
			h.reg = registry.NewService(h.db, registry.NewHasher(cheap, 2), registry.DefaultPolicy(), 42, registry.WithClock(h.clock), registry.WithSecret(tt.secret))
			h.restart()
			h.step(chat, "Tranqui2025k", tt.want, i18n.M(tt.say))
		})
	}
}
