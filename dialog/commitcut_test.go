package dialog_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// cutAtCommit is the test Redis through a proxy that is cut, when armed,
// just as a turn commits: the registry has done the turn's work, and the
// chat's state cannot be saved.
type cutAtCommit struct {
	*redisstore.Store
	p     *proxy
	armed bool
}

var _ dialog.StateStore = (*cutAtCommit)(nil)

func (s *cutAtCommit) Commit(ctx context.Context, l dialog.Lease, state []byte, lines [][]byte, ttl time.Duration) error {
	if s.armed {
		s.armed = false
		s.p.cut(true)
	}
	return s.Store.Commit(ctx, l, state, lines, ttl)
}

// TestAttemptReservedInALostTurnIsGivenBack: Redis goes away as the turn
// that reserved a validation attempt (the questions begun, or the next
// round after a failed one) saves the chat. The person is told the system
// has trouble and asked the same again, so no chat holds that attempt; it
// counted as a failure for an hour, and after such turns the person was
// told "ya hay otros intentos de validación en curso para ese CUIL" and
// had to wait that hour (a resilience probe, two replicas over a Redis
// cut). The attempt is given back; a round judged keeps its judgment.
func TestAttemptReservedInALostTurnIsGivenBack(t *testing.T) {
	tests := []struct {
		name string
		// toCut takes a new chat to where cut's message is sent as
		// Redis goes away; expect is what the apology asks for again.
		toCut  func(h *harness, chat string)
		cut    func(h *harness, chat string) string
		expect dialog.Expect
		// failures is what the CUIL's count must be afterwards.
		failures int
	}{
		{
			name:     "the questions begun",
			toCut:    func(h *harness, chat string) { h.toDNIStep(chat) },
			cut:      func(*harness, string) string { return "31.456.789" },
			expect:   dialog.ExpectDNI,
			failures: 0,
		},
		{
			name: "a round failed, the next one begun",
			toCut: func(h *harness, chat string) {
				h.toDNIStep(chat)
				h.step(chat, "31.456.789", dialog.ExpectChoice, question1)
				qs := h.questions(maria)
				for _, q := range qs[:len(qs)-1] {
					h.step(chat, strconv.Itoa(q.Answer+1), dialog.ExpectChoice)
				}
			},
			cut: func(h *harness, chat string) string {
				qs := h.questions(maria)
				q := qs[len(qs)-1]
				return strconv.Itoa((q.Answer+1)%len(q.Options) + 1)
			},
			expect:   dialog.ExpectMenu, // the round judged: see TestJudgedRoundLostIsToldTrue
			failures: 1,                 // the wrong answer, judged
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			p, store := proxiedStore(t, "commitcut")
			cs := &cutAtCommit{Store: store, p: p}
			h.eng = dialog.New(cs, h.reg, h.cat, h.opts...)
			const chat = "commitcut"
			tt.toCut(h, chat)
			cs.armed = true
			h.step(chat, tt.cut(h, chat), tt.expect, i18n.M("error.*"))
			p.cut(false)
			l, err := h.reg.Lockout(h.ctx, "20314567898", registry.LockValidation)
			if err != nil {
				t.Fatal(err)
			}
			if l.Failures != tt.failures {
				t.Errorf("Redis lost at the commit: %d failures counted, want %d", l.Failures, tt.failures)
			}
		})
	}
}

// TestJudgedRoundLostIsToldTrue: Redis goes away as the turn that judged
// a round of identity questions saves the chat. The person was told "No
// perdiste nada: probá de nuevo" and asked the last question again,
// whose answer then got "Este intento de validación ya no vale: pasó
// demasiado tiempo, o ese CUIL se validó o se bloqueó en otra
// conversación", none of it true (a resilience probe). They are told the
// judgment the turn made, that the place was lost and they start over;
// their next message is read at the menu, and the count is the
// judgment's.
func TestJudgedRoundLostIsToldTrue(t *testing.T) {
	t.Parallel() // waits on a lock: see sendOnceBack
	for _, tt := range []struct {
		name     string
		right    bool
		judgment i18n.Message
		failures int
	}{
		{"passed", true, i18n.M("questions.ok"), 0},
		{"failed", false, i18n.M("questions.failed"), 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			p, store := proxiedStore(t, "judgedcut")
			cs := &cutAtCommit{Store: store, p: p}
			h.eng = dialog.New(cs, h.reg, h.cat, h.opts...)
			const chat = "judgedcut"
			h.toDNIStep(chat)
			h.step(chat, "31.456.789", dialog.ExpectChoice, question1)
			qs := h.questions(maria)
			for _, q := range qs[:len(qs)-1] {
				h.step(chat, strconv.Itoa(q.Answer+1), dialog.ExpectChoice)
			}
			q := qs[len(qs)-1]
			answer := q.Answer
			if !tt.right {
				answer = (answer + 1) % len(q.Options)
			}
			cs.armed = true
			rs := h.step(chat, strconv.Itoa(answer+1), dialog.ExpectMenu, tt.judgment, i18n.M("error.unsaved_restart"))
			if has(rs, i18n.M("error.unavailable")) {
				t.Errorf("a judged round lost told that nothing was lost:\n%s", h.dump(rs))
			}
			p.cut(false)
			if rs := sendOnceBack(h, chat, "1"); last(rs).Expect != dialog.ExpectCUIL {
				t.Fatalf("the message after a judged round lost was not read at the menu:\n%s", h.dump(rs))
			}
			l, err := h.reg.Lockout(h.ctx, "20314567898", registry.LockValidation)
			if err != nil {
				t.Fatal(err)
			}
			if l.Failures != tt.failures {
				t.Errorf("%d failures counted, want %d", l.Failures, tt.failures)
			}
		})
	}
}

// TestCodeSentInALostTurnIsReplaced: Redis goes away as the turn that
// e-mailed a one-time code saves the chat, so no chat holds the code's
// reference. The code in the inbox could never be used, the apology said
// nothing was lost, and the address typed again got "esperá un minuto"
// for the code's minute (a resilience probe). The person is told not to
// use that code; its minute is given back, and the address typed again
// gets a code that works.
func TestCodeSentInALostTurnIsReplaced(t *testing.T) {
	t.Parallel() // waits on a lock: see sendOnceBack
	h, box := newContactHarness(t)
	p, store := proxiedStore(t, "codecut")
	cs := &cutAtCommit{Store: store, p: p}
	h.eng = dialog.New(cs, h.reg, h.cat, h.opts...)
	withKey(h, "Primera2024a")
	h.step("setup", "7", dialog.ExpectChoice, contactsMenu)
	h.step("setup", "1", dialog.ExpectEmail)
	cs.armed = true
	h.step("setup", "Maria.Gomez@Gmail.com", dialog.ExpectEmail, i18n.M("error.unavailable"), i18n.M("error.unsaved_code"))
	p.cut(false)
	sent := box.count()
	if rs := sendOnceBack(h, "setup", "Maria.Gomez@Gmail.com"); last(rs).Expect != dialog.ExpectCode || !has(rs, codeSent("m***@gmail.com")) {
		t.Fatalf("the address typed again after a code lost:\n%s", h.dump(rs))
	}
	if box.count() != sent+1 {
		t.Fatalf("the address typed again sent %d codes, want 1", box.count()-sent)
	}
	h.step("setup", box.last(t).Value, dialog.ExpectChoice, i18n.M("contacts.email_verified"))
}

// sendOnceBack sends text once Redis is back: a connection the cut left
// in the client's pool may fail the first turns, answered with the
// apology and nothing changed, so the message is sent again, with its id,
// until a turn reads the chat's state. The turn cut at its commit could
// not release the chat's lock either: the first try waits for it to
// expire (up to the store's lock TTL, cutLockTTL), so the deadline is
// counted past the default TTL, 30 s; a 5 s one from the start was spent
// by then, and a stale connection met after the wait, on a loaded
// machine, failed the test. The tests that wait so run in parallel (each
// has its own registry, Redis prefix, proxy and chat), so their waits
// overlap instead of adding up.
func sendOnceBack(h *harness, chat, text string) []dialog.Reply {
	h.t.Helper()
	h.ids++
	id := strconv.Itoa(h.ids)
	deadline := time.Now().Add(30*time.Second + 30*time.Second)
	for {
		res, err := h.eng.Handle(h.ctx, dialog.Inbound{Chat: chat, ID: id, Text: text, Channel: "test"})
		if err == nil && len(res.Replies) > 0 && !has(res.Replies, i18n.M("error.state_unavailable")) && !has(res.Replies, i18n.M("error.unavailable")) {
			return res.Replies
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("Redis back, %q still fails: %v\n%s", text, err, h.dump(res.Replies))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestDataMismatchInALostTurnIsTold: Redis goes away as the turn that
// judged the personal data wrong saves the chat. The failure was counted
// in the database (one of the three before a 4-hour lock), but the person
// was told "No perdiste nada: probá de nuevo", asked the DNI again, and
// the same data typed again counted a second failure: two of their three
// attempts gone for one they saw judged (a resilience probe). A mismatch
// judged is told as the judgment of a round is: what was wrong, that the
// place was lost, and the menu.
func TestDataMismatchInALostTurnIsTold(t *testing.T) {
	t.Parallel() // waits on a lock: see sendOnceBack
	h := newHarness(t)
	p, store := proxiedStore(t, "mismatchcut")
	cs := &cutAtCommit{Store: store, p: p}
	h.eng = dialog.New(cs, h.reg, h.cat, h.opts...)
	const chat = "mismatchcut"
	h.toBirthDateStep(chat)
	h.step(chat, "15/03/1985", dialog.ExpectDNI) // María was born on the 14th
	cs.armed = true
	rs := h.step(chat, "31.456.789", dialog.ExpectMenu, i18n.M("data.mismatch"), i18n.M("error.unsaved_restart"))
	if has(rs, i18n.M("error.unavailable")) {
		t.Errorf("a mismatch counted told that nothing was lost:\n%s", h.dump(rs))
	}
	p.cut(false)
	if rs := sendOnceBack(h, chat, "1"); last(rs).Expect != dialog.ExpectCUIL {
		t.Fatalf("the message after a mismatch lost was not read at the menu:\n%s", h.dump(rs))
	}
	l, err := h.reg.Lockout(h.ctx, "20314567898", registry.LockValidation)
	if err != nil {
		t.Fatal(err)
	}
	if l.Failures != 1 {
		t.Errorf("%d failures counted, want 1", l.Failures)
	}
}

// TestWrongKeyInALostTurnIsTold: Redis goes away as the turn that judged
// the current key wrong saves the chat. The wrong key was counted toward
// the lock (5, then 30 minutes), but the person was told "No perdiste
// nada: probá de nuevo", and typing the same key again counted it a
// second time. The state before the turn asked for the key, as the state
// after does: the person is told the key was wrong, with the tries left,
// and asked again, as if nothing had failed.
func TestWrongKeyInALostTurnIsTold(t *testing.T) {
	t.Parallel() // waits on a lock: see sendOnceBack
	h := newHarness(t)
	p, store := proxiedStore(t, "keycut")
	cs := &cutAtCommit{Store: store, p: p}
	h.eng = dialog.New(cs, h.reg, h.cat, h.opts...)
	withKey(h, "Primera2024a")
	const chat = "keycut"
	h.step(chat, "hola", dialog.ExpectMenu)
	h.step(chat, "3", dialog.ExpectCUIL)
	h.step(chat, maria, dialog.ExpectCurrentKey)
	cs.armed = true
	rs := h.step(chat, "Equivocada1", dialog.ExpectCurrentKey, i18n.M("change.wrong_key", "n", 4))
	if has(rs, i18n.M("error.unavailable")) {
		t.Errorf("a wrong key counted told that nothing was lost:\n%s", h.dump(rs))
	}
	p.cut(false)
	if rs := sendOnceBack(h, chat, "Equivocada2"); !has(rs, i18n.M("change.wrong_key", "n", 3)) {
		t.Fatalf("the next wrong key:\n%s", h.dump(rs))
	}
}
