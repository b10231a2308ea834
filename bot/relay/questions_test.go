package relay_test

import (
	"context"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot"
	"github.com/clavebot/clavebot/bot/relay"
	"github.com/clavebot/clavebot/dialog/convo"
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

// TestQuestionTextKeptShortly: the question's text, kept for a platform
// that reports later it could not show it, is the current question's and
// is kept minutes, not the relay's month: an identity question's options,
// the right one among them, stayed in Redis for 30 days (found by a
// regression probe).
func TestQuestionTextKeptShortly(t *testing.T) {
	rdb, prefix := realRedis(t)
	q := relay.NewQuestions(rdb, prefix)
	ctx := context.Background()
	const chat = "whatsapp:5491100000000"
	if err := q.AskedText(ctx, chat, "q1", "¿En qué provincia naciste?\n\n1. Córdoba"); err != nil {
		t.Fatal(err)
	}
	if cur, text, err := q.Current(ctx, chat); err != nil || cur != "q1" || text == "" {
		t.Fatalf("Current = %q, %q, %v", cur, text, err)
	}
	keys, err := rdb.Keys(ctx, prefix+"*qtext*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("text keys %v, %v", keys, err)
	}
	if ttl := rdb.PTTL(ctx, keys[0]).Val(); ttl <= 0 || ttl > 15*time.Minute {
		t.Fatalf("the text is kept %v", ttl)
	}
	// Another question without text forgets it.
	if err := q.Asked(ctx, chat, "q2"); err != nil {
		t.Fatal(err)
	}
	if cur, text, _ := q.Current(ctx, chat); cur != "q2" || text != "" {
		t.Fatalf("after another question: %q, %q", cur, text)
	}
}

// TestKeptRepliesKeepTheirQuestion: the turn's replies kept for a late
// failure carry the question the last of them asks, which becomes the
// chat's current one, with its text kept minutes, in the same write (it
// cost a round trip of its own after the send); replies that ask nothing
// leave the current question as it was.
func TestKeptRepliesKeepTheirQuestion(t *testing.T) {
	rdb, prefix := realRedis(t)
	q := relay.NewQuestions(rdb, prefix)
	ctx := context.Background()
	const chat = "whatsapp:5491100000000"
	menu := bot.Message{Text: "¿Qué necesitás?", Options: []string{"Crear", "Recuperar"}, Question: "q1"}
	envs := []bot.Envelope{{Key: "reply:m1", Msg: bot.Message{Text: "Hola"}}, {Key: "reply:m1#2", Msg: menu}}
	if err := q.KeepReplies(ctx, chat, envs); err != nil {
		t.Fatal(err)
	}
	if cur, text, err := q.Current(ctx, chat); err != nil || cur != "q1" || text != bot.NumberedText(menu) {
		t.Fatalf("Current = %q, %q, %v; want q1 and its numbered text", cur, text, err)
	}
	keys, err := rdb.Keys(ctx, prefix+"*qtext*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("text keys %v, %v", keys, err)
	}
	if ttl := rdb.PTTL(ctx, keys[0]).Val(); ttl <= 0 || ttl > 15*time.Minute {
		t.Fatalf("the text is kept %v", ttl)
	}
	if err := q.KeepReplies(ctx, chat, []bot.Envelope{{Key: "reply:m2", Msg: bot.Message{Text: "eco"}}}); err != nil {
		t.Fatal(err)
	}
	if cur, _, _ := q.Current(ctx, chat); cur != "q1" {
		t.Fatalf("replies that ask nothing changed the question to %q", cur)
	}
	if ok, err := q.Answer(ctx, chat, "q1", "t1"); err != nil || !ok {
		t.Fatalf("a tap on the kept question: %v, %v", ok, err)
	}
}

// TestTapArrivesWithItsAnswer: a tap's answer and its arrival are one
// round trip (ArrivedTap); it answers as Answer does, and is an arrival
// only when it takes the question: a tap on an earlier question leaves
// the current one on screen, and says which it is.
func TestTapArrivesWithItsAnswer(t *testing.T) {
	rdb, prefix := realRedis(t)
	p := newProcess(t, rdb, prefix, []relay.Option{relay.WithWorkers(0)}, &fakeChannel{name: "telegram"})
	q := relay.NewQuestions(rdb, prefix)
	if !p.relay.Answers(q) || p.relay.Answers(relay.NewQuestions(rdb, prefix+"other:")) {
		t.Fatal("Answers does not tell the relay's questions from others")
	}
	ctx := context.Background()
	const chat = "telegram:1"
	if err := q.Asked(ctx, chat, "q1"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		question, tap string
		taken         bool
		current       string
	}{
		{"q0", "t1", false, "q1"}, // an earlier question's button
		{"", "t1", false, "q1"},   // a button naming no question
		{"q1", "t2", true, ""},    // the current one
		{"q1", "t3", false, ""},   // tapped twice
		{"q1", "t2", true, ""},    // the platform delivering the first tap again
	}
	for _, tt := range tests {
		in := convo.Inbound{Chat: chat, ID: tt.tap, Channel: "telegram"}
		taken, current, n, err := p.relay.ArrivedTap(ctx, in, tt.question)
		if err != nil || taken != tt.taken || current != tt.current || n != 0 {
			t.Fatalf("ArrivedTap(%q, %q) = %v, %q, %d, %v; want %v, %q", tt.question, tt.tap, taken, current, n, err, tt.taken, tt.current)
		}
	}
}
