package dialog_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/internal/testenv"
)

// maxStateBytes bounds what Redis holds for a chat's state (MEMORY USAGE
// of its key) at every turn of a whole flow: issue 14 asks for at most
// 1.5 KB per active chat, the transcript kept apart.
const maxStateBytes = 1536

// TestRedisFootprint walks the create flow and then the recover flow to
// their ends on real Redis, then a long chat that fills the transcript,
// and checks the size of the chat's state after every turn. It logs what each kind of key of the chat takes, the
// figures of the README's capacity notes.
func TestRedisFootprint(t *testing.T) {
	h := newHarness(t)
	rdb := testenv.Redis(t)
	prefix := h.useRedis(rdb)
	const key, key2 = "Mate2025amargo", "Yerba2026dulce"
	flows := []struct {
		name, chat string
		walk       func(chat string)
	}{
		{"create", "whatsapp:5491100000001", func(chat string) {
			h.toKeyStep(chat)
			h.step(chat, key, dialog.ExpectConfirmKey)
			h.step(chat, key, dialog.ExpectMenu)
		}},
		{"recover", "whatsapp:5491100000002", func(chat string) {
			h.step(chat, "hola", dialog.ExpectMenu)
			h.step(chat, "2", dialog.ExpectCUIL)
			h.step(chat, maria, dialog.ExpectDNI)
			h.step(chat, "31456789", dialog.ExpectBirthDate)
			h.step(chat, "14/03/1985", dialog.ExpectChoice)
			h.answerQuestions(chat, maria, false)
			h.step(chat, key2, dialog.ExpectConfirmKey)
			h.step(chat, key2, dialog.ExpectMenu)
		}},
		{"long chat", "whatsapp:5491100000003", func(chat string) {
			for i := range 31 {
				h.send(chat, []string{"hola", "ayuda", "sirve para la afip?"}[i%3])
			}
			h.step(chat, "1", dialog.ExpectCUIL)
			h.step(chat, "mi cuil es "+juan, dialog.ExpectFirstNames)
		}},
	}
	for _, f := range flows {
		t.Run(f.name, func(t *testing.T) {
			peak := 0
			h.onTurn = func() {
				u := footprint(t, rdb, prefix, f.chat)
				peak = max(peak, u["state"])
				t.Logf("turn %d: %s", h.turns[f.chat], showUsage(u))
			}
			defer func() { h.onTurn = nil }()
			f.walk(f.chat)
			end := footprint(t, rdb, prefix, f.chat)
			t.Logf("%s flow, %d turns: state peak %d B; at the end %s", f.name, h.turns[f.chat], peak, showUsage(end))
			if peak > maxStateBytes {
				t.Errorf("state took %d bytes at its largest, want at most %d", peak, maxStateBytes)
			}
		})
	}
}

// footprint returns the bytes Redis uses for chat's keys, by kind ("state",
// "transcript", "seen", ...: the part of the key after the prefix).
func footprint(t *testing.T, rdb *redis.Client, prefix, chat string) map[string]int {
	t.Helper()
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, prefix+"*{"+chat+"}*").Result()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, k := range keys {
		n, err := rdb.MemoryUsage(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		kind, _, _ := strings.Cut(strings.TrimPrefix(k, prefix), ":")
		out[kind] += int(n)
		out[kind+"#"]++
		if kind == "state" {
			l, err := rdb.StrLen(ctx, k).Result()
			if err != nil {
				t.Fatal(err)
			}
			out["state (length)"] = int(l)
		}
	}
	return out
}

func showUsage(usage map[string]int) string {
	var kinds []string
	for k := range usage {
		if !strings.HasSuffix(k, "#") {
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	var sb strings.Builder
	for _, k := range kinds {
		sb.WriteString(k + " " + strconv.Itoa(usage[k]) + " B")
		if n, ok := usage[k+"#"]; ok && n > 1 {
			sb.WriteString(" in " + strconv.Itoa(n) + " keys")
		}
		sb.WriteString("; ")
	}
	return sb.String()
}
