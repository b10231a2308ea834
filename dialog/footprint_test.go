package dialog_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// maxStateBytes bounds what Redis holds for a chat's state (MEMORY USAGE
// of its key) at every turn of a whole flow.
const maxStateBytes = 1536

// maxChatBytes bounds what Redis holds for all of a chat's keys (MEMORY
// USAGE summed, as the load tool's "Redis per chat" line) after a complete
// flow: issue 14 asks at most 1.5 KB per active chat.
const maxChatBytes = 1500

// TestRedisFootprint walks whole flows on real Redis (create and recover
// to their ends, and create cancelled at the identity questions, the load
// tool's questions-cancel), then a long chat that fills the transcript. It
// checks the size of the chat's state after every turn and, after each
// complete flow, of all the chat's keys, whose sizes by kind it logs (the
// figures of the README's capacity notes). Message ids are WhatsApp's
// (wamid.…, kept hashed in the handled hash), the longest a channel sends,
// and the person takes the FAQ detour the load tool's people take.
func TestRedisFootprint(t *testing.T) {
	h := newHarness(t)
	rdb := testenv.Redis(t)
	prefix := h.useRedis(rdb)
	h.msgID = func(n int) string {
		return fmt.Sprintf("wamid.HBgNNTQ5MTEwMDAwMDAwMBUCABIYFjNFQjBDMEI2RkY0QjJBNTI3RDc%06dAA==", n)
	}
	const key, key2 = "Mate2025amargo", "Yerba2026dulce"
	// issue 14's flow: the data, the first question, "cancelar"
	questionsCancel := func(chat string) {
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, "1", dialog.ExpectCUIL)
		h.step(chat, ana, dialog.ExpectFirstNames)
		h.step(chat, "Ana", dialog.ExpectLastNames)
		h.step(chat, "López", dialog.ExpectBirthDate)
		h.step(chat, "25/07/1990", dialog.ExpectDNI)
		h.step(chat, "35999888", dialog.ExpectChoice, question1)
		h.step(chat, "cancelar", dialog.ExpectMenu)
	}
	flows := []struct {
		name, chat string
		complete   bool
		walk       func(chat string)
	}{
		{"create", "whatsapp:5491100000001", true, func(chat string) {
			h.toFirstNamesStep(chat)
			h.step(chat, "¿cada cuánto tengo que cambiar la clave?", dialog.ExpectFirstNames)
			h.step(chat, "maria belen", dialog.ExpectLastNames)
			h.step(chat, "GOMEZ RUIZ", dialog.ExpectBirthDate)
			h.step(chat, "14/03/1985", dialog.ExpectDNI)
			h.step(chat, "31.456.789", dialog.ExpectChoice, question1)
			h.answerQuestions(chat, maria, false)
			h.step(chat, key, dialog.ExpectConfirmKey)
			h.step(chat, key, dialog.ExpectMenu, i18n.M("done.create"))
		}},
		{"questions-cancel", "whatsapp:5491100000004", true, questionsCancel},
		{"questions-cancel over REST", "rest:6f1c2b9e-3a4d-4e5f-8a7b-9c0d1e2f3a4b", true, questionsCancel},
		{"recover", "whatsapp:5491100000002", true, func(chat string) {
			h.step(chat, "hola", dialog.ExpectMenu)
			h.step(chat, "2", dialog.ExpectCUIL)
			h.step(chat, maria, dialog.ExpectDNI)
			h.step(chat, "31456789", dialog.ExpectBirthDate)
			h.step(chat, "14/03/1985", dialog.ExpectChoice)
			h.answerQuestions(chat, maria, false)
			h.step(chat, key2, dialog.ExpectConfirmKey)
			h.step(chat, key2, dialog.ExpectMenu)
		}},
		{"long chat", "whatsapp:5491100000003", false, func(chat string) {
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
			// A REST chat's last replies are kept for a client's retry.
			h.replay = strings.HasPrefix(f.chat, "rest:")
			defer func() { h.onTurn, h.replay = nil, false }()
			f.walk(f.chat)
			end := footprint(t, rdb, prefix, f.chat)
			t.Logf("%s flow, %d turns: state peak %d B; at the end %d B: %s", f.name, h.turns[f.chat], peak, total(end), showUsage(end))
			if peak > maxStateBytes {
				t.Errorf("state took %d bytes at its largest, want at most %d", peak, maxStateBytes)
			}
			if f.complete && total(end) > maxChatBytes {
				t.Errorf("the chat's keys take %d bytes after the flow, want at most %d: %s", total(end), maxChatBytes, showUsage(end))
			}
		})
	}
}

// total is what all the kinds of usage take.
func total(usage map[string]int) int {
	n := 0
	for k, v := range usage {
		if !strings.HasSuffix(k, "#") && k != "state (length)" {
			n += v
		}
	}
	return n
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
