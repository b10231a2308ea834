package dialog

import (
	"context"
	"fmt"
	"slices"
)

// A turn whose state is not saved (Redis gone as it committed, or a
// dependency failing halfway) leaves the chat at the state before it. Most
// of what it did is given back or redone by the next message; two things
// are not. A round of identity questions judged is judged: the state
// before still asks its last question, whose answer would judge nothing
// ("ya no vale"). A code sent is in the person's inbox, while no chat
// holds its reference, so it can never be used. The person is told so,
// rather than that nothing was lost.

// undoUnsaved gives back what a turn whose state is not saved reserved,
// and the minute of the code it sent, so that the address typed again
// gets a code that works at once.
func (e *Engine) undoUnsaved(ctx context.Context, t *turn, raw []byte) {
	e.giveBackUnsaved(ctx, t, raw)
	if t.sent == nil {
		return
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), giveBackTimeout)
	defer cancel()
	if err := e.reg.CancelCode(cctx, *t.sent); err != nil {
		e.log.Warn("the minute of a code sent by a turn not saved was not given back", "err", err)
	}
}

// restartAfterJudged answers, on t (the state before), a turn that judged
// a round and was not saved: the judgment it told, that the place was
// lost, and the menu. That restart is saved when the store takes it (the
// turn failed on the database, Redis works), so every replica reads the
// chat's next message at the menu; else the chat's next message here is
// read there (restartIfJudged), and another replica, finding the round's
// last question, judges nothing and says the attempt no longer counts.
func (e *Engine) restartAfterJudged(ctx context.Context, lease Lease, t *turn, failed *turn, secret bool) {
	t.transcribe(t.in, secret)
	t.out = append(t.out, failed.judged...)
	t.say("error.unsaved_restart")
	if failed.sent != nil {
		t.say("error.unsaved_code")
	}
	round, until := restartMark(t.st), t.now.Add(e.stateTTL(t.st))
	t.menu()
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), giveBackTimeout)
	defer cancel()
	if !failed.unsaved {
		if err := e.commit(cctx, lease, t); err == nil {
			e.remember(t.in.Chat, Result{Replies: t.replies()}, t.st, t.now)
			return
		}
	}
	if err := e.store.Release(cctx, lease); err != nil {
		e.log.Warn("release failed", "err", err)
	}
	e.recent.put(t.in.Chat, recentChat{expect: t.expect(), until: until, restart: round})
}

// restartIfJudged starts t at the menu when this process told the chat
// its round was judged in a turn not saved and the state still holds that
// round: the person was shown the menu.
func (e *Engine) restartIfJudged(t *turn) {
	rc, ok := e.recent.get(t.in.Chat)
	if !ok || rc.restart == "" || rc.restart != restartMark(t.st) {
		return
	}
	t.st.reset()
	t.st.Step = StepMenu
}

// restartMark names the state a restart told in memory applies to: its
// round's attempt, or, for data judged before any round, the CUIL, step
// and time of the state saved before that turn. A state another replica
// has moved on since is not reset.
func restartMark(st *State) string {
	if st.Attempt != "" {
		return st.Attempt
	}
	return fmt.Sprintf("%s@%s@%d", st.CUIL, st.Step, st.Seen.Unix())
}

// tell notes the replies so far as a counted failure's that keeps the
// person at the step they are at (see turn.told).
func (t *turn) tell() {
	t.told, t.toldAt = slices.Clone(t.out), t.st.Step
}

// toldAgain answers, on t (the state before), a turn not saved that told
// a counted failure at the step t is still at: the same words and the
// same question, instead of "no perdiste nada" and a second count when
// the person types it again. It reports whether it did.
func toldAgain(t *turn, failed *turn) bool {
	if len(failed.told) == 0 || t.st.Step != failed.toldAt {
		return false
	}
	t.out = append(t.out, failed.told...)
	t.prompt()
	return true
}
