package dialog_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/registry"
)

// engineOnlyRegistry is the registry as issue 14's flow meets it, read
// from memory: one citizen's record and one round of identity questions,
// taken once from the test registry, so that a benchmark over it counts
// the engine's own work and none of SQLite's. What is pure computation
// in production (the answers' seal, the derived keys, the policy) is the
// real registry's. A call the flow does not make reaches the nil
// Registry embedded and panics: the benchmark cannot count SQLite
// without saying so.
type engineOnlyRegistry struct {
	dialog.Registry // nil
	svc             *registry.Service
	citizen         registry.Citizen
	questions       []registry.Question
	attempts        atomic.Int64
}

var _ dialog.Registry = (*engineOnlyRegistry)(nil)

// newEngineOnlyRegistry reads cuil's record and draws its questions from
// h's registry.
func newEngineOnlyRegistry(tb testing.TB, h *harness, cuil string) *engineOnlyRegistry {
	tb.Helper()
	id, err := registry.ParseCUIL(cuil)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := h.reg.Citizen(h.ctx, id)
	if err != nil {
		tb.Fatal(err)
	}
	round, err := h.reg.BeginQuestions(h.ctx, c, false)
	if err != nil || len(round.Questions) == 0 {
		tb.Fatalf("questions of %s: %v (%d drawn)", cuil, err, len(round.Questions))
	}
	if err := h.reg.LeaveValidation(h.ctx, c.CUIL, round.Attempt.ID); err != nil {
		tb.Fatal(err)
	}
	return &engineOnlyRegistry{svc: h.reg, citizen: *c, questions: round.Questions}
}

func (r *engineOnlyRegistry) Policy() registry.Policy { return r.svc.Policy() }

// Citizen returns a copy of the record, as each read from a database is.
func (r *engineOnlyRegistry) Citizen(_ context.Context, cuil registry.CUIL) (*registry.Citizen, error) {
	c := r.citizen
	return &c, nil
}

func (r *engineOnlyRegistry) HasKey(context.Context, registry.CUIL) (bool, error) { return false, nil }

func (r *engineOnlyRegistry) KeySetAt(context.Context, registry.CUIL) (time.Time, error) {
	return time.Time{}, nil
}

func (r *engineOnlyRegistry) Lockout(context.Context, registry.CUIL, registry.LockKind) (registry.Lockout, error) {
	return registry.Lockout{}, nil
}

// BeginQuestions reserves an attempt of its own each time, with the
// questions drawn once.
func (r *engineOnlyRegistry) BeginQuestions(_ context.Context, c *registry.Citizen, keyed bool) (registry.Round, error) {
	if keyed {
		return registry.Round{HasKey: false}, nil
	}
	id := "attempt-" + strconv.FormatInt(r.attempts.Add(1), 10)
	return registry.Round{
		Attempt:   registry.Attempt{ID: id, Status: registry.AttemptReserved},
		Questions: r.questions,
	}, nil
}

func (r *engineOnlyRegistry) LeaveValidation(context.Context, registry.CUIL, string) error {
	return nil
}

func (r *engineOnlyRegistry) SealAnswers(cuil registry.CUIL, qs []registry.Question) ([]registry.Question, string) {
	return r.svc.SealAnswers(cuil, qs)
}

func (r *engineOnlyRegistry) DerivedKey(purpose string) []byte { return r.svc.DerivedKey(purpose) }

// BenchmarkEngineOnlyFlow is BenchmarkEngineFlow with the registry read
// from memory (engineOnlyRegistry): engine-only, the engine's own CPU and
// allocations a turn with no database at all. Neither it nor
// BenchmarkEngineFlow is the service's throughput, which `clavebot
// loadtest` measures through serve. One op is one turn.
func BenchmarkEngineOnlyFlow(b *testing.B) {
	h := newHarness(b)
	reg := newEngineOnlyRegistry(b, h, maria)
	eng := dialog.New(dialogtestStore(h), reg, h.cat, h.opts...)
	runFlow(b, eng)
}

// TestEngineOnlyFlow walks issue 14's flow on the engine-only registry as
// its benchmark does, and checks that the registry's record and questions
// are what the flow reads: the benchmark counts a real flow.
func TestEngineOnlyFlow(t *testing.T) {
	h := newHarness(t)
	reg := newEngineOnlyRegistry(t, h, maria)
	h.eng = dialog.New(h.store, reg, h.cat, h.opts...)
	for _, m := range questionsCancel {
		h.step("only", m.text, m.want)
	}
	if n := reg.attempts.Load(); n != 1 {
		t.Errorf("%d rounds of questions begun, want 1", n)
	}
}
