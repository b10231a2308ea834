package dialog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
)

// Engine runs the conversation: one turn per inbound message, each chat's
// turns one after the other (the StateStore's lock), its state saved only
// when the turn succeeds, so a failure never loses a person's place.
type Engine struct {
	store     StateStore
	reg       Registry
	catalog   *i18n.Catalog
	clf       Classifier
	desk      Desk
	reminders Reminders
	// hasDesk and hasReminders say whether the options gave a desk and
	// reminders: only then does the bot offer them to a person.
	hasDesk, hasReminders bool
	deskHours             i18n.Message // when the desk answers, as said; zero: not said
	codes                 CodeSender
	rec                   Recorder
	limits                Limiter
	now                   func() time.Time
	log                   *slog.Logger
	answerMin             float64 // classifier score to answer a question
	suggest               float64 // score to offer "¿Quisiste decir…?"
	maxInput              int     // longest message read, in runes
	steps                 map[Step]*stepDef
	flows                 map[Flow]*flowDef
	labels                *optionLabels
	recent                recentChats // see recent.go
	proofKey              []byte      // seals what a chat's state says it proved (see proof.go)
	answersKey            []byte      // seals a round's answers given so far (see answerseal.go)
	judgedKey             []byte      // seals the personal data judged so far (see judgedseal.go)
	proofMACs, judgedMACs sync.Pool   // HMACs of proofKey and judgedKey (see sealSum)
}

// Option configures an Engine.
type Option func(*Engine)

// WithClassifier lets the engine understand free text.
func WithClassifier(c Classifier, answerMin, suggestMin float64) Option {
	return func(e *Engine) {
		if c != nil { // nil is none, as it always was
			e.clf, e.answerMin, e.suggest = c, answerMin, suggestMin
		}
	}
}

// WithDesk enables the hand-off to help-desk agents.
func WithDesk(d Desk) Option {
	return func(e *Engine) {
		if d != nil { // nil is none, as it always was
			e.desk, e.hasDesk = d, true
		}
	}
}

// WithDeskHours is when the desk's agents answer, as said to a person
// ("de lunes a viernes de 8:00 a 20:00"), for the answer to "¿en qué
// horario atienden?"; without it the answer says they have their hours.
func WithDeskHours(m i18n.Message) Option { return func(e *Engine) { e.deskHours = m } }

// WithReminders lets the bot offer to write when a lockout is over.
func WithReminders(r Reminders) Option {
	return func(e *Engine) {
		if r != nil { // nil is none, as it always was
			e.reminders, e.hasReminders = r, true
		}
	}
}

// WithRecorder receives the engine's events (funnels, FAQ ratings).
func WithRecorder(r Recorder) Option { return func(e *Engine) { e.rec = r } }

// WithClock injects the time.
func WithClock(now func() time.Time) Option { return func(e *Engine) { e.now = now } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(e *Engine) { e.log = l } }

// New returns an Engine over its state store, the registry and the
// catalogs (used to match an option by its label in any language). What
// the options do not give does nothing: no classifier understands no
// free text, no desk and no reminders are not offered, no code sender
// sends no code, no recorder records nothing, no limiter limits nothing.
func New(store StateStore, reg Registry, catalog *i18n.Catalog, opts ...Option) *Engine {
	e := &Engine{
		store: store, reg: reg, catalog: catalog,
		clf: noClassifier{}, desk: noDesk{}, reminders: noReminders{}, codes: noCodeSender{},
		rec: nopRecorder{}, limits: noLimits{}, now: time.Now, log: slog.New(slog.DiscardHandler),
		maxInput: 1000, steps: stepTable(), flows: flowTable(), labels: foldLabels(catalog),
	}
	if reg != nil {
		e.proofKey = reg.DerivedKey("chat proof")
		e.answersKey = reg.DerivedKey("chat answers")
		e.judgedKey = reg.DerivedKey("chat judged")
	}
	for _, o := range opts {
		o(e)
	}
	e.log = e.log.With("component", "dialog")
	return e
}

// Handle runs one turn. A repeated message id produces no replies, or,
// with in.Replay, the replies it had (see replay.go). When the registry is
// unavailable the person is told so and asked the same question again;
// their state is left as it was.
func (e *Engine) Handle(ctx context.Context, in Inbound) (Result, error) {
	lease, raw, err := e.acquire(ctx, in)
	if errors.Is(err, ErrDuplicate) {
		return e.replay(in, lease.Replies), nil
	}
	if errs.Is(errs.Unavailable, err) {
		return e.stateUnavailable(ctx, in, err), nil
	}
	if err != nil {
		return Result{}, fmt.Errorf("dialog: acquire chat: %w", err)
	}
	if lease.New.Refused {
		// The store gave the lock back: nothing of the chat is kept.
		return e.chatLimited(ctx, in, lease.New.Retry), nil
	}
	ctx, stop := e.hold(ctx, lease)
	defer stop()
	if raw == nil && !lease.Expired {
		if res, ok := e.newChatAllowed(ctx, in, lease); !ok {
			return res, nil
		}
	}
	t, err := e.newTurn(ctx, in, raw)
	if err != nil {
		e.log.Warn("unreadable chat state, starting over", "err", err)
	}
	t.counts, t.armed = lease.Counts, lease.Armed
	e.restartIfJudged(t)
	// Whether the text is a key is decided by the step the person was at,
	// even when that step has just idled out; in a chat whose state was
	// lost, by whether it looks like one.
	// A photo's caption counts as its text here, and only here (see
	// convo.Inbound.Caption).
	secret := t.def().secret && (in.Text != "" || in.Caption != "")
	expired := lease.Expired || t.resetIfIdle()
	if !expired && raw == nil {
		t.lost = e.lost(in.Chat, lease.LostAt, t.now)
		secret = secret || t.lost != notLost && (mayBeKey(in.Text) || mayBeKey(in.Caption))
	}
	t.transcribe(in, secret)
	t.secret = secret
	if !secret && (keyInText(in.Text) || keyInText(in.Caption)) {
		// "quiero cambiar mi clave, mi clave actual es …" at the menu:
		// the message holds a key, so channels delete it where they can,
		// and the person is told not to type it but where it is asked
		// (it stayed in the chat's history, unsaid; found by a probe).
		// The transcript has masked it already. The request is still
		// read (t.secret stays the step's: an idled-out key step drops
		// its message, this one is not one).
		secret = true
		t.say("input.key_typed")
	}
	err = t.run(expired)
	// A key typed alone where none is asked is deleted as a key step's.
	secret = secret || t.keyTyped
	if err != nil {
		err = leaseLost(ctx, err)
		e.undoUnsaved(ctx, t, raw)
		return e.failTurn(ctx, lease, in, raw, secret, err, t)
	}
	res := Result{Replies: t.replies(), Secret: secret}
	if in.Replay && in.ID != "" {
		// Kept in the commit's own round trip; a reply that cannot be
		// kept is no reason to fail the turn that has it.
		if lease.Replies, err = encodeReplay(res); err != nil {
			e.log.Warn("replies not kept for a repeated id", "err", err)
		}
	}
	cctx := ctx
	if t.stored {
		// The key is stored: its state is saved even when the turn's
		// deadline has passed (a slow database), with time of its own.
		var cancel context.CancelFunc
		cctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), storedCommitTimeout)
		defer cancel()
	}
	if err := e.commit(cctx, lease, t); err != nil {
		// The lock is given back (when still the lease's) rather than
		// left to block the chat until it expires.
		if rerr := e.store.Release(context.WithoutCancel(ctx), lease); rerr != nil {
			e.log.Warn("release after a failed commit failed", "err", rerr)
		}
		if t.stored {
			// The key is the person's: they are told so now, and the
			// chat's next message, finding the state before this turn,
			// hears it again (keyStoredBefore) instead of being asked
			// for the key.
			e.log.Warn("key stored but the chat's state not saved", "channel", in.Channel, "err", err)
			return res, nil
		}
		e.undoUnsaved(ctx, t, raw)
		if errs.Is(errs.Unavailable, err) {
			// Redis went away: the state is the one before this turn,
			// whose question is asked again, with its expect.
			t.unsaved = true
			return e.failTurn(ctx, lease, in, raw, secret, err, t)
		}
		return Result{}, fmt.Errorf("dialog: commit chat: %w", err)
	}
	e.remember(in.Chat, res, t.st, t.now)
	return res, nil
}

// giveBackUnsaved gives back the validation attempt t reserved when its
// state is not saved: the chat keeps the state before the turn, which
// does not hold it, so no round would ever settle it, and held it counts
// as a failure of the person's until it expires (an hour; a Redis lost
// at the commit of such turns told the person other attempts were under
// way and made them wait it out). What the turn judged stays judged.
func (e *Engine) giveBackUnsaved(ctx context.Context, t *turn, raw []byte) {
	id := t.st.Attempt
	if id == "" {
		return
	}
	if before, err := decodeState(raw); err == nil && before.Attempt == id {
		return
	}
	gctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), giveBackTimeout)
	defer cancel()
	if err := e.reg.LeaveValidation(gctx, t.st.CUIL, id); err != nil {
		e.log.Warn("an attempt reserved by a turn not saved was not given back; it is when it expires", "err", err)
	}
}

// giveBackTimeout bounds giving back an attempt after a turn failed,
// past the turn's own deadline when that is what failed it.
const giveBackTimeout = 2 * time.Second

// storedCommitTimeout bounds the saving of a turn's state after it stored
// a key, past the turn's own deadline.
const storedCommitTimeout = 5 * time.Second

// replay answers a repeated message id: with the replies kept for it when
// the channel asks for them, else with none.
func (e *Engine) replay(in Inbound, kept []byte) Result {
	if !in.Replay || len(kept) == 0 {
		return Result{}
	}
	res, err := decodeReplay(kept)
	if err != nil {
		e.log.Warn("replies kept for a repeated id unreadable", "err", err)
		return Result{}
	}
	return res
}

// commit saves the turn's state and appends its transcript lines, or
// releases the chat when they cannot be encoded.
func (e *Engine) commit(ctx context.Context, lease Lease, t *turn) error {
	// To the second, which the idle timeout needs: the nanoseconds of a
	// real clock were ten bytes more in every state in Redis.
	t.st.Seen = t.now.Truncate(time.Second)
	t.sealClaims()
	t.sealAnswers()
	t.sealJudged()
	state, err := t.st.encode()
	var lines [][]byte
	if err == nil {
		lines, err = t.newLines()
	}
	if err != nil {
		_ = e.store.Release(ctx, lease)
		return fmt.Errorf("encode state: %w", err)
	}
	lease.Counts = liveCounts(t.counts, t.now)
	// The chat's next turn, at the CUIL step, has the store reserve a use
	// of its source's CUILs when it takes the chat; this turn's unspent
	// one is given back.
	lease.Arm = t.st.Step == StepCUIL && e.cuilSourceKey(t.in) != ""
	lease.Spent = !t.armed.Counted || t.spent
	return e.store.Commit(ctx, lease, state, lines, e.stateTTL(t.st))
}

// idleGrace keeps a state in Redis a little past the idle timeout, so the
// engine still knows the step (a key step?) of a chat that idled out.
const idleGrace = 5 * time.Minute

// queueTTL keeps the state of a chat waiting for an agent, which may wait
// longer than the idle timeout: a message left on a Friday night is
// answered on Monday.
const queueTTL = 7 * 24 * time.Hour

func (e *Engine) stateTTL(st *State) time.Duration {
	if d, ok := e.steps[st.Step]; ok && d.waits {
		return queueTTL
	}
	return e.reg.Policy().IdleTimeout + idleGrace
}

// resetIfIdle starts the chat over when its last message is older than
// the idle timeout, forgetting everything (and so any key hash), and
// reports whether it did; the transcript, kept apart, stays. A chat
// waiting for an agent does not idle out.
func (t *turn) resetIfIdle() bool {
	st := t.st
	if st.Seen.IsZero() || t.def().waits || t.now.Sub(st.Seen) <= t.e.reg.Policy().IdleTimeout {
		return false
	}
	// A round of questions left by going quiet is given back, as one
	// left by "cancelar" (found by a probe: it counted). One never come
	// back to is given back when its reservation expires.
	if st.Attempt != "" {
		if err := t.e.reg.LeaveValidation(t.ctx, st.CUIL, st.Attempt); err != nil {
			t.e.log.Warn("give back an idle round's attempt failed", "err", err)
		}
	}
	*st = State{}
	return true
}

// failTurn answers a turn that could not finish: the state is not saved and
// the message is not marked as handled, so nothing is lost.
func (e *Engine) failTurn(ctx context.Context, lease Lease, in Inbound, raw []byte, secret bool, cause error, failed *turn) (Result, error) {
	unavailable := errs.Is(errs.Unavailable, cause) || errors.Is(cause, context.DeadlineExceeded)
	if unavailable && len(failed.judged) > 0 {
		e.log.Warn("dependency unavailable during turn", "channel", in.Channel, "err", cause)
		t, _ := e.newTurn(ctx, in, raw)
		t.event(Event{Name: "unavailable"})
		e.restartAfterJudged(ctx, lease, t, failed, secret)
		return Result{Replies: t.replies(), Secret: secret}, nil
	}
	if err := e.store.Release(context.WithoutCancel(ctx), lease); err != nil {
		e.log.Warn("release failed", "err", err)
	}
	if !unavailable {
		return Result{}, fmt.Errorf("dialog: turn: %w", cause)
	}
	e.log.Warn("dependency unavailable during turn", "channel", in.Channel, "err", cause)
	t, _ := e.newTurn(ctx, in, raw)
	t.event(Event{Name: "unavailable"})
	if toldAgain(t, failed) {
		return Result{Replies: t.replies(), Secret: secret}, nil
	}
	t.say("error.unavailable")
	if failed.sent != nil {
		t.say("error.unsaved_code")
	}
	t.prompt()
	return Result{Replies: t.replies(), Secret: secret}, nil
}

func (e *Engine) newTurn(ctx context.Context, in Inbound, raw []byte) (*turn, error) {
	st, err := decodeState(raw)
	if err != nil {
		st = &State{}
	}
	// A state written before the transcript was kept apart carries it:
	// it goes to the store's transcript with this turn's lines.
	t := &turn{e: e, ctx: ctx, in: in, st: st, now: e.now(), lines: st.LegacyTranscript}
	st.LegacyTranscript = nil
	t.openAnswers()
	t.openJudged()
	t.checkClaims()
	return t, err
}
