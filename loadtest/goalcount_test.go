package loadtest

import "testing"

// A person turned away where the policy turns them away ended where they
// should: TestLoadtestDrivesServe failed now and then (create 5 of 6, 1
// turned away) on a generated record with fewer than three questions.
func TestGoalCountAllEnded(t *testing.T) {
	tests := []struct {
		name string
		c    GoalCount
		want bool
	}{
		{"all reached", GoalCount{People: 6, Reached: 6}, true},
		{"one turned away before a key", GoalCount{People: 6, Reached: 5, Away: 1}, true},
		{"turned away counted as reached (a goal that ends before a key)", GoalCount{People: 6, Reached: 6, Away: 1}, true},
		{"one stuck", GoalCount{People: 6, Reached: 5}, false},
		{"one stuck beside one turned away", GoalCount{People: 6, Reached: 4, Away: 1}, false},
		{"one failed", GoalCount{People: 6, Reached: 5, Failed: 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.AllEnded(); got != tt.want {
				t.Errorf("%+v.AllEnded() = %v, want %v", tt.c, got, tt.want)
			}
		})
	}
}
