package loadtest

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/dialogtest"
	"github.com/clavebot/clavebot/dialog/faq"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/sqlstore"
)

// engineChannel hands the people's messages to the engine itself, as the
// JSON-lines chat does: the people's scripts are checked against the real
// conversation without a server.
type engineChannel struct {
	eng     *dialog.Engine
	printer *i18n.Printer
}

func (e *engineChannel) Name() string                          { return "test" }
func (e *engineChannel) ServeFlags(string) []string            { return nil }
func (e *engineChannel) Start(context.Context, []string) error { return nil }
func (e *engineChannel) Close() error                          { return nil }
func (e *engineChannel) ChatID(chat string) string             { return "test:" + chat }
func (e *engineChannel) Send(ctx context.Context, chat string, a Action) ([]Reply, error) {
	res, err := e.eng.Handle(ctx, dialog.Inbound{Chat: e.ChatID(chat), ID: a.ID, Text: a.Text, Channel: "test"})
	if err != nil {
		return nil, err
	}
	out := make([]Reply, len(res.Replies))
	for i, r := range res.Replies {
		out[i] = Reply{Text: e.printer.Sprint(r.Msg), Expect: r.Expect}
		for _, o := range r.Options {
			out[i].Options = append(out[i].Options, e.printer.Sprint(o))
		}
	}
	return out, nil
}

// TestEveryGoalReachesItsEnd plays people of every goal through the real
// engine and registry: each follows the conversation to its end, with no
// unexpected step.
func TestEveryGoalReachesItsEnd(t *testing.T) {
	r := playGoals(t, func(s *registry.Service) dialog.Registry { return s })
	if len(r.tally.errors) > 0 {
		t.Errorf("errors %v:\n%s", r.tally.errors, r.tally.samples)
	}
	for _, g := range Goals {
		c := r.tally.goals[g]
		if c == nil || c.People == 0 || c.Reached != c.People {
			t.Errorf("%s: %+v, want every person to reach the end", g, c)
		}
	}
	if len(r.tally.created) != r.tally.goals[GoalCreate].People {
		t.Errorf("%d keys created by %d people creating", len(r.tally.created), r.tally.goals[GoalCreate].People)
	}
}

// playGoals plays 70 people, ten of each goal, through the real engine
// over the registry wrap makes of the real one, and returns the runner.
func playGoals(t *testing.T, wrap func(*registry.Service) dialog.Registry) *runner {
	t.Helper()
	ctx := context.Background()
	citizens := Generate(70, 1)
	mix := Mix{}
	for _, g := range Goals {
		mix[g] = 1
	}
	people, err := People(70, mix, citizens, "t", 1)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "r.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Import(ctx, bytes.NewReader(CitizensFile(citizens)), nil); err != nil {
		t.Fatal(err)
	}
	hasher := registry.NewHasher(registry.HashParams{Memory: 64, Time: 1, Threads: 1}, 2)
	for _, p := range people {
		if p.Key == "" {
			continue
		}
		phc, err := hasher.Hash(ctx, p.Key)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SaveKey(ctx, p.Citizen.CUIL, registry.KeySave{Hash: phc}, registry.AuditEvent{CUIL: p.Citizen.CUIL, Action: registry.ActionKeyCreated}); err != nil {
			t.Fatal(err)
		}
	}
	svc := registry.NewService(db, hasher, registry.DefaultPolicy(), 5)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	clf, err := faq.New()
	if err != nil {
		t.Fatal(err)
	}
	eng := dialog.New(dialogtest.NewMemStore(), wrap(svc), cat, dialog.WithClassifier(clf, faq.AnswerThreshold, faq.SuggestThreshold))
	texts, err := NewTexts(i18n.ES)
	if err != nil {
		t.Fatal(err)
	}
	r := newRunner(&engineChannel{eng: eng, printer: cat.Printer(i18n.ES)}, texts, Load{InFlight: 4, Timeout: 10 * time.Second}, people, 1, nil)
	r.run(ctx)
	return r
}

// twoQuestions is a registry whose records all give two safe identity
// questions, as 34 % of the synthetic registry's do.
type twoQuestions struct{ *registry.Service }

func (q twoQuestions) BeginQuestions(ctx context.Context, c *registry.Citizen, keyed bool) (registry.Round, error) {
	r, err := q.Service.BeginQuestions(ctx, c, keyed)
	r.Questions = r.Questions[:min(2, len(r.Questions))]
	return r, err
}

// TestTurnedAwayIsAnEnd: people whose records give two questions and no
// número de trámite are told, once their data matched, that the identity
// cannot be confirmed by chat (registry.CoverFor); the tool took the menu
// that follows for an error ("the bot asks for menu, want choice"). Those
// cancelling at the questions reach their end there; those creating or
// recovering are counted turned away; those with a trámite go on.
func TestTurnedAwayIsAnEnd(t *testing.T) {
	r := playGoals(t, func(s *registry.Service) dialog.Registry { return twoQuestions{s} })
	if len(r.tally.errors) > 0 {
		t.Errorf("errors %v:\n%s", r.tally.errors, r.tally.samples)
	}
	away := 0
	for _, g := range Goals {
		c := r.tally.goals[g]
		if c == nil || c.People == 0 || c.Failed != 0 || c.Reached+c.Away < c.People {
			t.Errorf("%s: %+v, want every person at an end", g, c)
			continue
		}
		switch g {
		case GoalCreate, GoalRecover:
			if c.Reached+c.Away != c.People {
				t.Errorf("%s: %+v: a person turned away counted as reached", g, c)
			}
		case GoalQuestions, GoalMismatch, GoalWander:
			if c.Reached != c.People {
				t.Errorf("%s: %+v, want every person to reach the end", g, c)
			}
		case GoalChange, GoalFAQ:
			if c.Away != 0 {
				t.Errorf("%s: %+v: turned away without questions", g, c)
			}
		}
		away += c.Away
	}
	if away == 0 {
		t.Error("nobody was turned away: the test cannot tell")
	}
}
