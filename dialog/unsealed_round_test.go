package dialog_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// TestUnsealedRoundProvesNothing is the forged-state attack (see
// TestForgedStateProvesNothing) on a round of identity questions: someone
// who knows María's public data and can write to Redis, but not read the
// deployment's secret, reaches her questions in a chat of their own, then
// drops the round's seal ("qk") from the chat's state and writes the
// answers they will give as the right ones (or cuts the round to one
// question, below CONTRACT §5's three). A round without a seal was judged
// by the answers in the state, as rounds of the version before the seal
// were (an hour's attempt, two days before): it passed, and a key was
// asked for her CUIL. Now a round without its seal judges nothing: it is
// told stale, its attempt given back (nothing counted), and a new round
// is begun sealed.
func TestUnsealedRoundProvesNothing(t *testing.T) {
	for _, cut := range []int{0, 1} {
		t.Run("questions cut to "+strconv.Itoa(cut), func(t *testing.T) {
			h := newHarness(t)
			h.step("mallory", "hola", dialog.ExpectMenu)
			h.send("mallory", "1")
			h.send("mallory", maria)
			for _, d := range []string{"María Belén", "Gómez Ruiz", "14/03/1985"} {
				h.send("mallory", d)
			}
			h.step("mallory", "31456789", dialog.ExpectChoice)
			right := h.questions(maria)
			var st map[string]any
			if err := json.Unmarshal(h.store.Raw("mallory"), &st); err != nil {
				t.Fatal(err)
			}
			delete(st, "qk")
			qs := st["q"].([]any)
			if cut > 0 {
				qs = qs[:cut]
			}
			var guesses []int
			for i, q := range qs {
				// A wrong option of each question, written as its answer.
				w := (right[i].Answer + 1) % len(right[i].Options)
				q.(map[string]any)["a"] = w
				guesses = append(guesses, w)
			}
			st["q"] = qs
			raw, err := json.Marshal(st)
			if err != nil {
				t.Fatal(err)
			}
			h.seed("mallory", raw)
			var rs []dialog.Reply
			for _, g := range guesses {
				rs = h.send("mallory", strconv.Itoa(g+1))
			}
			if lastExpect(rs) == dialog.ExpectNewKey {
				t.Fatalf("wrong answers in a round without its seal validated María:\n%s", h.dump(rs))
			}
			if !has(rs, i18n.M("validation.stale")) || lastExpect(rs) != dialog.ExpectMenu {
				t.Fatalf("a round without its seal is not told stale:\n%s", h.dump(rs))
			}
			if l, err := h.reg.Lockout(h.ctx, registry.CUIL(stripDashes(maria)), registry.LockValidation); err != nil || l.Failures != 0 {
				t.Errorf("a round that judged nothing counted: %+v, %v", l, err)
			}
			// The attempt was given back: all of the CUIL's are left.
			h.send("mallory", "1")
			h.send("mallory", maria)
			for _, d := range []string{"María Belén", "Gómez Ruiz", "14/03/1985"} {
				h.send("mallory", d)
			}
			h.step("mallory", "31456789", dialog.ExpectChoice)
		})
	}
}
