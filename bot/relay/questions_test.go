package relay_test

import (
	"context"
	"testing"

	"github.com/clavebot/clavebot/bot/relay"
)

// TestQuestionsSharedByReplicas: the question one replica asked is the one
// another accepts a tap on, once; a tap on another question, or a second
// tap, is stale; the tap that took it, delivered again, still takes it.
func TestQuestionsSharedByReplicas(t *testing.T) {
	rdb, prefix := realRedis(t)
	a, b := relay.NewQuestions(rdb, prefix), relay.NewQuestions(rdb, prefix)
	ctx := context.Background()
	const chat = "telegram:1"
	if err := a.Asked(ctx, chat, "q1"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		question, tap string
		want          bool
	}{
		{"q0", "t1", false}, // an earlier question's button
		{"q1", "t2", true},  // the current one
		{"q1", "t3", false}, // tapped twice
		{"q1", "t2", true},  // the platform delivering the first tap again
		{"", "t4", false},
	}
	for _, tt := range tests {
		got, err := b.Answer(ctx, chat, tt.question, tt.tap)
		if err != nil || got != tt.want {
			t.Fatalf("Answer(%q, %q) = %v, %v; want %v", tt.question, tt.tap, got, err, tt.want)
		}
	}
	if err := a.Asked(ctx, chat, "q2"); err != nil {
		t.Fatal(err)
	}
	if err := b.Asked(ctx, chat, ""); err != nil { // the person wrote instead
		t.Fatal(err)
	}
	if got, _ := a.Answer(ctx, chat, "q2", "t5"); got {
		t.Fatal("a question forgotten on another replica still answered")
	}
}
