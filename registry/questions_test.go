package registry_test

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/clavebot/clavebot/registry"
)

var testPool = registry.Pool{
	Employers: []string{"Panificadora del Centro SRL", "Acindar SA", "Correo Argentino", "Arcor SAIC", "Ledesma SAAI", "YPF SA", "acindar sa"},
	Benefits:  []string{"Asignación Universal por Hijo", "Jubilación ordinaria", "Progresar", "Tarjeta Alimentar"},
}

func worker() *registry.Citizen {
	c := maria()
	c.Employers = []registry.Employer{
		{Name: "Panificadora del Centro SRL", From: "2006-02", To: "2012-11"},
		{Name: "Acindar SA", From: "2013-01"},
	}
	c.Benefits = []registry.Benefit{{Name: "Asignación Universal por Hijo", Since: "2015-06"}}
	return c
}

func rngFor(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 7)) }

// truth is what each kind of question must have as its right answer, for
// a citizen: a text among accepted ones, or the None option.
func checkAnswer(t *testing.T, q registry.Question, c *registry.Citizen) {
	t.Helper()
	got := q.Options[q.Answer]
	var own []string
	switch q.Kind {
	case registry.QuestionIssueDate:
		own = []string{registry.FormatDate(c.DNIIssueDate)}
	case registry.QuestionProvince:
		own = []string{c.BirthProvince}
	case registry.QuestionEmployer:
		for _, e := range c.Employers {
			own = append(own, e.Name)
		}
	case registry.QuestionBenefit:
		for _, b := range c.Benefits {
			own = append(own, b.Name)
		}
	}
	if len(own) == 0 {
		if !got.None {
			t.Errorf("%s: answer %+v, want the None option", q.Kind, got)
		}
		return
	}
	if !slices.Contains(own, got.Text) {
		t.Errorf("%s: answer %q is not the person's (%q)", q.Kind, got.Text, own)
	}
	for i, o := range q.Options {
		if i != q.Answer && slices.ContainsFunc(own, func(s string) bool {
			return registry.NormalizeName(s) == registry.NormalizeName(o.Text)
		}) {
			t.Errorf("%s: wrong option %d %q is also the person's", q.Kind, i, o.Text)
		}
	}
}

func checkShape(t *testing.T, q registry.Question) {
	t.Helper()
	if n := len(q.Options); n < 4 || n > 5 {
		t.Errorf("%s: %d options, want 4 or 5", q.Kind, n)
	}
	if q.Answer < 0 || q.Answer >= len(q.Options) {
		t.Fatalf("%s: answer index %d out of range", q.Kind, q.Answer)
	}
	seen := map[string]bool{}
	for i, o := range q.Options {
		if o.None {
			if i != len(q.Options)-1 {
				t.Errorf("%s: None option at %d, want last", q.Kind, i)
			}
			continue
		}
		k := registry.NormalizeName(o.Text)
		if k == "" || seen[k] {
			t.Errorf("%s: blank or repeated option %q", q.Kind, o.Text)
		}
		seen[k] = true
	}
	hasNone := q.Options[len(q.Options)-1].None
	namesKind := q.Kind == registry.QuestionEmployer || q.Kind == registry.QuestionBenefit
	if hasNone != namesKind {
		t.Errorf("%s: None option present = %v, want %v", q.Kind, hasNone, namesKind)
	}
}

func TestQuestions(t *testing.T) {
	tests := []struct {
		name string
		c    *registry.Citizen
		pool registry.Pool
	}{
		{"worker with benefit", worker(), testPool},
		{"no employers nor benefits", maria(), testPool},
		{"empty pool", worker(), registry.Pool{}},
		{"empty pool nothing", maria(), registry.Pool{}},
		{"pool only own", worker(), registry.Pool{Employers: []string{"ACINDAR SA", "Panificadora del Centro SRL"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for seed := range uint64(200) {
				qs := registry.QuestionsAt(tt.c, tt.pool, 4, rngFor(seed), testNow)
				if len(qs) != 4 {
					t.Fatalf("seed %d: %d questions, want 4", seed, len(qs))
				}
				kinds := map[registry.QuestionKind]bool{}
				for _, q := range qs {
					kinds[q.Kind] = true
					checkShape(t, q)
					checkAnswer(t, q, tt.c)
				}
				if len(kinds) != 4 {
					t.Fatalf("seed %d: kinds %v repeat", seed, kinds)
				}
			}
		})
	}
}

func TestQuestionsCount(t *testing.T) {
	incomplete := maria()
	incomplete.DNIIssueDate, incomplete.BirthProvince = time.Time{}, ""
	tests := []struct {
		name string
		c    *registry.Citizen
		n    int
		want int
	}{
		{"three", maria(), 3, 3},
		{"zero", maria(), 0, 0},
		{"negative", maria(), -1, 0},
		{"more than kinds", maria(), 9, 4},
		{"incomplete record", incomplete, 3, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := len(registry.QuestionsAt(tt.c, testPool, tt.n, rngFor(1), testNow)); got != tt.want {
				t.Errorf("%d questions, want %d", got, tt.want)
			}
		})
	}
}

func TestQuestionsDeterministic(t *testing.T) {
	shuffled := registry.Pool{Employers: slices.Clone(testPool.Employers), Benefits: slices.Clone(testPool.Benefits)}
	slices.Reverse(shuffled.Employers)
	slices.Reverse(shuffled.Benefits)
	a := registry.QuestionsAt(worker(), testPool, 3, rngFor(42), testNow)
	b := registry.QuestionsAt(worker(), shuffled, 3, rngFor(42), testNow)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("same seed, same pool in another order, different questions:\n%v\n%v", a, b)
	}
	differ := false
	for seed := range uint64(10) {
		if !reflect.DeepEqual(a, registry.QuestionsAt(worker(), testPool, 3, rngFor(seed+100), testNow)) {
			differ = true
		}
	}
	if !differ {
		t.Error("ten other seeds all gave the same questions")
	}
}

// TestIssueDateDistractors checks that wrong dates are near the true one,
// never in the future, never before birth, and that the true date is not
// always the latest even for a DNI issued last month.
func TestIssueDateDistractors(t *testing.T) {
	recent := maria()
	recent.DNIIssueDate = day(2025, 10, 31)
	baby := maria()
	baby.BirthDate, baby.DNIIssueDate = day(2024, 1, 10), day(2024, 2, 29)
	tests := []struct {
		name       string
		c          *registry.Citizen
		rankVaries bool // false when today or birth leaves room on one side only
	}{
		{"ordinary", maria(), true},
		{"issued last month", recent, false},
		{"issued after birth", baby, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ranks := map[int]int{}
			for seed := range uint64(300) {
				q := issueDateQuestion(t, tt.c, seed)
				checkShape(t, q)
				checkAnswer(t, q, tt.c)
				later := 0
				for i, o := range q.Options {
					d, err := time.Parse("02/01/2006", o.Text)
					if err != nil {
						t.Fatalf("option %q is not DD/MM/AAAA", o.Text)
					}
					switch {
					case d.After(testNow):
						t.Errorf("option %q is in the future", o.Text)
					case d.Before(tt.c.BirthDate):
						t.Errorf("option %q is before birth", o.Text)
					case d.Sub(tt.c.DNIIssueDate).Abs() > 40*31*24*time.Hour:
						t.Errorf("option %q is more than 40 months from the true date", o.Text)
					}
					if i != q.Answer && d.After(tt.c.DNIIssueDate) {
						later++
					}
				}
				ranks[later]++
			}
			if tt.rankVaries && len(ranks) < 5 {
				t.Errorf("the true date's rank among options hardly varies: %v", ranks)
			}
		})
	}
}

func issueDateQuestion(t *testing.T, c *registry.Citizen, seed uint64) registry.Question {
	t.Helper()
	for _, q := range registry.QuestionsAt(c, testPool, 4, rngFor(seed), testNow) {
		if q.Kind == registry.QuestionIssueDate {
			return q
		}
	}
	t.Fatal("no issue date question")
	return registry.Question{}
}

func TestProvinceDistractors(t *testing.T) {
	unaccented := maria()
	unaccented.BirthProvince = "cordoba"
	seen := map[string]int{}
	for seed := range uint64(300) {
		for _, c := range []*registry.Citizen{maria(), unaccented} {
			for _, q := range registry.QuestionsAt(c, testPool, 4, rngFor(seed), testNow) {
				if q.Kind != registry.QuestionProvince {
					continue
				}
				checkShape(t, q)
				for i, o := range q.Options {
					if !slices.Contains(registry.Provinces[:], o.Text) && i != q.Answer {
						t.Errorf("option %q is not a province", o.Text)
					}
					if i != q.Answer && registry.NormalizeName(o.Text) == "cordoba" {
						t.Errorf("wrong option %q is the true province", o.Text)
					}
					seen[o.Text]++
				}
			}
		}
	}
	if seen["Buenos Aires"] <= seen["Tierra del Fuego"] {
		t.Errorf("populous provinces should come up more often: %v", seen)
	}
	if len(seen) < 20 {
		t.Errorf("only %d provinces ever offered", len(seen))
	}
}

func TestNamesPadFromBuiltIns(t *testing.T) {
	q := findKind(t, registry.QuestionsAt(maria(), registry.Pool{}, 4, rngFor(3), testNow), registry.QuestionBenefit)
	for _, o := range q.Options[:len(q.Options)-1] {
		if o.Text == "" {
			t.Errorf("padding left a blank option: %+v", q.Options)
		}
	}
	if !q.Options[q.Answer].None {
		t.Errorf("a person with no benefits must answer None, got %+v", q.Options[q.Answer])
	}
}

func findKind(t *testing.T, qs []registry.Question, k registry.QuestionKind) registry.Question {
	t.Helper()
	for _, q := range qs {
		if q.Kind == k {
			return q
		}
	}
	t.Fatalf("no %s question", k)
	return registry.Question{}
}
