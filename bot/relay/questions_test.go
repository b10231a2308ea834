package relay_test

import (
	"context"
	"testing"

	"github.com/clavebot/clavebot/bot/relay"
)

// TestQuestionsSharedByReplicas: the question one replica asked is the one
// another accepts a tap on, once; a tap on another question, or a second
// tap, is stale.
func TestQuestionsSharedByReplicas(t *testing.T) {
	rdb, prefix := realRedis(t)
	a, b := relay.NewQuestions(rdb, prefix), relay.NewQuestions(rdb, prefix)
	ctx := context.Background()
	const chat = "telegram:1"
	if err := a.Asked(ctx, chat, "q1"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		question string
		want     bool
	}{
		{"q0", false}, // an earlier question's button
		{"q1", true},  // the current one
		{"q1", false}, // tapped twice
		{"", false},
	}
	for _, tt := range tests {
		got, err := b.Answer(ctx, chat, tt.question)
		if err != nil || got != tt.want {
			t.Fatalf("Answer(%q) = %v, %v; want %v", tt.question, got, err, tt.want)
		}
	}
	if err := a.Asked(ctx, chat, "q2"); err != nil {
		t.Fatal(err)
	}
	if err := b.Asked(ctx, chat, ""); err != nil { // the person wrote instead
		t.Fatal(err)
	}
	if got, _ := a.Answer(ctx, chat, "q2"); got {
		t.Fatal("a question forgotten on another replica still answered")
	}
}
