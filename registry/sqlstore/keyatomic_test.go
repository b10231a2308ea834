package sqlstore

import (
	"database/sql"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/registry"
)

// TestPostgresKeyStoredWholeOrNotAtAll: a key, its audit record and the
// clearing of the lockouts it ends are one transaction. Another
// transaction holding the CUIL's lockout row (a failure counted, an
// attempt reserved, on a slow database) makes the write wait until the
// statement timeout ends it: nothing is stored, so the person told to try
// again does. Before, the key and its audit were committed first and the
// lockouts cleared after: that timed out, and the person was told to try
// again with the key stored ("Ese CUIL ya tiene una clave creada" at the
// retry; found by a resilience probe).
func TestPostgresKeyStoredWholeOrNotAtAll(t *testing.T) {
	url := testenv.PostgresDatabase(t)
	d := openStore(t, url, WithStatementTimeout(300*time.Millisecond))
	importLines(t, d, citizenLine(31456789, nil))
	cuil := cuilOf(31456789)
	ctx := t.Context()
	cheap := registry.HashParams{Memory: 64, Time: 1, Threads: 1}
	svc := registry.NewService(d, registry.NewHasher(cheap, 1), registry.DefaultPolicy(), 1)
	rule := registry.DefaultPolicy().WrongKeys
	// A stranger's wrong key for the CUIL without a key: creation clears it.
	if _, err := d.RecordFailure(ctx, cuil, registry.LockKey, time.Now(), rule); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`SELECT failures FROM lockouts WHERE cuil = $1 AND kind = 'key' FOR UPDATE`, string(cuil)); err != nil {
		t.Fatal(err)
	}
	phc, err := svc.HashKey(ctx, "Mate2025amargo")
	if err != nil {
		t.Fatal(err)
	}
	err = svc.SetKey(ctx, cuil, phc, registry.ActionKeyCreated, "test")
	_, kerr := d.Key(ctx, cuil)
	stored := kerr == nil
	if (err == nil) != stored {
		t.Errorf("SetKey with the lockout row held: err %v, key stored %v; an error must mean nothing stored", err, stored)
	}
	if err == nil {
		t.Fatal("SetKey did not wait for the lockout row it clears")
	}
	tx.Rollback()

	if err := svc.SetKey(ctx, cuil, phc, registry.ActionKeyCreated, "test"); err != nil {
		t.Fatalf("SetKey again: %v", err)
	}
	if l, err := d.Lockout(ctx, cuil, registry.LockKey); err != nil || l != (registry.Lockout{}) {
		t.Errorf("wrong-key lockout after the key was created: %+v, %v; want cleared", l, err)
	}
	var n int
	if err := d.DB().Get(&n, `SELECT count(*) FROM audit WHERE cuil = $1 AND action = 'key.created'`, string(cuil)); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d key.created audit events, want 1", n)
	}
	if _, err := d.Key(ctx, cuil); errs.Is(errs.NotFound, err) {
		t.Error("no key stored")
	}
}

// TestKeySavedOverTheKeyProved: a change stores its key only over the key
// its chat proved (KeySave.Over). Two chats that proved the same key and
// confirmed new ones at once both stored theirs, each told its key was
// changed, the audit holding two changes; the second change, made over a
// key it never proved, is now errs.Conflict and writes nothing.
func TestKeySavedOverTheKeyProved(t *testing.T) {
	for _, tt := range []struct{ name, url string }{
		{"postgres", testenv.PostgresDatabase(t)},
		{"sqlite", "sqlite:" + t.TempDir() + "/r.db"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := openStore(t, tt.url)
			importLines(t, d, citizenLine(31456789, nil))
			cuil := cuilOf(31456789)
			ctx := t.Context()
			first := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
			save := func(hash string, at, over time.Time) error {
				return d.SaveKey(ctx, cuil, registry.KeySave{Hash: hash, Over: over},
					registry.AuditEvent{At: at, CUIL: cuil, Action: registry.ActionKeyChanged, Channel: "test"})
			}
			if err := save("h0", first, time.Time{}); err != nil {
				t.Fatal(err)
			}
			if err := save("h1", first.Add(time.Minute), first); err != nil {
				t.Fatalf("a change over the key proved: %v", err)
			}
			if err := save("h2", first.Add(2*time.Minute), first); !errs.Is(errs.Conflict, err) {
				t.Fatalf("a change over a key changed since: %v, want Conflict", err)
			}
			if k, err := d.Key(ctx, cuil); err != nil || k.Hash != "h1" {
				t.Fatalf("key %+v, %v; want h1 kept", k, err)
			}
		})
	}
}
