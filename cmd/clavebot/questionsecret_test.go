package main

import (
	"context"
	"errors"
	"hash/fnv"
	"log/slog"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/registry/sqlstore"
)

func fnvOf(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// TestServeRefusesAPlaceholderQuestionSecret is issue 8's attack on the
// identity questions: the first draw of a CUIL's questions is seeded by
// CLAVEBOT_QUESTION_SECRET. A stranger who read the code and the example
// files knows "CHANGE-ME", and could compute which options are the
// person's; serve refuses it (the embedded demo, `chat`, does not). Left
// empty, the seed is a secret drawn at random and kept in the database,
// the same for every process on it, not one computed from its URL.
func TestServeRefusesAPlaceholderQuestionSecret(t *testing.T) {
	for _, secret := range []string{"CHANGE-ME", "change-me", " changeme ", "CHANGEME", "change_me"} {
		t.Run(secret, func(t *testing.T) {
			cfg := &config{DatabaseURL: testDB(t), Lang: "es", LogLevel: "error", QuestionSecret: secret}
			s, err := startServer(context.Background(), cfg, &serveConfig{HTTPAddr: "127.0.0.1:0"}, slog.New(slog.DiscardHandler))
			if err == nil {
				s.Close()
				t.Fatalf("serve started with CLAVEBOT_QUESTION_SECRET=%q", secret)
			}
			var ee *exitError
			if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(ee.msg, "CLAVEBOT_QUESTION_SECRET") {
				t.Fatalf("error %v, want exit status 2 naming CLAVEBOT_QUESTION_SECRET", err)
			}
		})
	}
	t.Run("a real secret", func(t *testing.T) {
		cfg := &config{DatabaseURL: testDB(t), Lang: "es", LogLevel: "error", QuestionSecret: "k7Jq2v9PzX1c"}
		s, err := startServer(context.Background(), cfg, &serveConfig{HTTPAddr: "127.0.0.1:0"}, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	})
	t.Run("empty", func(t *testing.T) {
		ctx := context.Background()
		seeds := map[uint64]bool{}
		for _, url := range []string{testDB(t), testDB(t)} {
			var first uint64
			for i := range 2 { // two processes on one database
				db, err := sqlstore.Open(ctx, url, slog.New(slog.DiscardHandler))
				if err != nil {
					t.Fatal(err)
				}
				secret, err := serviceSecret(ctx, &config{}, db)
				db.Close()
				if err != nil {
					t.Fatal(err)
				}
				seed := questionSeed(secret)
				if i == 1 && seed != first {
					t.Fatal("two processes on one database have two seeds")
				}
				first = seed
			}
			if fnvOf(url) == first {
				t.Fatal("the seed is computed from the database URL, which an outsider may know")
			}
			seeds[first] = true
		}
		if len(seeds) != 2 {
			t.Fatal("two databases share a seed")
		}
	})
	t.Run("the embedded demo", func(t *testing.T) {
		t.Setenv("CLAVEBOT_QUESTION_SECRET", "CHANGE-ME")
		t.Chdir(t.TempDir()) // the embedded registry is created here
		code, out, errOut := runCLI(t, `{"chat":"d","text":"hola"}`+"\n", "chat", "--jsonl")
		if code != 0 || !strings.Contains(out, `"end":true`) {
			t.Fatalf("chat with a placeholder secret: status %d\n%s\n%s", code, out, errOut)
		}
	})
}
