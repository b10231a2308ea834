package sqlstore

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

func testNotFound(t *testing.T, url string) {
	d := openStore(t, url)
	cuil := cuilOf(31456789)
	if _, err := d.Citizen(t.Context(), cuil); !errs.Is(errs.NotFound, err) {
		t.Errorf("Citizen of an empty registry: %v, want NotFound", err)
	}
	if _, err := d.Key(t.Context(), cuil); !errs.Is(errs.NotFound, err) {
		t.Errorf("Key of an empty registry: %v, want NotFound", err)
	}
	importLines(t, d, citizenLine(31456789, nil))
	if _, err := d.Key(t.Context(), cuil); !errs.Is(errs.NotFound, err) {
		t.Errorf("Key of a citizen without key: %v, want NotFound", err)
	}
	ev := registry.AuditEvent{At: t0, CUIL: cuilOf(30111222), Action: registry.ActionKeyCreated}
	if err := d.SaveKey(t.Context(), cuilOf(30111222), registry.KeySave{Hash: "$argon2id$x"}, ev); !errs.Is(errs.NotFound, err) {
		t.Errorf("SaveKey of a CUIL not in the registry: %v, want NotFound", err)
	}
	l, err := d.Lockout(t.Context(), cuil, registry.LockKey)
	if err != nil || l != (registry.Lockout{}) {
		t.Errorf("Lockout of a CUIL never seen = %+v, %v; want zero, nil", l, err)
	}
}

func testSaveKey(t *testing.T, url string) {
	d := openStore(t, url)
	cuil := cuilOf(31456789)
	importLines(t, d, citizenLine(31456789, nil))
	events := []registry.AuditEvent{
		{At: t0, CUIL: cuil, Action: registry.ActionKeyCreated, Channel: "telegram"},
		{At: t0.Add(time.Hour), CUIL: cuil, Action: registry.ActionKeyChanged, Channel: "whatsapp", Detail: "desde el menú"},
	}
	for i, hash := range []string{"$argon2id$v=19$m=19456,t=2,p=1$one$ONE", "$argon2id$v=19$m=19456,t=2,p=1$two$TWO"} {
		mustNotFail(t, d.SaveKey(t.Context(), cuil, registry.KeySave{Hash: hash}, events[i]))
		got, err := d.Key(t.Context(), cuil)
		mustNotFail(t, err)
		wantAt := events[i].At.Truncate(time.Microsecond)
		if got.Hash != hash || !got.SetAt.Equal(wantAt) {
			t.Errorf("Key = %q at %v, want %q at %v", got.Hash, got.SetAt, hash, wantAt)
		}
	}
	checkAudit(t, auditOf(t, d, cuil), events)
}

// testSaveKeyClears: a key saved clears, with it, the lockouts of the
// kinds it is given (their counts, locks and reserved attempts), and only
// those.
func testSaveKeyClears(t *testing.T, url string) {
	d := openStore(t, url)
	ctx := t.Context()
	cuil := cuilOf(31456789)
	importLines(t, d, citizenLine(31456789, nil))
	for range validationRule.Max {
		_, err := d.RecordFailure(ctx, cuil, registry.LockKey, t0, validationRule)
		mustNotFail(t, err)
	}
	a, err := d.ReserveAttempt(ctx, cuil, registry.LockValidation, "q", t0, validationRule, attemptTTL)
	mustNotFail(t, err)
	_, err = d.RecordFailure(ctx, cuil, registry.LockContactCode, t0, validationRule)
	mustNotFail(t, err)
	ev := registry.AuditEvent{At: t0, CUIL: cuil, Action: registry.ActionKeyRecovered, Channel: "test"}
	k := registry.KeySave{Hash: "$argon2id$v=19$m=19456,t=2,p=1$one$ONE", Origin: "s1.nonce",
		Clear: []registry.LockKind{registry.LockKey, registry.LockValidation}}
	mustNotFail(t, d.SaveKey(ctx, cuil, k, ev))
	for _, kind := range k.Clear {
		if l, err := d.Lockout(ctx, cuil, kind); err != nil || l != (registry.Lockout{}) {
			t.Errorf("%s lockout after the key: %+v, %v; want cleared", kind, l, err)
		}
	}
	if s, err := d.SettleAttempt(ctx, cuil, registry.LockValidation, a.ID, registry.OutcomeFailed, t0, validationRule); err != nil || s.Status != registry.AttemptStale {
		t.Errorf("attempt reserved before the key: %+v, %v; want stale", s, err)
	}
	if l, err := d.Lockout(ctx, cuil, registry.LockContactCode); err != nil || l.Failures != 1 {
		t.Errorf("contact code lockout: %+v, %v; want its failure kept", l, err)
	}
	rec, err := d.Key(ctx, cuil)
	mustNotFail(t, err)
	if rec.Origin != k.Origin {
		t.Errorf("key's origin %q, want %q", rec.Origin, k.Origin)
	}
	got := auditOf(t, d, cuil)
	checkAudit(t, got[len(got)-1:], []registry.AuditEvent{ev})
}

func testAppendAudit(t *testing.T, url string) {
	d := openStore(t, url)
	cuil := cuilOf(40111222) // audit events need no citizen
	ev := registry.AuditEvent{At: t0, CUIL: cuil, Action: registry.ActionKeyRehashed, Channel: "rest", Detail: "m=19456"}
	mustNotFail(t, d.AppendAudit(t.Context(), ev))
	checkAudit(t, auditOf(t, d, cuil), []registry.AuditEvent{ev})
}

func checkAudit(t *testing.T, got, want []registry.AuditEvent) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("audit has %d events, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		w := want[i]
		w.At = w.At.UTC().Truncate(time.Microsecond)
		if got[i] != w {
			t.Errorf("audit event %d\n got %+v\nwant %+v", i, got[i], w)
		}
	}
}

// testConcurrentCreations: two chats that proved the same person creating
// a key at the same moment (the victim's and a stranger's who passed the
// questions, or one person on two devices) both checked that the CUIL had
// no key, then both stored theirs: the second replaced the first without
// a word, its owner told "creada" with a key that no longer worked, and
// two key.created events (an attack probe). A creation stores a key only
// where there is none; the others are refused (errs.Conflict), storing,
// clearing and auditing nothing.
func testConcurrentCreations(t *testing.T, url string) {
	d := openStore(t, url)
	ctx := t.Context()
	cuil := cuilOf(31456789)
	importLines(t, d, citizenLine(31456789, nil))
	svc := registry.NewService(d, registry.NewHasher(registry.HashParams{Memory: 64, Time: 1, Threads: 1}, 1), registry.DefaultPolicy(), 1)
	const n = 8
	errList := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errList[i] = svc.SetKey(ctx, cuil, fmt.Sprintf("$argon2id$v=19$m=19456,t=2,p=1$k%d$K%d", i, i), registry.ActionKeyCreated, "test")
		})
	}
	wg.Wait()
	won := -1
	for i, err := range errList {
		switch {
		case err == nil && won >= 0:
			t.Errorf("creations %d and %d both stored their key", won, i)
		case err == nil:
			won = i
		case !errs.Is(errs.Conflict, err):
			t.Errorf("creation %d: %v, want Conflict", i, err)
		}
	}
	if won < 0 {
		t.Fatal("no creation stored its key")
	}
	got, err := d.Key(ctx, cuil)
	mustNotFail(t, err)
	if want := fmt.Sprintf("$argon2id$v=19$m=19456,t=2,p=1$k%d$K%d", won, won); got.Hash != want {
		t.Errorf("key stored %q, want the one whose creation succeeded, %q", got.Hash, want)
	}
	var created int
	for _, ev := range auditOf(t, d, cuil) {
		if ev.Action == registry.ActionKeyCreated {
			created++
		}
	}
	if created != 1 {
		t.Errorf("%d key.created events, want 1", created)
	}
	// A creation after the key exists clears nothing either: a stranger's
	// lock on the key stays.
	for range registry.DefaultPolicy().WrongKeys.Max {
		_, err := d.RecordFailure(ctx, cuil, registry.LockKey, time.Now(), registry.DefaultPolicy().WrongKeys)
		mustNotFail(t, err)
	}
	if err := svc.SetKey(ctx, cuil, "$argon2id$v=19$m=19456,t=2,p=1$late$LATE", registry.ActionKeyCreated, "test"); !errs.Is(errs.Conflict, err) {
		t.Errorf("a creation over a stored key: %v, want Conflict", err)
	}
	if l, err := d.Lockout(ctx, cuil, registry.LockKey); err != nil || !l.LockedAt(time.Now()) {
		t.Errorf("the key's lock after a refused creation: %+v, %v; want it kept", l, err)
	}
}
