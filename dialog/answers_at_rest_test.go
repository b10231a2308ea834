package dialog_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestAnswersGivenAreNotInRedis: while a person answers the identity
// questions, the answers given so far wait in the chat's state, in Redis,
// between turns. 2be7788 took the right answers out of it (whoever read
// Redis, or a backup, had a reusable answer key: a CUIL's questions come
// back the same), but the person's own answers stayed, in clear ("an"):
// read during María's round, they are the first two right answers of
// three (she passes), and the third is then guessed with the three
// attempts of a lock window 48.8 % of the time, the shortfall CONTRACT
// §5's three questions and 236566c guard against. They were also kept in
// the place beside the desk's line (fe15522) for a week. Now they are
// sealed (encrypted and authenticated under the deployment's secret,
// bound to the chat, the CUIL and the round's attempt): the state holds
// no answer, and a sealed answer copied into another chat, or forged,
// answers nothing there.
func TestAnswersGivenAreNotInRedis(t *testing.T) {
	h := newHarness(t, dialog.WithDesk(&fakeDesk{}))
	h.toDNIStep("c")
	h.step("c", "31.456.789", dialog.ExpectChoice, question1)
	right := h.questions(maria)
	h.send("c", strconv.Itoa(right[0].Answer+1))
	h.send("c", strconv.Itoa(right[1].Answer+1))
	noAnswers := func(raw []byte) {
		t.Helper()
		var st map[string]json.RawMessage
		if err := json.Unmarshal(raw, &st); err != nil {
			t.Fatal(err)
		}
		if a, ok := st["an"]; ok {
			t.Fatalf("the answers given are in the state: %s", a)
		}
		if hb, ok := st["hb"]; ok && strings.Contains(string(hb), `"an"`) {
			t.Fatalf("the answers given are in the place before the desk: %s", hb)
		}
	}
	noAnswers(h.store.Raw("c"))

	// Copied into another chat at the same round's step, they answer
	// nothing there: the round starts over at its first question.
	h.toDNIStep("m")
	h.step("m", "31.456.789", dialog.ExpectChoice, question1)
	var mine, theirs map[string]json.RawMessage
	if err := json.Unmarshal(h.store.Raw("c"), &theirs); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(h.store.Raw("m"), &mine); err != nil {
		t.Fatal(err)
	}
	for k, v := range theirs {
		if k != "va" && k != "vp" { // the chat's own attempt and seal kept
			mine[k] = v
		}
	}
	raw, _ := json.Marshal(mine)
	h.seed("m", raw)
	rs := h.send("m", strconv.Itoa(right[2].Answer+1))
	if lastExpect(rs) == dialog.ExpectNewKey {
		t.Fatalf("another chat's answers counted here:\n%s", h.dump(rs))
	}

	// The person's own round goes on: the third answer ends it, right.
	h.step("c", strconv.Itoa(right[2].Answer+1), dialog.ExpectNewKey, i18n.M("questions.ok"))

	// Handed over in the middle of a round, the place kept holds none.
	h2 := newHarness(t, dialog.WithDesk(&fakeDesk{}))
	h2.toDNIStep("d")
	h2.step("d", "31.456.789", dialog.ExpectChoice, question1)
	h2.send("d", strconv.Itoa(right[0].Answer+1))
	h2.step("d", "hablar con una persona", dialog.ExpectText, i18n.M("handoff.queued"))
	noAnswers(h2.store.Raw("d"))
}
