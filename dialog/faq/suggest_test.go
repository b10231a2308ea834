package faq

import (
	"slices"
	"testing"

	"github.com/clavebot/clavebot/dialog"
)

func TestSuggest(t *testing.T) {
	gs := []dialog.Guess{
		{Intent: None, Score: 0.5},
		{Intent: "key.recover", Score: 0.3},
		{Intent: "greeting", Score: 0.25},
		{Intent: "key.change", Score: 0.2},
		{Intent: "error.blocked", Score: 0.16},
		{Intent: "hours", Score: 0.05},
	}
	tests := []struct {
		name string
		n    int
		want []string
	}{
		{"skips none and chit-chat", 3, []string{"key.recover", "key.change", "error.blocked"}},
		{"stops at n", 2, []string{"key.recover", "key.change"}},
		{"drops weak guesses", 5, []string{"key.recover", "key.change", "error.blocked"}},
		{"zero", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Suggest(gs, tt.n); !slices.Equal(got, tt.want) {
				t.Errorf("Suggest(n=%d) = %v, want %v", tt.n, got, tt.want)
			}
		})
	}
}

func TestThresholdsOrdered(t *testing.T) {
	if !(0 < SuggestThreshold && SuggestThreshold <= NoneThreshold && NoneThreshold < AnswerThreshold && AnswerThreshold < 1) {
		t.Errorf("want 0 < Suggest %.2f ≤ None %.2f < Answer %.2f < 1", SuggestThreshold, NoneThreshold, AnswerThreshold)
	}
}
