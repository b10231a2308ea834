package sqlstore

import (
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

var validationRule = registry.LockRule{Max: 3, For: 4 * time.Hour}

func sameLockout(a, b registry.Lockout) bool {
	return a.Failures == b.Failures && a.Until.Equal(b.Until)
}

func testRecordFailure(t *testing.T, url string) {
	d := openStore(t, url)
	cuil := cuilOf(31456789)
	until := t0.Add(2 * time.Minute).Add(validationRule.For).Truncate(time.Microsecond)
	// The fourth failure comes while locked: it is not counted, and the
	// lock is not said to be its (JustLocked: logged once).
	steps := []registry.Lockout{{Failures: 1}, {Failures: 2}, {Failures: 0, Until: until, JustLocked: true}, {Failures: 0, Until: until}}
	for i, want := range steps {
		got, err := d.RecordFailure(t.Context(), cuil, registry.LockValidation, t0.Add(time.Duration(i)*time.Minute), validationRule)
		mustNotFail(t, err)
		stored, err := d.Lockout(t.Context(), cuil, registry.LockValidation)
		mustNotFail(t, err)
		if !sameLockout(got, want) || got.JustLocked != want.JustLocked || !sameLockout(stored, want) {
			t.Errorf("failure %d: RecordFailure = %+v, Lockout = %+v; want %+v", i+1, got, stored, want)
		}
	}
	evs := auditOf(t, d, cuil)
	if len(evs) != 1 || evs[0].Action != registry.ActionValidationLocked || !evs[0].At.Equal(t0.Add(2*time.Minute).Truncate(time.Microsecond)) {
		t.Errorf("audit = %+v, want one %s event at the third failure", evs, registry.ActionValidationLocked)
	}
	if l, _ := d.Lockout(t.Context(), cuil, registry.LockKey); l != (registry.Lockout{}) {
		t.Errorf("the key lockout counted validation failures: %+v", l)
	}
	keyRule := registry.LockRule{Max: 1, For: 30 * time.Minute}
	_, err := d.RecordFailure(t.Context(), cuil, registry.LockKey, t0, keyRule)
	mustNotFail(t, err)
	if evs := auditOf(t, d, cuil); len(evs) != 2 || evs[1].Action != registry.ActionKeyLocked {
		t.Errorf("audit = %+v, want a %s event last", evs, registry.ActionKeyLocked)
	}
}

// testConcurrentFailures records failures from many goroutines at once:
// every one is counted until the lock, exactly one lock is written, and
// the failures that come while locked are not counted.
func testConcurrentFailures(t *testing.T, url string) {
	d := openStore(t, url)
	tests := []struct {
		name      string
		cuil      registry.CUIL
		rule      registry.LockRule
		failures  int
		wantLocks int
	}{
		{"count", cuilOf(31456789), registry.LockRule{Max: 100, For: time.Hour}, 10, 0},
		{"lock", cuilOf(30111222), registry.LockRule{Max: 5, For: time.Hour}, 10, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var wg sync.WaitGroup
			errs := make(chan error, 10)
			for range 10 {
				wg.Go(func() {
					_, err := d.RecordFailure(t.Context(), tt.cuil, registry.LockKey, t0, tt.rule)
					errs <- err
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				mustNotFail(t, err)
			}
			l, err := d.Lockout(t.Context(), tt.cuil, registry.LockKey)
			mustNotFail(t, err)
			if want := tt.failures % tt.rule.Max; l.Failures != want {
				t.Errorf("Failures = %d, want %d", l.Failures, want)
			}
			if got := len(auditOf(t, d, tt.cuil)); got != tt.wantLocks {
				t.Errorf("%d lock events, want %d", got, tt.wantLocks)
			}
		})
	}
}

func testClearFailures(t *testing.T, url string) {
	d := openStore(t, url)
	cuil := cuilOf(31456789)
	for range validationRule.Max + 1 {
		_, err := d.RecordFailure(t.Context(), cuil, registry.LockValidation, t0, validationRule)
		mustNotFail(t, err)
	}
	_, err := d.RecordFailure(t.Context(), cuil, registry.LockKey, t0, registry.LockRule{Max: 5, For: time.Hour})
	mustNotFail(t, err)

	mustNotFail(t, d.ClearFailures(t.Context(), cuil, registry.LockValidation))
	if l, err := d.Lockout(t.Context(), cuil, registry.LockValidation); err != nil || l != (registry.Lockout{}) {
		t.Errorf("after ClearFailures, Lockout = %+v, %v; want zero", l, err)
	}
	if l, _ := d.Lockout(t.Context(), cuil, registry.LockKey); l.Failures != 1 {
		t.Errorf("ClearFailures of validation cleared the key lockout: %+v", l)
	}
	mustNotFail(t, d.ClearFailures(t.Context(), cuilOf(30111222), registry.LockKey)) // nothing to clear
}

func testLockoutSurvivesReopen(t *testing.T, url string) {
	d := openStore(t, url)
	cuil := cuilOf(31456789)
	var want registry.Lockout
	for range validationRule.Max {
		var err error
		want, err = d.RecordFailure(t.Context(), cuil, registry.LockValidation, t0, validationRule)
		mustNotFail(t, err)
	}
	d.Close()

	d = openStore(t, url)
	got, err := d.Lockout(t.Context(), cuil, registry.LockValidation)
	mustNotFail(t, err)
	if !sameLockout(got, want) || !got.LockedAt(t0.Add(time.Hour)) {
		t.Errorf("after reopening, Lockout = %+v, want %+v, locked an hour later", got, want)
	}
}

func TestRecordFailureRejectsUnknownKind(t *testing.T) {
	d := openStore(t, "sqlite:"+t.TempDir()+"/r.db")
	_, err := d.RecordFailure(t.Context(), cuilOf(31456789), "other", t0, validationRule)
	if !errs.Is(errs.Invalid, err) {
		t.Errorf("RecordFailure of an unknown kind: %v, want Invalid", err)
	}
}

// testEscalatingLocks: a lock that follows another without a success in
// between lasts twice as long, up to the rule's maximum; a pass, or a
// month without locks, starts again at the rule's first duration. Fixed
// question lists can then not be enumerated at a steady three tries every
// four hours.
func testEscalatingLocks(t *testing.T, url string) {
	d := openStore(t, url)
	rule := registry.LockRule{Max: 3, For: 4 * time.Hour, MaxFor: 20 * time.Hour}
	cuil := cuilOf(31456789)
	lockAt := func(at time.Time) time.Duration {
		t.Helper()
		var l registry.Lockout
		for i := range rule.Max {
			var err error
			l, err = d.RecordFailure(t.Context(), cuil, registry.LockValidation, at.Add(time.Duration(i)*time.Second), rule)
			mustNotFail(t, err)
		}
		last := at.Add(time.Duration(rule.Max-1) * time.Second).Truncate(time.Microsecond)
		if !l.LockedAt(last) {
			t.Fatalf("%d failures at %v did not lock: %+v", rule.Max, at, l)
		}
		return l.Until.Sub(last)
	}
	at := t0
	for i, want := range []time.Duration{4 * time.Hour, 8 * time.Hour, 16 * time.Hour, 20 * time.Hour, 20 * time.Hour} {
		got := lockAt(at)
		if got != want {
			t.Errorf("lock %d in a row lasts %v, want %v", i+1, got, want)
		}
		at = at.Add(got + time.Hour) // tried again an hour after it ended
	}
	mustNotFail(t, d.ClearFailures(t.Context(), cuil, registry.LockValidation)) // a pass
	if got := lockAt(at); got != rule.For {
		t.Errorf("the first lock after a pass lasts %v, want %v", got, rule.For)
	}
	at = at.Add(rule.For + registry.StrikeMemory + time.Hour)
	if got := lockAt(at); got != rule.For {
		t.Errorf("a lock a month after the last one lasts %v, want %v", got, rule.For)
	}
	if got := lockAt(at.Add(rule.For + time.Minute)); got != 2*rule.For {
		t.Errorf("the next one lasts %v, want %v", got, 2*rule.For)
	}
}
