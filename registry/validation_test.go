package registry_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// step is one move of a person, or of several, on one CUIL's validation:
// begin reserves the questions as attempt name; end answers them (pass or
// not); fail is wrong personal data; wait moves the clock. want is the
// attempt's status (begin, end); locked whether the CUIL is locked after.
type step struct {
	do     string
	name   string
	pass   bool
	wait   time.Duration
	want   registry.AttemptStatus
	locked bool
}

func begin(name string, want registry.AttemptStatus, locked bool) step {
	return step{do: "begin", name: name, want: want, locked: locked}
}

func end(name string, pass bool, want registry.AttemptStatus, locked bool) step {
	return step{do: "end", name: name, pass: pass, want: want, locked: locked}
}

func fail(locked bool) step           { return step{do: "fail", locked: locked} }
func wait(d time.Duration) step       { return step{do: "wait", wait: d} }
func waitLocked(d time.Duration) step { return step{do: "wait", wait: d, locked: true} }

const (
	reserved = registry.AttemptReserved
	passed   = registry.AttemptPassed
	failed   = registry.AttemptFailed
	locked   = registry.AttemptLocked
	busy     = registry.AttemptBusy
	stale    = registry.AttemptStale
)

// The policy's defaults: 3 failures lock for 4 h; questions may be
// answered for an hour (15 min idle timeout, 3 questions).
func TestValidationAttempts(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{"a pass forgets the failures", []step{
			fail(false), begin("a", reserved, false), end("a", false, failed, false),
			begin("b", reserved, false), end("b", true, passed, false),
			fail(false), fail(false), fail(true)}},
		{"an attempt is settled once", []step{
			begin("a", reserved, false), end("a", false, failed, false),
			end("a", false, stale, false), end("a", true, stale, false),
			begin("b", reserved, false), end("b", false, failed, false),
			begin("c", reserved, false), end("c", false, failed, true)}},
		{"only the policy's attempts at once", []step{
			begin("a", reserved, false), begin("b", reserved, false), begin("c", reserved, false),
			begin("d", busy, false),
			end("a", false, failed, true), // three counted: the first wrong answer locks
			end("b", true, locked, true), end("c", true, locked, true), begin("e", locked, true)}},
		{"a pass among attempts at once ends the others", []step{
			begin("a", reserved, false), begin("b", reserved, false),
			end("a", true, passed, false), end("b", true, stale, false)}},
		{"no answer judged while locked", []step{
			begin("a", reserved, false), fail(false), fail(true),
			end("a", true, locked, true)}},
		{"an attempt of an earlier lock window", []step{
			begin("a", reserved, false), fail(false), fail(true),
			waitLocked(4*time.Hour - time.Second), wait(time.Second),
			end("a", true, stale, false), begin("b", reserved, false)}},
		{"wrong data is not counted while locked", []step{
			fail(false), fail(false), fail(true), fail(true), waitLocked(3 * time.Hour),
			wait(time.Hour), fail(false), fail(false)}},
		{"abandoned attempts are held, then given back", []step{
			begin("a", reserved, false), begin("b", reserved, false), wait(30 * time.Minute),
			begin("c", reserved, false), begin("d", busy, false),
			wait(time.Hour), begin("e", reserved, false), end("c", true, stale, false),
			end("e", false, failed, false), fail(false), fail(true)}},
		{"an expired attempt is not judged, nor counted", []step{
			begin("a", reserved, false), wait(time.Hour), end("a", true, stale, false),
			begin("b", reserved, false), end("b", false, failed, false), fail(false), fail(true)}},
		{"rounds never judged add nothing to failures", []step{
			fail(false), begin("a", reserved, false), begin("b", reserved, false), wait(2 * time.Hour),
			begin("c", reserved, false), end("c", false, failed, false), fail(true)}},
		{"long abandoned attempts start a new window", []step{
			begin("a", reserved, false), begin("b", reserved, false), begin("c", reserved, false),
			wait(6 * time.Hour), begin("d", reserved, false), end("d", false, failed, false)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			ids := map[string]string{}
			for i, s := range tt.steps {
				var got registry.Attempt
				var err error
				switch s.do {
				case "begin":
					got, err = f.svc.BeginValidation(ctx, f.c.CUIL)
					ids[s.name] = got.ID
				case "end":
					got, err = f.svc.EndValidation(ctx, f.c.CUIL, ids[s.name], s.pass)
				case "fail":
					_, err = f.svc.FailValidation(ctx, f.c.CUIL)
				case "wait":
					f.clock.advance(s.wait)
				}
				if err != nil {
					t.Fatalf("step %d (%s %s): %v", i, s.do, s.name, err)
				}
				if (s.do == "begin" || s.do == "end") && got.Status != s.want {
					t.Fatalf("step %d (%s %s): %s, want %s (%+v)", i, s.do, s.name, got.Status, s.want, got)
				}
				l, _ := f.svc.Lockout(ctx, f.c.CUIL, registry.LockValidation)
				if l.LockedAt(f.clock.now()) != s.locked {
					t.Fatalf("step %d (%s %s): lockout %+v at %v, want locked=%v", i, s.do, s.name, l, f.clock.now(), s.locked)
				}
			}
		})
	}
}

// TestAbandonedAttemptsGivenBack: attempts whose chats never came back
// (a state lost with Redis, a terminal chat interrupted) are held while
// they may still be answered, then given back: nothing was judged, so
// they neither count nor lock (they locked the CUIL for 4 hours from the
// last expiry, with no wrong answer, and escalated the next lock).
func TestAbandonedAttemptsGivenBack(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for range 3 {
		if a, _ := f.svc.BeginValidation(ctx, f.c.CUIL); a.Status != reserved {
			t.Fatalf("begin: %+v", a)
		}
	}
	f.clock.advance(2 * time.Hour)
	a, err := f.svc.BeginValidation(ctx, f.c.CUIL)
	if err != nil || a.Status != reserved || a.Lockout.Failures != 1 {
		t.Fatalf("after three abandoned attempts: %+v, %v; want reserved, this one counted alone", a, err)
	}
	if got := f.store.actions(); len(got) != 0 {
		t.Errorf("audit %v, want no lock", got)
	}
}

// TestReservationWhoseAnswerWasLostIsGivenBack: the database reserved an
// attempt and its answer was lost (a connection cut, the turn's deadline
// on a slow PostgreSQL). The turn failed and its chat never learned the
// attempt, so nothing would settle it: it was held for its hour, one of
// the three, and a person who then failed a round found the last one
// "busy" until it expired (a resilience probe). The attempt is given
// back as the call fails.
func TestReservationWhoseAnswerWasLostIsGivenBack(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.store.loseReserve = errs.E(errs.Unavailable, "reserve attempt", errors.New("connection reset"))
	if _, err := f.svc.BeginValidation(ctx, f.c.CUIL); err == nil {
		t.Fatal("begin with its answer lost: no error")
	}
	f.store.loseReserve = nil
	for i := range 3 {
		a, err := f.svc.BeginValidation(ctx, f.c.CUIL)
		if err != nil || a.Status != reserved || a.Lockout.Failures != i+1 {
			t.Fatalf("attempt %d after a reservation whose answer was lost: %+v, %v; want reserved, counted %d", i+1, a, err, i+1)
		}
	}
}

// TestBusyUntilFirstExpiry: a refused attempt says when the first attempt
// in progress can no longer be answered.
func TestBusyUntilFirstExpiry(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	first := f.clock.now().Add(time.Hour)
	for range 3 {
		f.svc.BeginValidation(ctx, f.c.CUIL)
		f.clock.advance(time.Minute)
	}
	a, err := f.svc.BeginValidation(ctx, f.c.CUIL)
	if err != nil || a.Status != busy || !a.Lockout.Until.Equal(first) {
		t.Fatalf("fourth attempt: %+v, %v; want busy until %v", a, err, first)
	}
}

func TestVerifyFromKnownSource(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.setKey(t, goodKey)
	verify := func(key, source string) registry.VerifyStatus {
		t.Helper()
		r, err := f.svc.VerifyFrom(ctx, f.c.CUIL, key, "rest", source)
		if err != nil {
			t.Fatal(err)
		}
		return r.Status
	}
	if got := verify(goodKey, "home"); got != registry.VerifyOK {
		t.Fatalf("first login from home: %s", got)
	}
	for range 5 {
		verify("Otra#Clave77", "stranger")
	}
	for _, src := range []string{"stranger", "elsewhere", ""} {
		if got := verify(goodKey, src); got != registry.VerifyLocked {
			t.Errorf("right key from %q after a stranger's five wrong keys: %s, want locked", src, got)
		}
	}
	if got := verify(goodKey, "home"); got != registry.VerifyOK {
		t.Errorf("right key from home after a stranger's five wrong keys: %s, want ok", got)
	}
	for range 5 {
		verify("Otra#Clave77", "home")
	}
	if got := verify(goodKey, "home"); got != registry.VerifyLocked {
		t.Errorf("right key from home after five wrong from home: %s, want locked", got)
	}
	f.clock.advance(91 * 24 * time.Hour)
	if got := verify("Otra#Clave77", "home"); got != registry.VerifyWrong {
		t.Errorf("wrong key from home after 91 days: %s", got)
	}
	if l, _ := f.svc.Lockout(ctx, f.c.CUIL, registry.LockKey); l.Failures != 1 {
		t.Errorf("a source unseen for 91 days is still known: %+v", l)
	}
}

func TestVerifyGivesBackAnAttemptNotCompared(t *testing.T) {
	f := newFixture(t)
	f.setKey(t, goodKey)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 6 {
		if _, err := f.svc.Verify(ctx, f.c.CUIL, "Otra#Clave77", "rest"); err == nil {
			t.Fatal("verify with a done context compared the key")
		}
	}
	if l, _ := f.svc.Lockout(context.Background(), f.c.CUIL, registry.LockKey); l.Failures != 0 || !l.Until.IsZero() {
		t.Errorf("keys never compared were counted: %+v", l)
	}
}

// A round left before its end is given back: it neither counts nor holds
// a place, and three left do not make the fourth "busy".
func TestLeaveValidationGivesTheAttemptBack(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for range 4 {
		a, err := f.svc.BeginValidation(ctx, f.c.CUIL)
		if err != nil || a.Refused() {
			t.Fatalf("begin: %+v, %v", a, err)
		}
		if err := f.svc.LeaveValidation(ctx, f.c.CUIL, a.ID); err != nil {
			t.Fatal(err)
		}
	}
	if l, _ := f.svc.Lockout(ctx, f.c.CUIL, registry.LockValidation); l.Failures != 0 {
		t.Fatalf("rounds left counted: %+v", l)
	}
	// Held, a round still counts until it ends.
	a, _ := f.svc.BeginValidation(ctx, f.c.CUIL)
	if l, _ := f.svc.Lockout(ctx, f.c.CUIL, registry.LockValidation); l.Failures != 1 {
		t.Fatalf("a round held: %+v", l)
	}
	if got, _ := f.svc.EndValidation(ctx, f.c.CUIL, a.ID, false); got.Status != registry.AttemptFailed {
		t.Fatalf("end: %+v", got)
	}
}

// TestWrongKeyLocksEscalate: five wrong keys locked a key for 30 minutes,
// again and again, so anyone with a CUIL could try 240 keys a day on it
// for ever, through the chat's current key and /v1/keys/verify alike
// (an attack probe). A lock soon after another, with no right key in
// between, lasts twice the one before, up to a day (--key-lock-max); the
// citizen's own devices, counted apart, are not held longer for a
// stranger's tries, nor for their own slips.
func TestWrongKeyLocksEscalate(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.setKey(t, goodKey)
	lockFor := func(source string) time.Duration {
		t.Helper()
		var r registry.VerifyResult
		for range 5 {
			var err error
			if r, err = f.svc.VerifyFrom(ctx, f.c.CUIL, "Otra#Clave77", "rest", source); err != nil {
				t.Fatal(err)
			}
		}
		if r.Status != registry.VerifyLocked {
			t.Fatalf("five wrong keys from %q: %s, want locked", source, r.Status)
		}
		d := r.Until.Sub(f.clock.now())
		f.clock.advance(d + time.Minute) // tried again a minute after it ended
		return d
	}
	if r, err := f.svc.VerifyFrom(ctx, f.c.CUIL, goodKey, "rest", "home"); err != nil || r.Status != registry.VerifyOK {
		t.Fatalf("first login from home: %+v, %v", r, err)
	}
	for i, want := range []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour, 16 * time.Hour, 24 * time.Hour, 24 * time.Hour} {
		if got := lockFor("stranger"); got != want {
			t.Errorf("stranger's lock %d in a row: %v, want %v", i+1, got, want)
		}
	}
	for i := range 3 {
		if got := lockFor("home"); got != 30*time.Minute {
			t.Errorf("home's lock %d in a row: %v, want 30m", i+1, got)
		}
	}
}

// TestLockLoggedOnce: a stranger hammering a locked CUIL with wrong data
// (each a FailValidation refused, uncounted) or with new rounds of
// questions (each a BeginValidation refused) wrote an INFO line per try,
// "validation locked" at each: the logs filled at the attacker's pace.
// The lock is logged once, when it is made (its audit event the record);
// the refusals after it at DEBUG.
func TestLockLoggedOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for range registry.DefaultPolicy().Validation.Max {
		if _, err := f.svc.FailValidation(ctx, f.c.CUIL); err != nil {
			t.Fatal(err)
		}
	}
	for range 20 {
		f.clock.advance(time.Second)
		l, err := f.svc.FailValidation(ctx, f.c.CUIL)
		if err != nil || !l.LockedAt(f.clock.now()) {
			t.Fatalf("FailValidation while locked = %+v, %v", l, err)
		}
		if a, err := f.svc.BeginValidation(ctx, f.c.CUIL); err != nil || a.Status != registry.AttemptLocked {
			t.Fatalf("BeginValidation while locked = %+v, %v", a, err)
		}
	}
	var locked, info int
	dec := json.NewDecoder(f.logs)
	for dec.More() {
		var line struct{ Level, Msg string }
		if err := dec.Decode(&line); err != nil {
			t.Fatal(err)
		}
		if line.Level == slog.LevelDebug.String() {
			continue
		}
		info++
		if line.Msg == "validation locked" {
			locked++
		}
	}
	if locked != 1 || info != 1 {
		t.Errorf("%d lines at INFO or above, %d of them the lock; want the lock's alone", info, locked)
	}
}
