package registry_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/registry"
	"github.com/clavebot/clavebot/registry/registrytest"
)

// questionWorld is a registry of synthetic citizens behind the Service.
type questionWorld struct {
	store *memStore
	clock *clock
	svc   *registry.Service
	cs    []*registry.Citizen
}

func newQuestionWorld(t *testing.T, n int, policy registry.Policy) *questionWorld {
	t.Helper()
	w := &questionWorld{clock: &clock{t: attackNow}, cs: registrytest.Generate(n, 21, attackNow)}
	w.store = newMemStore(w.cs...)
	w.svc = registry.NewService(w.store, registry.NewHasher(cheap, 1), policy, 5, registry.WithClock(w.clock.now))
	return w
}

func (w *questionWorld) questions(t *testing.T, c *registry.Citizen) []registry.Question {
	t.Helper()
	qs, err := w.svc.Questions(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

// checkQuestion checks what CONTRACT §3 and the design promise: four
// named options, distinct, then "none of these"; the answer right for c
// and no other option right; dates as DD/MM/AAAA within c's life.
func checkQuestion(t *testing.T, q registry.Question, c *registry.Citizen, today time.Time) {
	t.Helper()
	if len(q.Options) != 5 || !q.Options[4].None {
		t.Fatalf("%s: options %+v, want four named and none last", q.Kind, q.Options)
	}
	if !q.RightFor(c) {
		t.Fatalf("%s: %+v is not right for the record", q.Kind, q)
	}
	seen := map[string]bool{}
	for _, o := range q.Options[:4] {
		k := registry.NormalizeName(o.Text)
		if k == "" || o.None || seen[k] {
			t.Fatalf("%s: blank, none or repeated option in %+v", q.Kind, q.Options)
		}
		seen[k] = true
		switch q.Kind {
		case registry.QuestionIssueDate:
			d, err := time.Parse("02/01/2006", o.Text)
			if err != nil || d.Before(c.BirthDate) || d.After(today) {
				t.Fatalf("date option %q: %v, or outside %v..%v", o.Text, err, c.BirthDate, today)
			}
		case registry.QuestionProvince:
			if !slices.Contains(registry.Provinces[:], o.Text) {
				t.Fatalf("province option %q is not a province", o.Text)
			}
		}
	}
}

func TestQuestionsShape(t *testing.T) {
	w := newQuestionWorld(t, 1000, registry.DefaultPolicy())
	count := map[int]int{}
	for _, c := range w.cs[:600] {
		qs := w.questions(t, c)
		count[len(qs)]++
		kinds := map[registry.QuestionKind]bool{}
		for _, q := range qs {
			checkQuestion(t, q, c, attackNow)
			if kinds[q.Kind] {
				t.Fatalf("kind %s asked twice", q.Kind)
			}
			kinds[q.Kind] = true
		}
	}
	// Fewer than the policy's number when values too common to hide
	// (Buenos Aires, no job, a pension) leave too few kinds.
	t.Logf("people by number of questions: %v", count)
	if count[3] < 300 {
		t.Errorf("only %d of 600 people get the policy's 3 questions: %v", count[3], count)
	}
}

// TestQuestionsForPeopleBornAbroad: a person born abroad has no province
// (birth_country in the citizens file): a question on the province has
// "none of these" for its answer, as the question's hint tells them, and
// its options are still provinces of other people.
func TestQuestionsForPeopleBornAbroad(t *testing.T) {
	cs := registrytest.Generate(1000, 21, attackNow)
	for _, c := range cs[:200] {
		c.BirthProvince = ""
	}
	w := &questionWorld{clock: &clock{t: attackNow}, cs: cs}
	w.store = newMemStore(cs...)
	w.svc = registry.NewService(w.store, registry.NewHasher(cheap, 1), registry.DefaultPolicy(), 5, registry.WithClock(w.clock.now))
	asked := 0
	for _, c := range cs[:200] {
		for _, q := range w.questions(t, c) {
			checkQuestion(t, q, c, attackNow)
			if q.Kind == registry.QuestionProvince {
				if !q.Options[q.Answer].None {
					t.Fatalf("born abroad, the province question's answer is %+v", q.Options[q.Answer])
				}
				asked++
			}
		}
	}
	if asked == 0 {
		t.Fatal("no province asked of 200 people born abroad")
	}
	t.Logf("province asked of %d of 200 people born abroad", asked)
}

// TestQuestionsKeptAcrossAttempts: the same lists at every attempt, after
// the registry grew, days passed and a replica with another secret asks,
// kinds declined included; the donors are not read again.
func TestQuestionsKeptAcrossAttempts(t *testing.T) {
	w := newQuestionWorld(t, 800, registry.DefaultPolicy())
	people := w.cs[:200]
	first := make([][]registry.Question, len(people))
	for i, c := range people {
		first[i] = w.questions(t, c)
	}
	reads := w.store.donorReads
	w.store.add(registrytest.Generate(400, 22, attackNow)...)
	w.clock.advance(90 * 24 * time.Hour)
	other := registry.NewService(w.store, registry.NewHasher(cheap, 1), registry.DefaultPolicy(), 6, registry.WithClock(w.clock.now))
	for i, c := range people {
		for _, svc := range []*registry.Service{w.svc, other} {
			qs, err := svc.Questions(context.Background(), c)
			if err != nil || !reflect.DeepEqual(qs, first[i]) {
				t.Fatalf("person %d: %v, %v; want the first questions %v", i, qs, err, first[i])
			}
		}
	}
	if w.store.donorReads != reads {
		t.Errorf("donors read again for stored questions")
	}
}

// TestQuestionsSeedMatters: another secret over another copy of the
// registry draws other questions (they cannot be computed offline).
func TestQuestionsSeedMatters(t *testing.T) {
	cs := registrytest.Generate(500, 23, attackNow)
	draw := func(seed uint64) []registry.Question {
		svc := registry.NewService(newMemStore(cs...), registry.NewHasher(cheap, 1), registry.DefaultPolicy(), seed, registry.WithClock((&clock{attackNow}).now))
		qs, err := svc.Questions(context.Background(), cs[0])
		if err != nil {
			t.Fatal(err)
		}
		return qs
	}
	if base := draw(1); !reflect.DeepEqual(base, draw(1)) {
		t.Fatal("the same secret and registry drew different questions")
	} else if reflect.DeepEqual(base, draw(2)) && reflect.DeepEqual(base, draw(3)) {
		t.Error("other secrets drew the same questions")
	}
}

// TestQuestionsRedrawnWhenWrong: a record that no longer makes a question
// right gets that question drawn again, with none of its old options.
func TestQuestionsRedrawnWhenWrong(t *testing.T) {
	policy := registry.DefaultPolicy()
	policy.Questions = 4
	w := newQuestionWorld(t, 1500, policy)
	tested := map[registry.QuestionKind]bool{}
	for _, c := range w.cs {
		before := byKind(w.questions(t, c))
		q, ok := before[registry.QuestionEmployer]
		if !ok || len(tested) == 2 {
			continue
		}
		changed := *c
		kind := registry.QuestionIssueDate
		if len(tested) == 1 {
			// A new job at one of the wrong options: it would be right too.
			kind = registry.QuestionEmployer
			wrong := q.Options[(q.Answer+1)%4].Text
			changed.Employers = append(slices.Clone(c.Employers), registry.Employer{Name: wrong, From: "2026-01"})
		} else {
			changed.DNIIssueDate = attackNow.AddDate(0, 0, -3)
		}
		if _, asked := before[kind]; !asked {
			continue
		}
		w.store.add(&changed)
		after := byKind(w.questions(t, &changed))
		for k, q := range before {
			a, still := after[k]
			switch {
			case k != kind && !reflect.DeepEqual(a, q):
				t.Errorf("%s changed though the record's %s did not", k, k)
			case k == kind && still:
				checkQuestion(t, a, &changed, attackNow)
				for _, o := range a.Options[:4] {
					if slices.ContainsFunc(q.Options, func(old registry.Option) bool { return old.Text == o.Text }) {
						t.Errorf("%s drawn again shows %q again", k, o.Text)
					}
				}
			}
		}
		tested[kind] = true
	}
	if len(tested) != 2 {
		t.Fatalf("tested %v", tested)
	}
}

func byKind(qs []registry.Question) map[registry.QuestionKind]registry.Question {
	m := map[registry.QuestionKind]registry.Question{}
	for _, q := range qs {
		m[q.Kind] = q
	}
	return m
}

// TestQuestionsConcurrentFirstDraw: chats of one CUIL drawing at once all
// get the one set stored.
func TestQuestionsConcurrentFirstDraw(t *testing.T) {
	w := newQuestionWorld(t, 500, registry.DefaultPolicy())
	c := w.cs[3]
	got := make([][]registry.Question, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i] = w.questions(t, c) })
	}
	wg.Wait()
	for i := range got {
		if !reflect.DeepEqual(got[i], got[0]) {
			t.Fatalf("chat %d got other questions", i)
		}
	}
}

// TestQuestionsTinyRegistry: a demonstration registry too small to hide
// answers still asks the policy's number, every kind possible, "none"
// right for what the record lacks.
func TestQuestionsTinyRegistry(t *testing.T) {
	policy := registry.DefaultPolicy()
	policy.Questions = 4
	lacking := maria()
	lacking.CUIL = "27111111119"
	cs := []*registry.Citizen{maria(), lacking}
	cs[0].Employers = []registry.Employer{{Name: "Acindar SA", From: "2010-01"}}
	cs[0].Benefits = []registry.Benefit{{Name: "Jubilación ordinaria", Since: "2020-01"}}
	svc := registry.NewService(newMemStore(cs...), registry.NewHasher(cheap, 1), policy, 1, registry.WithClock(newClock().now))
	for _, c := range cs {
		qs, err := svc.Questions(context.Background(), c)
		if err != nil || len(qs) != 4 {
			t.Fatalf("%d questions, %v; want 4", len(qs), err)
		}
		for _, q := range qs {
			checkQuestion(t, q, c, testNow)
			if c == lacking && (q.Kind == registry.QuestionEmployer || q.Kind == registry.QuestionBenefit) && !q.Options[q.Answer].None {
				t.Errorf("%s: a record without any must answer none", q.Kind)
			}
		}
	}
}

// A benefit goes by several names ("Becas Progresar", "Progresar"): the
// demonstration's Carlos was shown "Progresar" as a wrong option, beside
// or instead of his own "Becas Progresar", and a real beneficiary who
// chose it failed the round (found by hand). Another name of the
// person's own benefit is never a wrong option.
func TestQuestionsNeverOfferAnotherNameOfTheAnswer(t *testing.T) {
	policy := registry.DefaultPolicy()
	policy.Questions = 4
	asked := 0
	var carlos *registry.Citizen
	for i := range 40 {
		c := maria()
		c.CUIL = registry.CUIL(fmt.Sprintf("2731%07d", i))
		c.Benefits = []registry.Benefit{{Name: "Becas Progresar", Since: "2016-03"}}
		other := maria()
		other.CUIL = "27111111119"
		other.Benefits = []registry.Benefit{{Name: "Jubilación ordinaria", Since: "2020-01"}}
		carlos = c
		// A registry as small as the demonstration's: wrong options come
		// from the built-in list of benefits, where "Progresar" is.
		svc := registry.NewService(newMemStore(c, other), registry.NewHasher(cheap, 1), policy, 1, registry.WithClock(newClock().now))
		qs, err := svc.Questions(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			if q.Kind != registry.QuestionBenefit {
				continue
			}
			asked++
			for j, o := range q.Options {
				if j != q.Answer && strings.Contains(strings.ToLower(o.Text), "progresar") {
					t.Fatalf("%s: %q offered as wrong, the answer %d in %+v", c.CUIL, o.Text, q.Answer, q.Options)
				}
			}
		}
	}
	if asked == 0 {
		t.Fatal("no benefit question asked")
	}
	// A stored set that showed the other name is no longer right.
	q := registry.Question{Kind: registry.QuestionBenefit, Answer: 1, Options: []registry.Option{
		{Text: "Progresar"}, {Text: "Becas Progresar"}, {Text: "Tarjeta Alimentar"}, {Text: "Jubilación ordinaria"}, {None: true},
	}}
	if q.RightFor(carlos) {
		t.Error("a question showing Progresar beside Becas Progresar is right for a holder")
	}
}

func TestRightFor(t *testing.T) {
	c := maria()
	c.Employers = []registry.Employer{{Name: "Acindar SA"}, {Name: "YPF SA"}}
	opts := func(texts ...string) []registry.Option {
		var o []registry.Option
		for _, s := range texts {
			o = append(o, registry.Option{Text: s})
		}
		return append(o, registry.Option{None: true})
	}
	tests := []struct {
		name string
		q    registry.Question
		want bool
	}{
		{"own employer", registry.Question{Kind: registry.QuestionEmployer, Options: opts("Arcor", "ACINDAR S.A.", "acindar sa", "Ledesma"), Answer: 2}, true},
		{"none, none own", registry.Question{Kind: registry.QuestionEmployer, Options: opts("Arcor", "Techint", "Molinos", "Ledesma"), Answer: 4}, true},
		{"none, but one own", registry.Question{Kind: registry.QuestionEmployer, Options: opts("Arcor", "YPF SA", "Molinos", "Ledesma"), Answer: 4}, false},
		{"two own", registry.Question{Kind: registry.QuestionEmployer, Options: opts("Acindar SA", "YPF SA", "Molinos", "Ledesma"), Answer: 0}, false},
		{"wrong answer", registry.Question{Kind: registry.QuestionEmployer, Options: opts("Arcor", "Acindar SA", "Molinos", "Ledesma"), Answer: 0}, false},
		{"old date", registry.Question{Kind: registry.QuestionIssueDate, Options: opts("22/08/2017", "01/02/2003", "03/04/2005", "05/06/2007"), Answer: 1}, false},
		{"date", registry.Question{Kind: registry.QuestionIssueDate, Options: opts("22/08/2017", "01/02/2003", "03/04/2005", "05/06/2007"), Answer: 0}, true},
		{"province", registry.Question{Kind: registry.QuestionProvince, Options: opts("Salta", "cordoba", "Chaco", "Jujuy"), Answer: 1}, true},
		{"answer out of range", registry.Question{Kind: registry.QuestionProvince, Options: opts("Salta", "Córdoba", "Chaco", "Jujuy"), Answer: 7}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.q.RightFor(c); got != tt.want {
				t.Errorf("RightFor = %v, want %v", got, tt.want)
			}
		})
	}
}
