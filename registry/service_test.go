package registry_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// clock is a settable clock for the Service.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                   { return &clock{t: testNow} }

type fixture struct {
	store *memStore
	clock *clock
	svc   *registry.Service
	logs  *bytes.Buffer
	c     *registry.Citizen
}

const goodKey = "Tomate#Azul42"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{store: newMemStore(maria()), clock: newClock(), logs: &bytes.Buffer{}, c: maria()}
	log := slog.New(slog.NewJSONHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f.svc = registry.NewService(f.store, registry.NewHasher(cheap, 2), registry.DefaultPolicy(), 99, registry.WithClock(f.clock.now), registry.WithLogger(log))
	t.Cleanup(func() {
		for _, secret := range []string{goodKey, "Otra#Clave77", string(f.c.CUIL)} {
			if strings.Contains(f.logs.String(), secret) {
				t.Errorf("logs hold %q:\n%s", secret, f.logs)
			}
		}
	})
	return f
}

// setKey stores key as the citizen's, as the create flow does.
func (f *fixture) setKey(t *testing.T, key string) {
	t.Helper()
	ctx := context.Background()
	phc, err := f.svc.HashKey(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetKey(ctx, f.c.CUIL, phc, registry.ActionKeyCreated, "console"); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) verify(t *testing.T, key string) registry.VerifyResult {
	t.Helper()
	r, err := f.svc.Verify(context.Background(), f.c.CUIL, key, "rest")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestVerifyUnknown(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name string
		cuil registry.CUIL
	}{
		{"no such cuil", "20404040406"},
		{"no key yet", f.c.CUIL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := f.svc.Verify(context.Background(), tt.cuil, goodKey, "rest")
			if err != nil || r.Status != registry.VerifyUnknown {
				t.Fatalf("Verify = %+v, %v; want unknown", r, err)
			}
		})
	}
}

func TestVerifyLockout(t *testing.T) {
	f := newFixture(t)
	f.setKey(t, goodKey)
	for i := 1; i <= 4; i++ {
		if r := f.verify(t, "Otra#Clave77"); r.Status != registry.VerifyWrong {
			t.Fatalf("wrong key %d: %+v, want wrong", i, r)
		}
		f.clock.advance(time.Minute)
	}
	lockedAt := f.clock.now()
	r := f.verify(t, "Otra#Clave77")
	if r.Status != registry.VerifyLocked || !r.Until.Equal(lockedAt.Add(30*time.Minute)) {
		t.Fatalf("fifth wrong key: %+v, want locked until %v", r, lockedAt.Add(30*time.Minute))
	}
	f.clock.advance(29 * time.Minute)
	if r := f.verify(t, goodKey); r.Status != registry.VerifyLocked {
		t.Fatalf("right key while locked: %+v, want locked", r)
	}
	f.clock.advance(time.Minute)
	if r := f.verify(t, goodKey); r.Status != registry.VerifyOK {
		t.Fatalf("right key after the lock: %+v, want ok", r)
	}
	if l, _ := f.svc.Lockout(context.Background(), f.c.CUIL, registry.LockKey); l != (registry.Lockout{}) {
		t.Errorf("lock after a right key: %+v, want cleared", l)
	}
	if !slices.Contains(f.store.actions(), registry.ActionKeyLocked) {
		t.Errorf("audit %v lacks %s", f.store.actions(), registry.ActionKeyLocked)
	}
	if !strings.Contains(f.logs.String(), f.c.CUIL.Masked()) {
		t.Errorf("the lock was not logged with the masked CUIL:\n%s", f.logs)
	}
}

func TestVerifyRightKeyResetsCount(t *testing.T) {
	f := newFixture(t)
	f.setKey(t, goodKey)
	for round := range 3 {
		for range 4 {
			if r := f.verify(t, "Otra#Clave77"); r.Status != registry.VerifyWrong {
				t.Fatalf("round %d: %+v, want wrong", round, r)
			}
		}
		if r := f.verify(t, goodKey); r.Status != registry.VerifyOK {
			t.Fatalf("round %d: right key %+v, want ok", round, r)
		}
	}
}

func TestVerifyRehashesStaleHash(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	weak := registry.HashParams{Memory: 32, Time: 1, Threads: 1}
	old, err := registry.NewHasher(weak, 1).Hash(ctx, goodKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetKey(ctx, f.c.CUIL, old, registry.ActionKeyCreated, "cli"); err != nil {
		t.Fatal(err)
	}
	if r := f.verify(t, "Otra#Clave77"); r.Status != registry.VerifyWrong {
		t.Fatalf("wrong key: %+v", r)
	}
	if rec, _ := f.store.Key(ctx, f.c.CUIL); rec.Hash != old {
		t.Fatal("a wrong key rehashed the stored hash")
	}
	if r := f.verify(t, goodKey); r.Status != registry.VerifyOK {
		t.Fatalf("right key: %+v", r)
	}
	rec, _ := f.store.Key(ctx, f.c.CUIL)
	if !strings.HasPrefix(rec.Hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash after verify %q, want upgraded to m=64", rec.Hash)
	}
	if r := f.verify(t, goodKey); r.Status != registry.VerifyOK {
		t.Fatalf("right key after rehash: %+v", r)
	}
	want := []registry.Action{registry.ActionKeyCreated, registry.ActionKeyRehashed}
	if got := f.store.actions(); !reflect.DeepEqual(got, want) {
		t.Errorf("audit %v, want %v (one rehash only)", got, want)
	}
}

func TestSetKeyRecoveryClearsLocks(t *testing.T) {
	tests := []struct {
		action  registry.Action
		cleared bool
	}{
		{registry.ActionKeyRecovered, true},
		{registry.ActionKeyChanged, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.action), func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			f.setKey(t, goodKey)
			for range 5 {
				f.verify(t, "Otra#Clave77")
			}
			f.svc.FailValidation(ctx, f.c.CUIL)
			phc, _ := f.svc.HashKey(ctx, "Nueva#Clave88")
			if err := f.svc.SetKey(ctx, f.c.CUIL, phc, tt.action, "telegram"); err != nil {
				t.Fatal(err)
			}
			keyLock, _ := f.svc.Lockout(ctx, f.c.CUIL, registry.LockKey)
			valLock, _ := f.svc.Lockout(ctx, f.c.CUIL, registry.LockValidation)
			if cleared := !keyLock.LockedAt(f.clock.now()) && valLock.Failures == 0; cleared != tt.cleared {
				t.Fatalf("locks cleared = %v (key %+v, validation %+v), want %v", cleared, keyLock, valLock, tt.cleared)
			}
			want := registry.VerifyLocked
			if tt.cleared {
				want = registry.VerifyOK
			}
			if r := f.verify(t, "Nueva#Clave88"); r.Status != want {
				t.Errorf("verify new key: %+v, want %s", r, want)
			}
			last := f.store.audit[len(f.store.audit)-1]
			if tt.cleared && (last.Action != tt.action || last.Channel != "telegram" || last.CUIL != f.c.CUIL || !last.At.Equal(f.clock.now())) {
				t.Errorf("audit event %+v", last)
			}
		})
	}
}

func TestValidationLockout(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := 1; i <= 2; i++ {
		l, err := f.svc.FailValidation(ctx, f.c.CUIL)
		if err != nil || l.LockedAt(f.clock.now()) || l.Failures != i {
			t.Fatalf("failure %d: %+v, %v; want %d failures, unlocked", i, l, err, i)
		}
		f.clock.advance(10 * time.Minute)
	}
	l, err := f.svc.FailValidation(ctx, f.c.CUIL)
	if err != nil || !l.Until.Equal(f.clock.now().Add(4*time.Hour)) {
		t.Fatalf("third failure: %+v, %v; want locked for 4h", l, err)
	}
	f.clock.advance(4*time.Hour - time.Second)
	if l, _ := f.svc.Lockout(ctx, f.c.CUIL, registry.LockValidation); !l.LockedAt(f.clock.now()) {
		t.Fatalf("lock ended early: %+v", l)
	}
	f.clock.advance(time.Second)
	if l, _ := f.svc.Lockout(ctx, f.c.CUIL, registry.LockValidation); l.LockedAt(f.clock.now()) {
		t.Fatalf("lock still in force after 4h: %+v", l)
	}
	if !slices.Contains(f.store.actions(), registry.ActionValidationLocked) {
		t.Errorf("audit %v lacks %s", f.store.actions(), registry.ActionValidationLocked)
	}
}

func TestCheckNewKey(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.svc.CheckNewKey(ctx, f.c, goodKey); err != nil {
		t.Fatalf("no key yet: %v", err)
	}
	f.setKey(t, goodKey)
	tests := []struct {
		name string
		key  string
		want registry.KeyRule
	}{
		{"current key", goodKey, registry.RuleCurrent},
		{"weak key", "Maria#2024", registry.RuleName},
		{"new key", "Nueva#Clave88", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ruleOf(t, f.svc.CheckNewKey(ctx, f.c, tt.key)); got != tt.want {
				t.Errorf("rule %q, want %q", got, tt.want)
			}
		})
	}
}

func TestServiceKeepsErrorKinds(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	down := errs.E(errs.Unavailable, "mem", errors.New("connection refused"))
	if _, err := f.svc.Citizen(ctx, "20404040406"); !errs.Is(errs.NotFound, err) {
		t.Errorf("Citizen of an unknown CUIL: %v, want NotFound", err)
	}
	f.store.fail = down
	calls := map[string]error{}
	_, calls["Citizen"] = f.svc.Citizen(ctx, f.c.CUIL)
	_, calls["HasKey"] = f.svc.HasKey(ctx, f.c.CUIL)
	_, calls["Lockout"] = f.svc.Lockout(ctx, f.c.CUIL, registry.LockKey)
	_, calls["FailValidation"] = f.svc.FailValidation(ctx, f.c.CUIL)
	_, calls["BeginValidation"] = f.svc.BeginValidation(ctx, f.c.CUIL)
	_, calls["EndValidation"] = f.svc.EndValidation(ctx, f.c.CUIL, "id", true)
	_, calls["VerifyFrom"] = f.svc.VerifyFrom(ctx, f.c.CUIL, goodKey, "rest", "203.0.113.9")
	_, calls["Questions"] = f.svc.Questions(ctx, f.c)
	calls["CheckNewKey"] = f.svc.CheckNewKey(ctx, f.c, goodKey)
	calls["SetKey"] = f.svc.SetKey(ctx, f.c.CUIL, "x", registry.ActionKeyCreated, "cli")
	_, calls["Verify"] = f.svc.Verify(ctx, f.c.CUIL, goodKey, "cli")
	for name, err := range calls {
		if !errs.Is(errs.Unavailable, err) || !errors.Is(err, down) {
			t.Errorf("%s: %v, want Unavailable wrapping the store's error", name, err)
		}
	}
}

func TestHasKey(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if has, err := f.svc.HasKey(ctx, f.c.CUIL); has || err != nil {
		t.Fatalf("before: %v, %v", has, err)
	}
	f.setKey(t, goodKey)
	if has, err := f.svc.HasKey(ctx, f.c.CUIL); !has || err != nil {
		t.Fatalf("after: %v, %v", has, err)
	}
	phc := f.store.keys[f.c.CUIL].Hash
	if ok, err := f.svc.CompareHash(ctx, phc, goodKey); !ok || err != nil {
		t.Errorf("CompareHash right key: %v, %v", ok, err)
	}
	if ok, err := f.svc.CompareHash(ctx, phc, "Otra#Clave77"); ok || err != nil {
		t.Errorf("CompareHash wrong key: %v, %v", ok, err)
	}
}

func TestHashKeySaturated(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.svc.HashKey(ctx, goodKey); !errs.Is(errs.Unavailable, err) {
		t.Errorf("HashKey with a done context: %v, want Unavailable", err)
	}
}

// keyChangingStore changes the key right after Verify reads it, as a
// concurrent change of key would.
type keyChangingStore struct {
	*memStore
	reads   int
	newHash string
}

func (s *keyChangingStore) Key(ctx context.Context, cuil registry.CUIL) (registry.KeyRecord, error) {
	rec, err := s.memStore.Key(ctx, cuil)
	if s.reads++; s.reads == 1 {
		s.memStore.keys[cuil] = registry.KeyRecord{Hash: s.newHash}
	}
	return rec, err
}

func TestVerifyRehashDoesNotUndoAChange(t *testing.T) {
	ctx := context.Background()
	mem := newMemStore(maria())
	old, _ := registry.NewHasher(registry.HashParams{Memory: 32, Time: 1, Threads: 1}, 1).Hash(ctx, goodKey)
	mem.keys[maria().CUIL] = registry.KeyRecord{Hash: old}
	store := &keyChangingStore{memStore: mem, newHash: "$argon2id$changed"}
	svc := registry.NewService(store, registry.NewHasher(cheap, 1), registry.DefaultPolicy(), 1, registry.WithClock(newClock().now))
	r, err := svc.Verify(ctx, maria().CUIL, goodKey, "rest")
	if err != nil || r.Status != registry.VerifyOK {
		t.Fatalf("Verify = %+v, %v", r, err)
	}
	if got := mem.keys[maria().CUIL].Hash; got != store.newHash {
		t.Errorf("rehash overwrote a key changed meanwhile: %q", got)
	}
}

// TestVerifyBlind: for the chat's current key, a CUIL without a key, or in
// no record, is a wrong key: counted, compared (so it costs a hash) and
// locked after as many as a CUIL with one; creating the key forgets those
// failures, so a stranger's guesses do not lock the new key.
func TestVerifyBlind(t *testing.T) {
	for _, tt := range []struct {
		name string
		cuil func(f *fixture) registry.CUIL
	}{
		{"no such cuil", func(*fixture) registry.CUIL { return "20404040406" }},
		{"no key yet", func(f *fixture) registry.CUIL { return f.c.CUIL }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			cuil := tt.cuil(f)
			max := registry.DefaultPolicy().WrongKeys.Max
			for i := 1; i <= max; i++ {
				r, err := f.svc.VerifyBlind(ctx, cuil, goodKey, "test")
				want := registry.VerifyWrong
				if i == max {
					want = registry.VerifyLocked
				}
				if err != nil || r.Status != want {
					t.Fatalf("key %d: %+v, %v; want %s", i, r, err, want)
				}
			}
			if r, _ := f.svc.VerifyBlind(ctx, cuil, goodKey, "test"); r.Status != registry.VerifyLocked {
				t.Fatalf("while locked: %+v", r)
			}
			if cuil != f.c.CUIL {
				return
			}
			f.setKey(t, goodKey) // created: the stranger's wrong keys are forgotten
			if r := f.verify(t, goodKey); r.Status != registry.VerifyOK {
				t.Fatalf("the key created after a stranger's wrong keys: %+v, want ok", r)
			}
		})
	}
}
