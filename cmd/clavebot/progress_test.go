package main

import (
	"bytes"
	"testing"
)

// On a terminal the import's running count rewrites one line; the result
// then came glued to it ("read 50000 citizens…imported 50000 citizens",
// a contract probe under script(1)), and so did a bad line's error.
func TestImportProgressEndsItsLine(t *testing.T) {
	tests := []struct {
		name  string
		shown []int
		want  string
	}{
		{"counted", []int{5000, 10000}, "\rread 5000 citizens…\rread 10000 citizens…\n"},
		{"nothing counted", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			p := &progressLine{w: &buf}
			for _, n := range tt.shown {
				p.report()(n)
			}
			p.end()
			p.end() // a second end adds nothing
			if buf.String() != tt.want {
				t.Errorf("got %q, want %q", buf.String(), tt.want)
			}
		})
	}
	var none *progressLine // stderr is not a terminal
	if none.report() != nil {
		t.Error("a progress without a terminal reports")
	}
	none.end()
}
