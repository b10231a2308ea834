package dialog_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

var discardLog = slog.New(slog.DiscardHandler)

// replicas are two engines as two `serve` processes: each has its own
// Redis client, its own database pool and its own registry service, and
// they share one real Redis and one real PostgreSQL.
type replicas struct {
	h       *harness
	db      *sqlstore.DB
	regs    [2]*registry.Service
	engines [2]*dialog.Engine
	ids     atomic.Int64
}

func newReplicas(t *testing.T, opts ...func(i int, r *replicas) dialog.Option) *replicas {
	t.Helper()
	h := newHarness(t)
	url := testenv.PostgresDatabase(t)
	r := &replicas{h: h, db: openRegistry(t, url)}
	prefix := testenv.Prefix(t, testenv.Redis(t), "dialog")
	for i := range r.engines {
		db := r.db
		if i > 0 {
			var err error
			if db, err = sqlstore.Open(context.Background(), url, discardLog); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
		}
		r.regs[i] = h.service(db)
		o := append([]dialog.Option(nil), h.opts...)
		for _, f := range opts {
			o = append(o, f(i, r))
		}
		r.engines[i] = dialog.New(redisstore.New(testenv.Redis(t), redisstore.WithPrefix(prefix)), r.regs[i], h.cat, o...)
	}
	return r
}

// send delivers text to chat through replica i and renders the replies.
func (r *replicas) send(i int, chat, text string) []dialog.Reply {
	r.h.t.Helper()
	id := strconv.FormatInt(r.ids.Add(1), 10)
	res, err := r.engines[i%2].Handle(context.Background(), dialog.Inbound{Chat: chat, ID: id, Text: text, Channel: "test"})
	if err != nil {
		r.h.t.Errorf("Handle(%q): %v", text, err)
		return nil
	}
	return res.Replies
}

// answers are the option numbers that answer cuil's questions right, or
// with the last one wrong.
func (r *replicas) answers(cuil string, right bool) []string {
	r.h.t.Helper()
	ctx := context.Background()
	c, err := r.regs[0].Citizen(ctx, registry.CUIL(strings.ReplaceAll(cuil, "-", "")))
	if err != nil {
		r.h.t.Fatal(err)
	}
	qs, err := r.regs[0].Questions(ctx, c)
	if err != nil {
		r.h.t.Fatal(err)
	}
	var out []string
	for i, q := range qs {
		a := q.Answer
		if !right && i == len(qs)-1 {
			a = (a + 1) % len(q.Options)
		}
		out = append(out, strconv.Itoa(a+1))
	}
	return out
}

// auditCount counts cuil's audit events of action.
func (r *replicas) auditCount(cuil registry.CUIL, action registry.Action) int {
	r.h.t.Helper()
	var n int
	err := r.db.DB().GetContext(context.Background(), &n,
		r.db.DB().Rebind(`SELECT count(*) FROM audit WHERE cuil = ? AND action = ?`), string(cuil), string(action))
	if err != nil {
		r.h.t.Fatal(err)
	}
	return n
}

func lastExpect(rs []dialog.Reply) dialog.Expect {
	if len(rs) == 0 {
		return ""
	}
	return rs[len(rs)-1].Expect
}

// TestParallelChatsCannotWalkPastTheLockout is issue 8's first attack, on
// two replicas: eight chats of one CUIL are brought to the identity
// questions at once; three answer wrong, then the others answer right.
// However the chats are spread over the replicas, no more than the
// policy's three failed validations are judged, and nothing passes once
// the CUIL is locked.
func TestParallelChatsCannotWalkPastTheLockout(t *testing.T) {
	r := newReplicas(t)
	const n = 8
	chat := func(i int) string { return fmt.Sprintf("par%d", i) }
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			for _, text := range []string{"hola", "1", ana, "Ana", "López", "25/07/1990"} {
				r.send(i, chat(i), text)
			}
		})
	}
	wg.Wait()
	said := make([][]dialog.Reply, n)
	for i := range n {
		wg.Go(func() { said[i] = r.send(i+1, chat(i), "35.999.888") }) // the other replica
	}
	wg.Wait()
	var atQuestions []int
	for i, all := range said {
		switch {
		case has(all, question1):
			atQuestions = append(atQuestions, i)
		case !has(all, i18n.M("validation.busy")):
			t.Errorf("chat %d neither reached the questions nor was told why:\n%s", i, r.h.dump(all))
		}
	}
	if len(atQuestions) > registry.DefaultPolicy().Validation.Max {
		t.Errorf("%d chats reached the questions at once; the policy allows %d attempts", len(atQuestions), registry.DefaultPolicy().Validation.Max)
	}
	wrong, right := r.answers(ana, false), r.answers(ana, true)
	answer := func(i int, answers []string) []dialog.Reply {
		var rs []dialog.Reply
		for j, a := range answers {
			rs = r.send(i+j, chat(i), a)
		}
		return rs
	}
	failers := atQuestions[:min(3, len(atQuestions))]
	for _, i := range failers {
		wg.Go(func() { answer(i, wrong) })
	}
	wg.Wait()
	var passed atomic.Int32
	for _, i := range atQuestions[len(failers):] {
		wg.Go(func() {
			if rs := answer(i, right); has(rs, i18n.M("questions.ok")) {
				passed.Add(1)
			}
		})
	}
	wg.Wait()
	if p := passed.Load(); p > 0 {
		t.Errorf("%d chats passed validation after three failed", p)
	}
	cuil := registry.CUIL("27359998886")
	if l, err := r.regs[1].Lockout(context.Background(), cuil, registry.LockValidation); err != nil || !l.LockedAt(r.h.now) {
		t.Errorf("after three failed validations the CUIL is not locked: %+v, %v", l, err)
	}
	if got := r.auditCount(cuil, registry.ActionValidationLocked); got != 1 {
		t.Errorf("%d validation.locked audit events, want 1", got)
	}
}

// TestNoAnswerJudgedWhileLocked: a chat waits at the questions on one
// replica while, on the other, wrong personal data locks the CUIL. The
// waiting chat's right answers are then not judged: it is told the CUIL is
// locked.
func TestNoAnswerJudgedWhileLocked(t *testing.T) {
	r := newReplicas(t)
	for _, text := range []string{"hola", "1", ana, "Ana", "López", "25/07/1990"} {
		r.send(0, "waiting", text)
	}
	if rs := r.send(0, "waiting", "35999888"); lastExpect(rs) != dialog.ExpectChoice {
		t.Fatalf("the first chat did not reach the questions:\n%s", r.h.dump(rs))
	}
	for i := 0; ; i++ {
		chat := "locker" + strconv.Itoa(i)
		for _, text := range []string{"hola", "1", ana, "Ana", "López", "26/07/1990"} {
			r.send(1, chat, text)
		}
		if rs := r.send(1, chat, "35999888"); has(rs, i18n.M("lock.validation")) {
			break
		}
		if i == 5 {
			t.Fatal("wrong personal data never locked the CUIL")
		}
	}
	right := r.answers(ana, true)
	var rs []dialog.Reply
	for _, a := range right {
		rs = r.send(0, "waiting", a)
	}
	if has(rs, i18n.M("questions.ok")) || !has(rs, i18n.M("lock.validation")) {
		t.Fatalf("answers judged while the CUIL is locked:\n%s", r.h.dump(rs))
	}
}

// check runs a troubleshooting check of cuil in chat (from source),
// alternating replicas, giving dni and birth when asked, and returns what
// the bot said after the CUIL.
func (r *replicas) check(chat, source, cuil, dni, birth string) []dialog.Reply {
	r.h.t.Helper()
	var all []dialog.Reply
	for i, text := range []string{"menú", "4", "5", "si", cuil, dni, birth} {
		rs := r.sendFrom(i, chat, source, text)
		if i >= 4 {
			all = append(all, rs...)
		}
		if i >= 4 && lastExpect(rs) == dialog.ExpectChoice {
			break // the check ended early (limited)
		}
	}
	return all
}

// sendFrom is send with the REST channel's source address.
func (r *replicas) sendFrom(i int, chat, source, text string) []dialog.Reply {
	r.h.t.Helper()
	id := strconv.FormatInt(r.ids.Add(1), 10)
	res, err := r.engines[i%2].Handle(context.Background(), dialog.Inbound{Chat: chat, ID: id, Text: text, Channel: "rest", Source: source})
	if err != nil {
		r.h.t.Errorf("Handle(%q): %v", text, err)
		return nil
	}
	return res.Replies
}

// TestStrangerProbingCUILs plays someone who types other people's CUILs
// into "Tengo un problema", on two replicas sharing Redis (the limits) and
// PostgreSQL. Without the person's DNI and birth date a stranger learns
// nothing, not even whether the CUIL is registered; the checks are
// limited per chat, per source and per CUIL; the owner learns the state.
func TestStrangerProbingCUILs(t *testing.T) {
	// One prefix for both replicas, as serve's replicas share one Redis:
	// each had a limiter of its own, so no limit was counted across them.
	limits := testenv.Prefix(t, testenv.Redis(t), "limits")
	r := newReplicas(t, func(i int, r *replicas) dialog.Option {
		return dialog.WithLimiter(redisstore.NewLimiter(testenv.Redis(t), limits))
	})
	// María has a key; Ana's validation is locked.
	ctx := context.Background()
	phc, err := r.regs[0].HashKey(ctx, "Primera2024a")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.regs[0].SetKey(ctx, "20314567898", phc, registry.ActionKeyCreated, "test"); err != nil {
		t.Fatal(err)
	}
	for range registry.DefaultPolicy().Validation.Max {
		if _, err := r.regs[0].FailValidation(ctx, "27359998886"); err != nil {
			t.Fatal(err)
		}
	}
	// A CUIL in no record, locked as Ana's is (wrong data count for any
	// CUIL): a check of either tells the lock alone, so the lock tells
	// nothing of the record.
	unknownLocked := validCUIL(33444556)
	for range registry.DefaultPolicy().Validation.Max {
		if _, err := r.regs[0].FailValidation(ctx, registry.CUIL(strings.ReplaceAll(unknownLocked, "-", ""))); err != nil {
			t.Fatal(err)
		}
	}
	leaks := []i18n.Message{i18n.M("check.registered"), i18n.M("check.has_key"), i18n.M("check.no_key"), i18n.M("check.key_locked")}
	var answers, lockedAnswers [][]string
	for i, cuil := range []string{maria, ana, juan, "20-33444555-1", unknownLocked} {
		// The DNI is in the CUIL; the birth date is the stranger's guess.
		dni := strings.Split(cuil, "-")[1]
		all := r.check(fmt.Sprintf("stranger%d", i), "", cuil, dni, "01/01/1980")
		for _, leak := range leaks {
			if has(all, leak) {
				t.Fatalf("a stranger who typed %s was told %s:\n%s", cuil, show(leak), r.h.dump(all))
			}
		}
		if cuil == ana || cuil == unknownLocked {
			if !has(all, i18n.M("lock.validation")) {
				t.Fatalf("a stranger who typed the locked %s was not told the lock:\n%s", cuil, r.h.dump(all))
			}
			lockedAnswers = append(lockedAnswers, keys(all))
			continue
		}
		answers = append(answers, keys(all))
	}
	if !slices.Equal(lockedAnswers[0], lockedAnswers[1]) {
		t.Fatalf("a registered and an unregistered locked CUIL are answered differently:\n%s\n---\n%s", lockedAnswers[0], lockedAnswers[1])
	}
	for i := range answers {
		if !slices.Equal(answers[i], answers[0]) {
			t.Fatalf("registered and unregistered CUILs are answered differently:\n%s\n---\n%s", answers[0], answers[i])
		}
	}

	t.Run("per chat", func(t *testing.T) {
		var all []dialog.Reply
		for range 6 {
			all = r.check("one-chat", "", juan, "40111222", "01/01/1980")
		}
		if !has(all, i18n.M("check.limited")) {
			t.Fatalf("the sixth check of one chat within the hour:\n%s", r.h.dump(all))
		}
	})
	t.Run("per source", func(t *testing.T) {
		var all []dialog.Reply
		for i := range 21 {
			all = r.check(fmt.Sprintf("fresh%d", i), "198.51.100.7", validCUIL(30000000+i), "1", "01/01/1980")
		}
		if !has(all, i18n.M("check.limited")) {
			t.Fatalf("the 21st check from one address, each from a new chat:\n%s", r.h.dump(all))
		}
		if all := r.check("fresh-other", "198.51.100.8", maria, "31456789", "14/03/1985"); !has(all, i18n.M("check.has_key")) {
			t.Fatalf("another address is limited too:\n%s", r.h.dump(all))
		}
	})
	// A loopback address speaks for everyone behind a local proxy (serve
	// without --api-token listens on loopback only), as at the CUIL step:
	// counted as one source, 20 checks by anyone there refused every other
	// person's for the hour, and told them "Hiciste muchas consultas
	// seguidas" (an attack probe on serve).
	t.Run("loopback is no source", func(t *testing.T) {
		for i := range 25 {
			all := r.check(fmt.Sprintf("behind-proxy%d", i), "127.0.0.1", validCUIL(31000000+i), "1", "01/01/1980")
			if has(all, i18n.M("check.limited")) {
				t.Fatalf("check %d from loopback, each from a new chat, was refused:\n%s", i+1, r.h.dump(all))
			}
		}
	})
	t.Run("per CUIL", func(t *testing.T) {
		// Guessing Juan's birth date from many chats and addresses.
		for i := range 6 {
			r.check(fmt.Sprintf("guess%d", i), fmt.Sprintf("192.0.2.%d", i), juan, "40111222", fmt.Sprintf("%02d/11/1997", i+3))
		}
		// Juan, from his own chat, made one check: he is told the CUIL
		// was checked many times, never that he made too many (he was
		// told "Hiciste muchas consultas seguidas": a probe).
		all := r.check("guess-right", "192.0.2.99", juan, "40111222", "02/11/1997")
		if !has(all, i18n.M("check.cuil_limited")) || has(all, i18n.M("check.limited")) || has(all, i18n.M("check.has_key")) || has(all, i18n.M("check.no_key")) {
			t.Fatalf("the seventh proof of one CUIL in a day, with the right birth date:\n%s", r.h.dump(all))
		}
	})
	t.Run("owner", func(t *testing.T) {
		// While it lasts the lock is all a check tells, whatever the
		// data (see TestLockedCUILCheckJudgesNothing).
		all := r.check("owner", "203.0.113.5", ana, "35.999.888", "25/07/1990")
		if !has(all, i18n.M("lock.validation")) || has(all, i18n.M("check.no_key")) {
			t.Fatalf("the owner of a locked CUIL is not told the lock alone:\n%s", r.h.dump(all))
		}
	})
}

// validCUIL makes a CUIL with a valid check digit from a DNI number.
func validCUIL(dni int) string {
	for _, prefix := range []string{"20", "27", "23"} {
		first := fmt.Sprintf("%s%08d", prefix, dni)
		if d := registry.CheckDigit(first); d >= 0 {
			return fmt.Sprintf("%s-%08d-%d", prefix, dni, d)
		}
	}
	panic("no prefix fits")
}

// TestLeavingTheQuestionsCannotWalkPastTheLockout: rounds left before their
// end are given back (Service.LeaveValidation). An attacker who knows the
// person's data opens eight chats on two replicas, again and again: each
// reaches the questions, answers one and leaves. Never more than the
// policy's attempts are at the questions at once, nothing left is counted,
// and the wrong rounds that are answered to their end still lock at three.
func TestLeavingTheQuestionsCannotWalkPastTheLockout(t *testing.T) {
	r := newReplicas(t)
	const n = 8
	cuil := registry.CUIL("27359998886")
	allowed := registry.DefaultPolicy().Validation.Max
	data := []string{"hola", "1", ana, "Ana", "López", "25/07/1990", "35.999.888"}
	for round := range 3 {
		chat := func(i int) string { return fmt.Sprintf("leave%d-%d", round, i) }
		var wg sync.WaitGroup
		said := make([][]dialog.Reply, n)
		for i := range n {
			wg.Go(func() {
				for _, text := range data {
					said[i] = r.send(i, chat(i), text)
				}
			})
		}
		wg.Wait()
		var at []int
		for i, rs := range said {
			if has(rs, question1) {
				at = append(at, i)
			}
		}
		if len(at) == 0 || len(at) > allowed {
			t.Fatalf("round %d: %d chats at the questions at once, want 1 to %d", round, len(at), allowed)
		}
		for _, i := range at {
			wg.Go(func() {
				r.send(i+1, chat(i), "1") // one answer, nothing told of it
				if rs := r.send(i, chat(i), "cancelar"); !has(rs, i18n.M("questions.left")) {
					t.Errorf("round %d, chat %d: leaving said %s", round, i, r.h.dump(rs))
				}
			})
		}
		wg.Wait()
		if l, err := r.regs[0].Lockout(context.Background(), cuil, registry.LockValidation); err != nil || l.Failures != 0 {
			t.Fatalf("round %d: rounds left counted: %+v, %v", round, l, err)
		}
	}
	// Wrong rounds answered to their end count, and lock at three. A round
	// failed begins the next in its chat, which holds its place (a third
	// chat would be told others are in progress): the third is answered
	// there.
	wrong := r.answers(ana, false)
	started := map[string]bool{}
	for i := range allowed {
		chat := fmt.Sprintf("wrong-%d", i%2)
		if !started[chat] {
			for _, text := range data {
				r.send(i, chat, text)
			}
			started[chat] = true
		}
		for j, a := range wrong {
			r.send(i+j, chat, a)
		}
	}
	if l, err := r.regs[1].Lockout(context.Background(), cuil, registry.LockValidation); err != nil || !l.LockedAt(r.h.now) {
		t.Fatalf("after three wrong rounds: %+v, %v", l, err)
	}
	if got := r.auditCount(cuil, registry.ActionValidationLocked); got != 1 {
		t.Errorf("%d validation.locked audit events, want 1", got)
	}
}

// TestLockedCUILJudgesNoData plays someone who knows only a CUIL: three
// wrong birth dates lock it, then they guess on, one chat a guess. While
// the CUIL is locked, right personal data must be answered as wrong ones
// are (the lock), never with what follows data that matched (the offer
// of the other flow, the número de trámite, the questions): else every
// guess is judged, uncounted, and the right one is told (an attacker's
// probe: a birth date found in 285 guesses, in 39 s).
func TestLockedCUILJudgesNoData(t *testing.T) {
	for _, tc := range []struct {
		name, flow, cuil string
		data             []string
		hasKey           bool
	}{
		{"recover without a key", "2", ana, []string{"Ana", "López", "25/07/1990", "35999888"}, false},
		{"create without a key", "1", ana, []string{"Ana", "López", "25/07/1990", "35999888"}, false},
		{"create with a trámite", "1", juan, []string{"Juan", "Pérez", "02/11/1997", "40111222"}, false},
		{"create with a key", "1", maria, []string{"María Belén", "Gómez Ruiz", "14/03/1985", "31456789"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			cuil := registry.CUIL(strings.ReplaceAll(tc.cuil, "-", ""))
			if tc.hasKey {
				phc, err := h.reg.HashKey(h.ctx, "Mate2025amargo")
				if err != nil {
					t.Fatal(err)
				}
				if err := h.reg.SetKey(h.ctx, cuil, phc, registry.ActionKeyCreated, "test"); err != nil {
					t.Fatal(err)
				}
			}
			var lock registry.Lockout
			for range h.reg.Policy().Validation.Max {
				var err error
				if lock, err = h.reg.FailValidation(h.ctx, cuil); err != nil {
					t.Fatal(err)
				}
			}
			h.step("g", "hola", dialog.ExpectMenu)
			h.send("g", tc.flow)
			h.send("g", tc.cuil)
			var rs []dialog.Reply
			for _, d := range tc.data {
				rs = h.send("g", d)
			}
			if !has(rs, i18n.M("lock.validation")) || lastExpect(rs) != dialog.ExpectChoice {
				t.Fatalf("right data for a locked CUIL were judged:\n%s", h.dump(rs))
			}
			if l, err := h.reg.Lockout(h.ctx, cuil, registry.LockValidation); err != nil || l != lock {
				t.Errorf("lockout after the guess: %+v, %v; want %+v as before it", l, err, lock)
			}
		})
	}
}

// noQuestions is the registry of a CUIL whose record allows no identity
// question (every kind thinned away, see registry/distractors.go).
type noQuestions struct{ *registry.Service }

func (n noQuestions) BeginQuestions(ctx context.Context, c *registry.Citizen, keyed bool) (registry.Round, error) {
	r, err := n.Service.BeginQuestions(ctx, c, keyed)
	r.Questions = nil
	return r, err
}

// TestNoQuestionsIsNoDeadEnd: a record that allows no question was told
// "Ahora te hago 0 preguntas" and dropped at the menu, each time holding
// one of the CUIL's validation attempts: after three, a person whose data
// were right was told other attempts were under way, then locked (a
// contract probe). They are told to validate at an office or with a
// person, and nothing is counted.
func TestNoQuestionsIsNoDeadEnd(t *testing.T) {
	h := newHarness(t)
	h.eng = dialog.New(h.store, noQuestions{h.reg}, h.cat, h.opts...)
	for i := range h.reg.Policy().Validation.Max + 1 {
		chat := "p" + strconv.Itoa(i)
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, "1", dialog.ExpectCUIL)
		h.step(chat, ana, dialog.ExpectFirstNames)
		h.send(chat, "Ana")
		h.send(chat, "López")
		h.send(chat, "25/07/1990")
		rs := h.send(chat, "35999888")
		if !has(rs, i18n.M("questions.none")) || has(rs, i18n.M("questions.intro")) || lastExpect(rs) != dialog.ExpectMenu {
			t.Fatalf("try %d, a record without questions:\n%s", i+1, h.dump(rs))
		}
	}
	cuil := registry.CUIL(strings.ReplaceAll(ana, "-", ""))
	if l, err := h.reg.Lockout(h.ctx, cuil, registry.LockValidation); err != nil || l.Failures != 0 || l.LockedAt(h.now) {
		t.Errorf("lockout after tries without questions: %+v, %v", l, err)
	}
	if att, err := h.reg.BeginValidation(h.ctx, cuil); err != nil || att.Refused() {
		t.Errorf("an attempt after tries without questions: %+v, %v", att, err)
	}
}

// TestRedisHoldsNoAnswers: while a person answers the identity questions,
// the chat's state in Redis held the right answers: whoever read Redis or
// a backup of it had a reusable answer key of everyone validating then, as
// a CUIL's questions come back the same (an attacker's probe). The state
// holds the questions without answers; the round is still judged right.
func TestRedisHoldsNoAnswers(t *testing.T) {
	h := newHarness(t)
	rdb := testenv.Redis(t)
	prefix := h.useRedis(rdb)
	const chat = "rest:answers"
	h.toDNIStep(chat)
	h.step(chat, "31.456.789", dialog.ExpectChoice, question1)
	right := h.questions(maria)
	if !slices.ContainsFunc(right, func(q registry.Question) bool { return q.Answer != 0 }) {
		t.Fatal("every right answer is the first option: the test cannot tell")
	}
	raw, err := rdb.Get(context.Background(), prefix+"state:{"+chat+"}").Bytes()
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Q []registry.Question `json:"q"`
	}
	if err := json.Unmarshal(raw, &st); err != nil || len(st.Q) != len(right) {
		t.Fatalf("state %s: %v", raw, err)
	}
	for i, q := range st.Q {
		if q.Answer != 0 {
			t.Errorf("question %d's answer is in Redis: %d (%s)", i+1, q.Answer, raw)
		}
	}
	rs := h.answerQuestions(chat, maria, false)
	if lastExpect(rs) != dialog.ExpectNewKey {
		t.Fatalf("right answers not judged right:\n%s", h.dump(rs))
	}
}
