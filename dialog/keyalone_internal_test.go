package dialog

import (
	"testing"

	"github.com/clavebot/clavebot/registry"
)

// TestOptionTypedIsNoKey: an identity question's option of one word with
// a digit, typed, is the answer, not a key typed where none is asked.
func TestOptionTypedIsNoKey(t *testing.T) {
	q := registry.Question{Kind: "employer", Options: []registry.Option{{Text: "Telecom2000"}, {Text: "Panificadora del Centro SRL"}, {None: true}}}
	tr := &turn{st: &State{Step: StepQuestion, Questions: []registry.Question{q}}}
	for w, want := range map[string]bool{"Telecom2000": true, "TELECOM2000": true, "Recupero2030e": false} {
		if got := tr.optionTyped(w); got != want {
			t.Errorf("optionTyped(%q) = %v, want %v", w, got, want)
		}
	}
	tr.st.Step = StepDNI
	if tr.optionTyped("Telecom2000") {
		t.Error("an option read at the DNI")
	}
}
