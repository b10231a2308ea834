package recent

import "testing"

func TestSet(t *testing.T) {
	s := New(2)
	steps := []struct {
		id   string
		want bool
	}{
		{"a", true},
		{"a", false},
		{"b", true},
		{"a", false},
		{"c", true}, // forgets a
		{"b", false},
		{"a", true},
		{"c", false},
		{"", true},
		{"", true},
	}
	for i, st := range steps {
		if got := s.Add(st.id); got != st.want {
			t.Fatalf("step %d: Add(%q) = %v, want %v", i, st.id, got, st.want)
		}
	}
}
