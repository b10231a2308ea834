package sqlstore

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/registry"
)

// testImportContacts: a line's contacts are stored, normalised, with
// whether and when they were verified and an audit event for each
// change; a line that leaves them out keeps what is stored (registered in
// the chat); an empty one clears it. The batch size is small so that the
// COPY path's batches are exercised on PostgreSQL.
func testImportContacts(t *testing.T, url string) {
	d := openStore(t, url)
	d.batchSize = 2
	d.now = func() time.Time { return t0 }
	ctx := t.Context()
	a, b := cuilOf(31456789), cuilOf(30111222)
	with := func(dni int, kv ...any) string {
		return citizenLine(dni, func(m map[string]any) {
			for i := 0; i < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
		})
	}
	importLines(t, d,
		with(31456789, "email", "Maria@Gmail.com", "email_verified", true, "phone", "011 15 2345-6789"),
		with(30111222), with(30222333, "phone", "+54 9 351 555-1234"))
	cs, err := d.Contacts(ctx, a)
	mustNotFail(t, err)
	if cs.Email.Value != "maria@gmail.com" || !cs.Email.VerifiedAt.Equal(t0.Truncate(time.Microsecond)) || !cs.Email.UpdatedAt.Equal(t0.Truncate(time.Microsecond)) {
		t.Errorf("email %+v", cs.Email)
	}
	if cs.Phone.Value != "+5491123456789" || cs.Phone.Verified() {
		t.Errorf("phone %+v", cs.Phone)
	}
	if cs, _ := d.Contacts(ctx, b); cs != (registry.Contacts{}) {
		t.Errorf("a line without contacts got %+v", cs)
	}
	want := []string{"contact.verified email m***@gmail.com", "contact.set phone +54 9 11 ****-6789"}
	if got := auditLines(t, d, a); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("audit %q, want %q", got, want)
	}

	// The person verifies the phone in the chat; a later file that leaves
	// the phone out, or gives it unverified, keeps that; the e-mail is
	// cleared.
	phone := registry.Contact{Kind: registry.ContactPhone, Value: "+5491123456789", VerifiedAt: t0.Add(time.Hour), UpdatedAt: t0.Add(time.Hour)}
	mustNotFail(t, d.SaveContact(ctx, a, phone, registry.AuditEvent{At: t0, CUIL: a, Action: registry.ActionContactVerified}))
	d.now = func() time.Time { return t0.Add(2 * time.Hour) }
	importLines(t, d, with(31456789, "email", ""), with(30111222, "phone", "11 2345 6789"))
	importLines(t, d, with(31456789, "phone", "1123456789", "phone_verified", false))
	cs, _ = d.Contacts(ctx, a)
	if cs.Email.Value != "" || !cs.Phone.Verified() || !cs.Phone.VerifiedAt.Equal(phone.VerifiedAt.Truncate(time.Microsecond)) {
		t.Errorf("after the chat and two more files: %+v", cs)
	}
	got := auditLines(t, d, a)
	if len(got) != 4 || got[3] != "contact.removed email m***@gmail.com" {
		t.Errorf("audit %q", got)
	}
	if cs, _ := d.Contacts(ctx, b); cs.Phone.Value != "+5491123456789" {
		t.Errorf("the other citizen's phone %+v", cs.Phone)
	}
}

// auditLines are cuil's audit events as "action detail".
func auditLines(t *testing.T, d *DB, cuil registry.CUIL) []string {
	var out []string
	for _, ev := range auditOf(t, d, cuil) {
		out = append(out, string(ev.Action)+" "+ev.Detail)
	}
	return out
}

func testSaveContact(t *testing.T, url string) {
	d := openStore(t, url)
	ctx := t.Context()
	cuil := cuilOf(31456789)
	c := registry.Contact{Kind: registry.ContactEmail, Value: "a@b.com", UpdatedAt: t0}
	if err := d.SaveContact(ctx, cuil, c, registry.AuditEvent{At: t0, CUIL: cuil, Action: registry.ActionContactSet}); err == nil {
		t.Fatal("saved a contact of a CUIL not in the registry")
	}
	importLines(t, d, citizenLine(31456789, nil))
	mustNotFail(t, d.SaveContact(ctx, cuil, c, registry.AuditEvent{At: t0, CUIL: cuil, Action: registry.ActionContactSet}))
	if cs, _ := d.Contacts(ctx, cuil); cs.Email.Value != "a@b.com" || cs.Email.Verified() {
		t.Fatalf("contacts %+v", cs)
	}
	mustNotFail(t, d.SaveContact(ctx, cuil, registry.Contact{Kind: registry.ContactEmail}, registry.AuditEvent{At: t0, CUIL: cuil, Action: registry.ActionContactRemoved}))
	if cs, _ := d.Contacts(ctx, cuil); cs.Email.Value != "" {
		t.Fatalf("after removal %+v", cs)
	}
	if n := len(auditOf(t, d, cuil)); n != 2 {
		t.Fatalf("%d audit events, want 2", n)
	}
}

// testCodeSends: of many claims at once on one contact, one wins; the
// next is free a minute later, or at once when the winner gives it back.
func testCodeSends(t *testing.T, url string) {
	d := openStore(t, url)
	ctx := t.Context()
	cuil := cuilOf(31456789)
	var wins sync.Map
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			ok, next, err := d.ClaimCodeSend(ctx, cuil, "dest", t0, time.Minute)
			if err != nil {
				t.Error(err)
			}
			if ok {
				wins.Store(i, true)
			} else if !next.Equal(t0.Add(time.Minute).Truncate(time.Microsecond)) {
				t.Errorf("next %v", next)
			}
		})
	}
	wg.Wait()
	n := 0
	wins.Range(func(any, any) bool { n++; return true })
	if n != 1 {
		t.Fatalf("%d claims won at once, want 1", n)
	}
	if ok, _, _ := d.ClaimCodeSend(ctx, cuil, "other", t0, time.Minute); !ok {
		t.Fatal("another contact was held back")
	}
	if ok, _, _ := d.ClaimCodeSend(ctx, cuil, "dest", t0.Add(59*time.Second), time.Minute); ok {
		t.Fatal("claimed within the minute")
	}
	mustNotFail(t, d.ReleaseCodeSend(ctx, cuil, "dest", t0))
	if ok, _, _ := d.ClaimCodeSend(ctx, cuil, "dest", t0.Add(59*time.Second), time.Minute); !ok {
		t.Fatal("a released claim still held")
	}
}

func testCodes(t *testing.T, url string) {
	d := openStore(t, url)
	ctx := t.Context()
	cuil := cuilOf(31456789)
	rec := registry.CodeRecord{
		ID: "ID1", CUIL: cuil, Purpose: registry.CodeVerify,
		To:   registry.Contact{Kind: registry.ContactEmail, Value: "a@b.com"},
		Hash: "h1", SentAt: t0, Expires: t0.Add(10 * time.Minute),
	}
	mustNotFail(t, d.SaveCode(ctx, rec))
	got, err := d.Code(ctx, cuil, "ID1")
	mustNotFail(t, err)
	if got.To != rec.To || got.Hash != "h1" || got.Purpose != registry.CodeVerify || !got.Expires.Equal(rec.Expires.Truncate(time.Microsecond)) {
		t.Fatalf("code %+v", got)
	}
	if _, err := d.Code(ctx, cuilOf(30111222), "ID1"); err == nil {
		t.Fatal("another CUIL read the code")
	}
	if ok, _ := d.UseCode(ctx, cuil, "ID1", "wrong"); ok {
		t.Fatal("used with a wrong hash")
	}
	var used sync.Map
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			ok, err := d.UseCode(ctx, cuil, "ID1", "h1")
			if err != nil {
				t.Error(err)
			}
			if ok {
				used.Store(i, true)
			}
		})
	}
	wg.Wait()
	n := 0
	used.Range(func(any, any) bool { n++; return true })
	if n != 1 {
		t.Fatalf("a code used %d times", n)
	}
	rec.ID = "ID2"
	mustNotFail(t, d.SaveCode(ctx, rec))
	if n, err := d.DeleteExpiredCodes(ctx, t0.Add(11*time.Minute)); err != nil || n < 1 {
		t.Fatalf("DeleteExpiredCodes = %d, %v", n, err)
	}
	if _, err := d.Code(ctx, cuil, "ID2"); err == nil {
		t.Fatal("an expired code survived the purge")
	}
}

// testConcurrentCodeGuesses is the attack on the second factor: many
// chats guess one CUIL's code at once. However many guesses arrive, no
// more than the policy's 3 wrong ones are compared before the CUIL locks,
// and once it locks not even the right code is accepted. (The right code
// typed while the guesses are judged may pass: it is the whole proof, and
// a guess in progress is no failure; see registry.Lockout.)
func testConcurrentCodeGuesses(t *testing.T, url string) {
	d := openStore(t, url)
	importLines(t, d, citizenLine(31456789, nil))
	cuil := cuilOf(31456789)
	svc := registry.NewService(d, registry.NewHasher(registry.HashParams{Memory: 64, Time: 1, Threads: 1}, 2), registry.DefaultPolicy(), 7, registry.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	ctx := context.Background()
	// A factor's code is judged only while its contact is verified.
	mustNotFail(t, svc.SetContact(ctx, cuil, registry.ContactEmail, "a@b.com", true, "test"))
	code, err := svc.IssueCode(ctx, cuil, registry.CodeFactor, registry.Contact{Kind: registry.ContactEmail, Value: "a@b.com"})
	mustNotFail(t, err)
	wrongGuess := "000000"
	if wrongGuess == code.Value {
		wrongGuess = "000001"
	}
	counts := map[registry.CodeStatus]int{}
	// Until the lock: a busy guess (others in progress) is guessed again.
	for try := 0; try < 20 && counts[registry.CodeLocked] == 0; try++ {
		const n = 40
		got := make([]registry.CodeCheck, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				c, err := svc.CheckCode(ctx, cuil, code.Ref, wrongGuess, "test")
				if err != nil {
					t.Error(err)
				}
				got[i] = c
			})
		}
		wg.Wait()
		for _, c := range got {
			counts[c.Status]++
		}
	}
	if counts[registry.CodeWrong] != 3 || counts[registry.CodeLocked] == 0 {
		t.Fatalf("%d wrong codes compared, want 3 and then the lock: %v", counts[registry.CodeWrong], counts)
	}
	if c, err := svc.CheckCode(ctx, cuil, code.Ref, code.Value, "test"); err != nil || c.Status != registry.CodeLocked {
		t.Fatalf("the right code after the lock: %+v, %v; want locked", c, err)
	}
	t.Logf("%v", counts)
}
