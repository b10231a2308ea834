package sqlstore

import (
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
	if err := d.SaveKey(t.Context(), cuilOf(30111222), "$argon2id$x", ev); !errs.Is(errs.NotFound, err) {
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
		mustNotFail(t, d.SaveKey(t.Context(), cuil, hash, events[i]))
		got, err := d.Key(t.Context(), cuil)
		mustNotFail(t, err)
		wantAt := events[i].At.Truncate(time.Microsecond)
		if got.Hash != hash || !got.SetAt.Equal(wantAt) {
			t.Errorf("Key = %q at %v, want %q at %v", got.Hash, got.SetAt, hash, wantAt)
		}
	}
	checkAudit(t, auditOf(t, d, cuil), events)
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
