package bot

import (
	"reflect"
	"testing"
)

func TestSplitMessage(t *testing.T) {
	m := Message{Text: "uno dos", Options: []string{"Sí", "No"}, Expect: "choice", Question: "q1"}
	tests := []struct {
		name  string
		texts []string
		want  []Message
	}{
		{"fits", []string{"uno dos"}, []Message{m}},
		{"two parts", []string{"uno", "dos"}, []Message{
			{Text: "uno", Expect: "choice"},
			{Text: "dos", Options: m.Options, Expect: "choice", Question: "q1"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SplitMessage(m, tt.texts); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SplitMessage = %+v, want %+v", got, tt.want)
			}
		})
	}
}
