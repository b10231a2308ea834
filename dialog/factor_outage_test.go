package dialog_test

import (
	"context"
	"errors"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// codesDown is a registry whose codes cannot be issued while down
// (PostgreSQL gone between the judgment of the questions and the code).
type codesDown struct {
	dialog.Registry
	down bool
}

func (c *codesDown) IssueCode(ctx context.Context, cuil registry.CUIL, p registry.CodePurpose, to registry.Contact) (registry.Code, error) {
	if c.down {
		return registry.Code{}, errs.E(errs.Unavailable, "issue code", errors.New("connection reset by peer"))
	}
	return c.Registry.IssueCode(ctx, cuil, p, to)
}

// PostgreSQL lost after the identity questions passed, as the recovery's
// code was issued, had the person told "¡Listo, validamos tu identidad!"
// and then "vamos a tener que empezar de nuevo", back at the menu, to type
// the CUIL, the DNI, the birth date and three answers again (a resilience
// probe: serve on a PostgreSQL killed mid-turn). Only the process that
// answered knew of that restart: the chat's next message at another
// replica was read as an answer to the last question, whose round was
// judged. The questions are passed and Redis works: the person keeps
// their place at the code, told it could not be sent, and «Reenviar el
// código» sends it once the database is back.
func TestCodeNotIssuedAfterTheQuestionsKeepsThePlace(t *testing.T) {
	h, box := newContactHarness(t)
	verifiedEmail(h, box)
	reg := &codesDown{Registry: h.reg}
	h.eng = dialog.New(h.store, reg, h.cat, h.opts...)
	const chat = "codedown"
	reg.down = true
	rs := toFactor(h, chat)
	if last(rs).Expect != dialog.ExpectCode || !has(rs, i18n.M("questions.ok")) || !has(rs, i18n.M("code.unavailable")) || has(rs, i18n.M("error.unsaved_restart")) {
		t.Fatalf("the code not issued after the questions passed:\n%s", h.dump(rs))
	}
	reg.down = false
	h.restart() // another replica: what the person was told is in the state
	h.step(chat, "reenviar", dialog.ExpectCode, codeSent("m***@gmail.com"))
	h.step(chat, box.last(t).Value, dialog.ExpectNewKey)
}

// roundsDown is a registry that cannot begin a round of questions while
// down (PostgreSQL gone right after a round was judged).
type roundsDown struct {
	dialog.Registry
	down bool
}

func (r *roundsDown) BeginValidation(ctx context.Context, cuil registry.CUIL) (registry.Attempt, error) {
	if r.down {
		return registry.Attempt{}, errs.E(errs.Unavailable, "begin validation", errors.New("connection refused"))
	}
	return r.Registry.BeginValidation(ctx, cuil)
}

// A turn that judged a round and then failed on PostgreSQL (the next
// round not begun) told the person to start over at the menu, but only
// the replica that answered knew it: Redis still held the round's last
// question, so the same "1" at another replica was read as its answer
// and got that the attempt no longer counted. Redis works, so the
// restart is saved: any replica reads the next message at the menu.
func TestRestartAfterAJudgedRoundReachesEveryReplica(t *testing.T) {
	h := newHarness(t)
	reg := &roundsDown{Registry: h.reg}
	h.eng = dialog.New(h.store, reg, h.cat, h.opts...)
	const chat = "judged-pg"
	h.toDNIStep(chat)
	h.step(chat, "31.456.789", dialog.ExpectChoice)
	reg.down = true
	rs := h.answerQuestions(chat, maria, true)
	if last(rs).Expect != dialog.ExpectMenu || !has(rs, i18n.M("questions.failed")) || !has(rs, i18n.M("error.unsaved_restart")) {
		t.Fatalf("the round judged, the next not begun:\n%s", h.dump(rs))
	}
	reg.down = false
	h.restart() // another replica
	h.step(chat, "1", dialog.ExpectCUIL, i18n.M("create.checklist"))
}
