package registry_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/registry"
)

// TestAnswerSeal: the questions kept for a round carry no answer, and
// only the right answers, for that CUIL and those questions, under the
// same deployment's secret, are judged right.
func TestAnswerSeal(t *testing.T) {
	svc := func(secret string) *registry.Service {
		return registry.NewService(nil, nil, registry.DefaultPolicy(), 42, registry.WithSecret(secret))
	}
	s := svc("deployment secret")
	qs := []registry.Question{
		{Kind: registry.QuestionProvince, Options: []registry.Option{{Text: "Salta"}, {Text: "Córdoba"}, {Text: "Chubut"}, {Text: "Jujuy"}, {None: true}}, Answer: 1},
		{Kind: registry.QuestionBenefit, Options: []registry.Option{{Text: "AUH"}, {Text: "PUAM"}, {Text: "Progresar"}, {Text: "Potenciar"}, {None: true}}, Answer: 4},
	}
	bare, seal := s.SealAnswers("27352189044", qs)
	kept, _ := json.Marshal(bare)
	if strings.Contains(string(kept), `"a":1`) || strings.Contains(string(kept), `"a":4`) {
		t.Fatalf("the questions kept carry their answers: %s", kept)
	}
	if qs[0].Answer != 1 {
		t.Fatal("SealAnswers changed its argument")
	}
	for _, tc := range []struct {
		name    string
		s       *registry.Service
		cuil    registry.CUIL
		answers []int
		want    bool
	}{
		{"right", s, "27352189044", []int{1, 4}, true},
		{"one wrong", s, "27352189044", []int{1, 3}, false},
		{"both wrong", s, "27352189044", []int{0, 0}, false},
		{"too few", s, "27352189044", []int{1}, false},
		{"another CUIL", s, "20126043377", []int{1, 4}, false},
		{"another secret", svc("other"), "27352189044", []int{1, 4}, false},
	} {
		if got := tc.s.AnswersRight(tc.cuil, bare, tc.answers, seal); got != tc.want {
			t.Errorf("%s: AnswersRight = %v, want %v", tc.name, got, tc.want)
		}
	}
	other := append([]registry.Question(nil), bare...)
	other[0].Options = append([]registry.Option{{Text: "Misiones"}}, other[0].Options[1:]...)
	if s.AnswersRight("27352189044", other, []int{1, 4}, seal) {
		t.Error("the seal judged other questions")
	}
	for _, bad := range []string{"", "a1.", "a1.!!", "x" + seal} {
		if s.AnswersRight("27352189044", bare, []int{1, 4}, bad) {
			t.Errorf("seal %q judged right", bad)
		}
	}
}
