package dialog_test

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
	"golang.org/x/crypto/argon2"
)

// A chat that proved the key at «Cambiar mi clave» stored its new key over
// the one the owner recovered meanwhile (an attack probe): someone who had
// learnt María's key reached the new key and waited; María, warned,
// recovered hers in her own chat; the stranger then typed a key of their
// choice twice and it replaced María's, the recovery undone. A change is
// of the key proved: once the CUIL's key is another, the chat is asked for
// the current key again, and nothing is stored.
func TestChangeProvedWithAnOldKeyStoresNothing(t *testing.T) {
	h := newHarness(t)
	withKey(h, "Primera2024a")
	h.step("stranger", "hola", dialog.ExpectMenu)
	h.step("stranger", "3", dialog.ExpectCUIL)
	h.step("stranger", maria, dialog.ExpectCurrentKey)
	h.step("stranger", "Primera2024a", dialog.ExpectNewKey)

	h.now = h.now.Add(time.Minute)
	toFactor(h, "maria")
	h.step("maria", "Segunda2024b", dialog.ExpectConfirmKey)
	h.step("maria", "Segunda2024b", dialog.ExpectMenu, i18n.M("done.recover"))

	h.now = h.now.Add(5 * time.Minute)
	h.step("stranger", "Ladron2024zz", dialog.ExpectConfirmKey)
	h.step("stranger", "Ladron2024zz", dialog.ExpectCurrentKey, i18n.M("change.key_changed"))
	for key, want := range map[string]registry.VerifyStatus{"Segunda2024b": registry.VerifyOK, "Ladron2024zz": registry.VerifyWrong} {
		if res, err := h.reg.Verify(h.ctx, registry.CUIL("20314567898"), key, "test"); err != nil || res.Status != want {
			t.Errorf("Verify(%s) = %v, %v; want %v", key, res.Status, err, want)
		}
	}
}

// A chat's state whose new key is kept as its argon2id hash ("kh"), as
// versions before the seal kept it (registry/keyseal.go), was stored by
// SetKey without the check a sealed key has (KeySave.Over): a change
// replaced whatever key the CUIL had by the write, a recovery made
// meanwhile in another chat undone. Such a state reaches the
// confirmation in two ways: as the older version wrote it (its
// validation unsealed, dropped at the turn's start), or as this version's
// state of a chat that proved the key, with the hash put in by whoever can
// write to Redis, and the recovery made on another replica while the key
// is compared with the hash (after the chat's check of its proof).
// Neither stores a key; a proof the chat still holds is kept, and the new
// key asked again.
func TestKeyHashStateStoresNothingOverANewerKey(t *testing.T) {
	tests := []struct {
		name   string
		state  func(h *harness, kh string) []byte
		during bool // the recovery lands during the comparison, not before
		want   i18n.Message
	}{
		{"as the version before the seal wrote it", func(_ *harness, kh string) []byte {
			return []byte(`{"f":"change","s":"confirm_key","c":"20314567898","v":true,"kh":"` + kh +
				`","st":true,"ls":"2026-11-24T15:00:00Z"}`)
		}, false, i18n.M("proof.again")},
		{"a sealed proof with the hash put in", func(h *harness, kh string) []byte {
			var st map[string]any
			if err := json.Unmarshal(h.store.Raw("stranger"), &st); err != nil {
				h.t.Fatal(err)
			}
			delete(st, "ks")
			st["kh"] = kh
			raw, err := json.Marshal(st)
			if err != nil {
				h.t.Fatal(err)
			}
			return raw
		}, true, i18n.M("key.choose_again")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			replica := h.service(h.db) // another replica's registry
			var armed atomic.Bool
			var recovered error
			recoverElsewhere := func() {
				phc, err := replica.HashKey(h.ctx, "Segunda2024b")
				if err == nil {
					err = replica.SetKey(h.ctx, "20314567898", phc, registry.ActionKeyRecovered, "test")
				}
				recovered = err
			}
			kdf := func(ctx context.Context, key, salt []byte, time, memory uint32, threads uint8, keyLen uint32) ([]byte, error) {
				if armed.CompareAndSwap(true, false) {
					recoverElsewhere()
				}
				return argon2.IDKey(key, salt, time, memory, threads, keyLen), nil
			}
			cheap := registry.HashParams{Memory: 64, Time: 1, Threads: 1}
			h.reg = registry.NewService(h.db, registry.NewHasher(cheap, 2, registry.WithKDF(kdf)), registry.DefaultPolicy(), 42, registry.WithClock(h.clock))
			h.restart()
			withKey(h, "Primera2024a")
			h.step("stranger", "hola", dialog.ExpectMenu)
			h.step("stranger", "3", dialog.ExpectCUIL)
			h.step("stranger", maria, dialog.ExpectCurrentKey)
			h.step("stranger", "Primera2024a", dialog.ExpectNewKey)
			h.step("stranger", "Ladron2024zz", dialog.ExpectConfirmKey)
			kh, err := h.reg.HashKey(h.ctx, "Ladron2024zz")
			if err != nil {
				t.Fatal(err)
			}
			h.seed("stranger", tt.state(h, kh))

			h.now = h.now.Add(time.Minute)
			if tt.during {
				armed.Store(true)
			} else {
				recoverElsewhere()
			}
			rs := h.send("stranger", "Ladron2024zz")
			if recovered != nil {
				t.Fatal(recovered)
			}
			if !has(rs, tt.want) {
				t.Errorf("not said %s:\n%s", tt.want.Key, h.dump(rs))
			}
			if has(rs, i18n.M("done.change")) {
				t.Errorf("told the key was changed:\n%s", h.dump(rs))
			}
			if res, err := h.reg.Verify(h.ctx, registry.CUIL("20314567898"), "Ladron2024zz", "test"); err != nil || res.Status != registry.VerifyWrong {
				t.Fatalf("the stranger's key: %v, %v; stored over María's recovered one\n%s", res.Status, err, h.dump(rs))
			}
		})
	}
}
