package registry_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

var lucia = registry.Contact{Kind: registry.ContactEmail, Value: "lucia@gmail.com"}

// issue issues a code to to, failing the test when none is.
func (f *fixture) issue(t *testing.T, purpose registry.CodePurpose, to registry.Contact) registry.Code {
	t.Helper()
	if purpose == registry.CodeFactor {
		// A second factor's code goes to a verified contact, and proves
		// something only while it is one (see TestFactorCodeOfAContactReplaced).
		if err := f.svc.SetContact(context.Background(), f.c.CUIL, to.Kind, to.Value, true, "test"); err != nil {
			t.Fatal(err)
		}
	}
	c, err := f.svc.IssueCode(context.Background(), f.c.CUIL, purpose, to)
	if err != nil || c.Ref == "" || !c.WaitUntil.IsZero() {
		t.Fatalf("IssueCode: %+v, %v", c, err)
	}
	if len(c.Value) != 6 || strings.Trim(c.Value, "0123456789") != "" {
		t.Fatalf("code %q is not 6 digits", c.Value)
	}
	return c
}

func (f *fixture) check(t *testing.T, ref, value string) registry.CodeCheck {
	t.Helper()
	got, err := f.svc.CheckCode(context.Background(), f.c.CUIL, ref, value, "test")
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// wrongUntilLocked types n wrong codes for c: each is wrong, and only the
// last locks.
func (f *fixture) wrongUntilLocked(t *testing.T, c registry.Code, n int) {
	t.Helper()
	for i := range n {
		got := f.check(t, c.Ref, wrongCode(c))
		if got.Status != registry.CodeWrong || got.Lockout.LockedAt(f.clock.now()) != (i == n-1) {
			t.Fatalf("wrong code %d: %+v", i+1, got)
		}
	}
}

func wrongCode(c registry.Code) string {
	if c.Value == "000000" {
		return "000001"
	}
	return "000000"
}

func TestCodeVerifiesContact(t *testing.T) {
	f := newFixture(t)
	c := f.issue(t, registry.CodeVerify, lucia)
	if got := f.check(t, c.Ref, wrongCode(c)); got.Status != registry.CodeWrong {
		t.Fatalf("wrong code: %+v", got)
	}
	if cs, _ := f.svc.Contacts(context.Background(), f.c.CUIL); cs.Email.Value != "" {
		t.Fatalf("a wrong code registered %+v", cs.Email)
	}
	if got := f.check(t, c.Ref, c.Value); got.Status != registry.CodePassed || got.To.Value != lucia.Value {
		t.Fatalf("right code: %+v", got)
	}
	cs, _ := f.svc.Contacts(context.Background(), f.c.CUIL)
	if !cs.Email.Verified() || cs.Email.Value != lucia.Value {
		t.Fatalf("after the right code: %+v", cs.Email)
	}
	if got := f.check(t, c.Ref, c.Value); got.Status != registry.CodeExpired {
		t.Fatalf("a code used twice: %+v", got)
	}
	acts := f.store.actions()
	if acts[len(acts)-1] != registry.ActionContactVerified {
		t.Fatalf("audit %v", acts)
	}
	for _, ev := range f.store.audit {
		if strings.Contains(ev.Detail, "lucia@") {
			t.Fatalf("audit keeps the address in clear: %+v", ev)
		}
	}
	if strings.Contains(f.logs.String(), c.Value) || strings.Contains(f.logs.String(), "lucia@") {
		t.Fatalf("logs hold the code or the address:\n%s", f.logs)
	}
}

// Three wrong codes are three failed validations: the CUIL locks, and
// then not even the right code is judged.
func TestWrongCodesLock(t *testing.T) {
	f := newFixture(t)
	c := f.issue(t, registry.CodeFactor, lucia)
	f.wrongUntilLocked(t, c, 3)
	if got := f.check(t, c.Ref, c.Value); got.Status != registry.CodeLocked {
		t.Fatalf("right code while locked: %+v", got)
	}
	l, _ := f.svc.Lockout(context.Background(), f.c.CUIL, registry.LockValidation)
	if !l.Until.Equal(f.clock.now().Add(4 * time.Hour)) {
		t.Fatalf("lock %+v", l)
	}
}

// Wrong codes add to the other failed validations of the CUIL.
func TestWrongCodesCountWithValidations(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.svc.FailValidation(ctx, f.c.CUIL)
	f.svc.FailValidation(ctx, f.c.CUIL)
	c := f.issue(t, registry.CodeFactor, lucia)
	if got := f.check(t, c.Ref, wrongCode(c)); got.Status != registry.CodeWrong || !got.Lockout.LockedAt(f.clock.now()) {
		t.Fatalf("third failure: %+v", got)
	}
}

// Passing the questions again does not forget wrong codes: with a
// verified contact, the questions are half the proof. A person who knew
// the answers (a relative, a leak) but not the e-mail guessed two codes,
// passed the questions in another chat, which forgot them, and guessed
// again, without end (found by an attack probe: 7 wrong codes, no lock,
// then the right one taken). Now the third wrong code locks, however many
// passes came between; the right code, the whole proof, forgets them.
func TestPassedQuestionsDoNotForgetWrongCodes(t *testing.T) {
	ctx := context.Background()
	withContact := func() *fixture {
		t.Helper()
		f := newFixture(t)
		if err := f.svc.SetContact(ctx, f.c.CUIL, lucia.Kind, lucia.Value, true, "test"); err != nil {
			t.Fatal(err)
		}
		return f
	}
	pass := func(f *fixture) {
		t.Helper()
		a, err := f.svc.BeginValidation(ctx, f.c.CUIL)
		if err != nil || a.Status != registry.AttemptReserved {
			t.Fatalf("BeginValidation = %+v, %v", a, err)
		}
		if got, err := f.svc.EndValidation(ctx, f.c.CUIL, a.ID, true); err != nil || got.Status != registry.AttemptPassed {
			t.Fatalf("EndValidation(right) = %+v, %v", got, err)
		}
	}
	f := withContact()
	pass(f)
	c := f.issue(t, registry.CodeFactor, lucia)
	for range 2 {
		if got := f.check(t, c.Ref, wrongCode(c)); got.Status != registry.CodeWrong {
			t.Fatalf("wrong code: %+v", got)
		}
	}
	pass(f)
	if got := f.check(t, c.Ref, wrongCode(c)); got.Status != registry.CodeWrong || !got.Lockout.LockedAt(f.clock.now()) {
		t.Fatalf("the third wrong code after another pass did not lock: %+v", got)
	}
	if got := f.check(t, c.Ref, c.Value); got.Status != registry.CodeLocked {
		t.Fatalf("right code while locked: %+v", got)
	}

	// The whole proof forgets the failures: two slips, the right code,
	// and the count starts again.
	f = withContact()
	pass(f)
	c = f.issue(t, registry.CodeFactor, lucia)
	f.check(t, c.Ref, wrongCode(c))
	f.check(t, c.Ref, wrongCode(c))
	if got := f.check(t, c.Ref, c.Value); got.Status != registry.CodePassed {
		t.Fatalf("right code: %+v", got)
	}
	if l, _ := f.svc.Lockout(ctx, f.c.CUIL, registry.LockValidation); l.Failures != 0 {
		t.Fatalf("after the whole proof, %d failures remembered", l.Failures)
	}
}

// Wrong codes verifying a new contact count apart: the person proved
// their key already, and three slips while adding an e-mail locked their
// recovery for four hours (found by hand). Five stop new contacts for 30
// minutes; the validations are untouched.
func TestWrongContactCodesCountApart(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.issue(t, registry.CodeVerify, lucia)
	f.wrongUntilLocked(t, c, 5)
	if got := f.check(t, c.Ref, c.Value); got.Status != registry.CodeLocked {
		t.Fatalf("right code while locked: %+v", got)
	}
	if l, _ := f.svc.Lockout(ctx, f.c.CUIL, registry.LockValidation); l.Failures != 0 || l.LockedAt(f.clock.now()) {
		t.Fatalf("wrong contact codes counted as failed validations: %+v", l)
	}
	l, _ := f.svc.Lockout(ctx, f.c.CUIL, registry.LockContactCode)
	if !l.Until.Equal(f.clock.now().Add(30 * time.Minute)) {
		t.Fatalf("lock %+v", l)
	}
	// No new contact's code goes out while locked.
	if c, err := f.svc.IssueCode(ctx, f.c.CUIL, registry.CodeVerify, registry.Contact{Kind: registry.ContactEmail, Value: "otra@gmail.com"}); err != nil || c.Ref != "" || !c.LockedUntil.Equal(l.Until) {
		t.Fatalf("a new contact's code while locked: %+v, %v", c, err)
	}
	// A factor's code is still judged, against the validations.
	fc := f.issue(t, registry.CodeFactor, registry.Contact{Kind: registry.ContactPhone, Value: "+5491155556789"})
	if got := f.check(t, fc.Ref, fc.Value); got.Status != registry.CodePassed {
		t.Fatalf("a factor's code while new contacts are locked: %+v", got)
	}
}

func TestCodeExpiresAfterTenMinutes(t *testing.T) {
	f := newFixture(t)
	c := f.issue(t, registry.CodeFactor, lucia)
	f.clock.advance(10 * time.Minute)
	if got := f.check(t, c.Ref, c.Value); got.Status != registry.CodeExpired {
		t.Fatalf("after 10 minutes: %+v", got)
	}
	if l, _ := f.svc.Lockout(context.Background(), f.c.CUIL, registry.LockValidation); l.Failures != 0 {
		t.Fatalf("an expired code counted: %+v", l)
	}
}

// A code is bound to the reference its chat holds: another chat's
// reference, or a forged one, does not check it.
func TestCodeNeedsItsReference(t *testing.T) {
	f := newFixture(t)
	c := f.issue(t, registry.CodeFactor, lucia)
	id, _, _ := strings.Cut(c.Ref, ".")
	if got := f.check(t, id+".FORGED", c.Value); got.Status != registry.CodeWrong {
		t.Fatalf("forged secret half: %+v", got)
	}
	if got := f.check(t, "NOSUCHID."+c.Ref, c.Value); got.Status != registry.CodeExpired {
		t.Fatalf("unknown reference: %+v", got)
	}
}

func TestOneCodeAMinutePerContact(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.issue(t, registry.CodeVerify, lucia)
	f.clock.advance(30 * time.Second)
	again, err := f.svc.IssueCode(ctx, f.c.CUIL, registry.CodeVerify, lucia)
	if err != nil || again.Ref != "" || !again.WaitUntil.Equal(f.clock.now().Add(30*time.Second)) {
		t.Fatalf("second code within a minute: %+v, %v", again, err)
	}
	// Another contact is not held back.
	f.issue(t, registry.CodeVerify, registry.Contact{Kind: registry.ContactEmail, Value: "otra@gmail.com"})
	f.clock.advance(30 * time.Second)
	c := f.issue(t, registry.CodeVerify, lucia)
	// A code that came back right frees its minute.
	if got := f.check(t, c.Ref, c.Value); got.Status != registry.CodePassed {
		t.Fatalf("check: %+v", got)
	}
	f.issue(t, registry.CodeFactor, lucia)
}

// A code that could not be sent gives its minute back: another goes at
// once, to the same contact, found through the reference alone.
func TestCancelAndResendCode(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.issue(t, registry.CodeVerify, lucia)
	if err := f.svc.CancelCode(ctx, c); err != nil {
		t.Fatal(err)
	}
	again, err := f.svc.ResendCode(ctx, f.c.CUIL, c.Ref)
	if err != nil || again.Ref == "" || again.To != c.To || again.Purpose != registry.CodeVerify || again.Value == "" {
		t.Fatalf("ResendCode: %+v, %v", again, err)
	}
	if soon, _ := f.svc.ResendCode(ctx, f.c.CUIL, again.Ref); soon.Ref != "" || soon.WaitUntil.IsZero() {
		t.Fatalf("a resend within the minute: %+v", soon)
	}
	if got := f.check(t, again.Ref, again.Value); got.Status != registry.CodePassed {
		t.Fatalf("the resent code: %+v", got)
	}
	if _, err := f.svc.ResendCode(ctx, f.c.CUIL, again.Ref); err == nil {
		t.Fatal("resent a used code")
	}
}

func TestSetContact(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	phone := "+5491123456789"
	steps := []struct {
		verified bool
		value    string
		want     registry.Action // "" when nothing changes
	}{
		{true, phone, registry.ActionContactVerified},        // WhatsApp's sender
		{false, phone, ""},                                   // typed again on Telegram: still verified
		{false, "+5493515551234", registry.ActionContactSet}, // another one: not verified
		{true, "+5493515551234", registry.ActionContactVerified},
	}
	for i, s := range steps {
		n := len(f.store.audit)
		if err := f.svc.SetContact(ctx, f.c.CUIL, registry.ContactPhone, s.value, s.verified, "whatsapp"); err != nil {
			t.Fatal(err)
		}
		switch {
		case s.want == "" && len(f.store.audit) != n:
			t.Fatalf("step %d: audited %+v", i, f.store.audit[n:])
		case s.want != "" && (len(f.store.audit) != n+1 || f.store.audit[n].Action != s.want):
			t.Fatalf("step %d: audit %+v, want %s", i, f.store.audit[n:], s.want)
		}
	}
	cs, _ := f.svc.Contacts(ctx, f.c.CUIL)
	if !cs.Phone.Verified() || cs.Phone.Value != "+5493515551234" {
		t.Fatalf("phone %+v", cs.Phone)
	}
	if err := f.svc.RemoveContact(ctx, f.c.CUIL, registry.ContactPhone, "console"); err != nil {
		t.Fatal(err)
	}
	last := f.store.audit[len(f.store.audit)-1]
	if last.Action != registry.ActionContactRemoved || last.Detail != "phone +54 9 351 ***-1234" {
		t.Fatalf("removal audit %+v", last)
	}
	if err := f.svc.SetContact(ctx, f.c.CUIL, registry.ContactEmail, "Lucia@Gmail.com", false, "x"); err == nil {
		t.Fatal("SetContact took an address that is not normalised")
	}
}

func TestFindCode(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"el código es 123456", "123456", true},
		{"es 654321.", "654321", true},
		{"123456 o 654321", "", false},
		{"el 12345", "", false},
		{"mi dni 31456789", "", false},
		{"no me llegó", "", false},
	}
	for _, tt := range tests {
		got, ok := registry.FindCode(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("FindCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// A second factor's code proves the contact verified now: one sent to an
// e-mail the person has replaced since is judged no more (expired, no
// attempt counted), and is not sent again there (an attack probe: a
// recovery that reached the code before the change, the old mailbox read
// by someone else, passed with it).
func TestFactorCodeOfAContactReplaced(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.issue(t, registry.CodeFactor, lucia)
	if err := f.svc.SetContact(ctx, f.c.CUIL, registry.ContactEmail, "nueva@hotmail.com", true, "test"); err != nil {
		t.Fatal(err)
	}
	if got := f.check(t, c.Ref, c.Value); got.Status != registry.CodeExpired {
		t.Fatalf("the code of a contact replaced: %+v", got)
	}
	if _, err := f.svc.ResendCode(ctx, f.c.CUIL, c.Ref); !errs.Is(errs.NotFound, err) {
		t.Fatalf("resent to a contact replaced: %v", err)
	}
	l, err := f.svc.Lockout(ctx, f.c.CUIL, registry.LockValidation)
	if err != nil || l.Failures != 0 {
		t.Fatalf("validation count after a code of a contact replaced: %+v, %v", l, err)
	}
}
