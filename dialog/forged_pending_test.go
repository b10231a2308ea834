package dialog_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// TestForgedPendingSkipsNoData is the forged-state attack (see
// TestForgedStateProvesNothing) on the personal data still to ask
// (State.Pending, "p") and those judged so far (History "h", Mismatch
// "m"), which no seal covered: someone who can write to Redis, but not
// read the deployment's secret, puts in a chat of their own a place at
// María's DNI with nothing left to ask, or with her names and birth date
// said judged and matched, and types the DNI, which is in her CUIL. The
// data "matched", so they were asked María's identity questions (or
// told whether her CUIL has a key, or, in the troubleshooting check,
// that it is registered and its key's state) with none of her names or
// birth date. Now what follows the data begins only when every personal
// datum of the flow was judged in this chat under the seal; a forged
// state gets what a forged proof gets: the event "proof_dropped", the
// person told the data must be given again, nothing counted against
// María's CUIL.
func TestForgedPendingSkipsNoData(t *testing.T) {
	const at = `"st":true,"ls":"2026-11-24T15:00:00Z"`
	tests := []struct {
		name, state, text string
		// own, when set, makes the state in the attacker's own chat:
		// its data judged, then edited.
		own func(h *harness) []byte
	}{
		{"create at the DNI with nothing left", `{"f":"create","s":"dni","c":"20314567898",` + at + `}`, "31456789", nil},
		{"create at the DNI, the rest said judged", `{"f":"create","s":"dni","c":"20314567898","h":["first_names","last_names","birth_date"],` + at + `}`, "31456789", nil},
		{"create at the DNI, a mismatch taken out", "", "31456789", func(h *harness) []byte {
			h.toBirthDateStep("mallory")
			h.step("mallory", "15/03/1985", dialog.ExpectDNI)
			var st map[string]any
			if err := json.Unmarshal(h.store.Raw("mallory"), &st); err != nil {
				h.t.Fatal(err)
			}
			if _, ok := st["m"]; !ok {
				h.t.Fatalf("no mismatch to take out: %v", st)
			}
			delete(st, "m")
			raw, _ := json.Marshal(st)
			return raw
		}},
		{"recover at the DNI with nothing left", `{"f":"recover","s":"dni","c":"20314567898",` + at + `}`, "31456789", nil},
		{"the check at the DNI with nothing left", `{"f":"trouble","s":"dni","c":"20314567898","ck":"locked",` + at + `}`, "31456789", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &events{}
			h := newHarness(t, dialog.WithRecorder(rec))
			raw := []byte(tt.state)
			if tt.own != nil {
				raw = tt.own(h)
			}
			h.seed("mallory", raw)
			rs := h.send("mallory", tt.text)
			for _, k := range []i18n.Key{"questions.intro", "questions.intro.one", "create.has_key", "key.none_yet", "check.registered", "check.no_key", "check.has_key", "check.no_match"} {
				if has(rs, i18n.M(k)) {
					t.Fatalf("María's data were skipped (%s):\n%s", k, h.dump(rs))
				}
			}
			if lastExpect(rs) == dialog.ExpectChoice {
				t.Fatalf("a choice after the DNI alone:\n%s", h.dump(rs))
			}
			if len(rec.named("proof_dropped")) != 1 {
				t.Errorf("the forged data were not counted as proof_dropped: %+v", rec.got)
			}
			if !has(rs, i18n.M("data.again")) {
				t.Errorf("the person is not told why the data are asked again:\n%s", h.dump(rs))
			}
			if l, err := h.reg.Lockout(h.ctx, registry.CUIL("20314567898"), registry.LockValidation); err != nil || l.Failures != 0 {
				t.Errorf("María's CUIL counted %d failures (%v)", l.Failures, err)
			}
			if want := []dialog.Expect{dialog.ExpectFirstNames, dialog.ExpectDNI}; !slices.Contains(want, lastExpect(rs)) {
				t.Errorf("not asked the data again: expect %q\n%s", lastExpect(rs), h.dump(rs))
			}
		})
	}
}

// TestDataJudgedSurviveTheirSeal: a person who gives the data over
// several messages, mistypes one, and gives it again goes on to the
// questions as before: the data judged are sealed between turns, not
// lost, and those that matched at a failed validation are not asked
// again.
func TestDataJudgedSurviveTheirSeal(t *testing.T) {
	rec := &events{}
	h := newHarness(t, dialog.WithRecorder(rec))
	const chat = "maria-own"
	h.toBirthDateStep(chat)
	h.step(chat, "15/03/1985", dialog.ExpectDNI)
	h.step(chat, "31.456.789", dialog.ExpectBirthDate, i18n.M("data.mismatch"))
	h.step(chat, "14/03/1985", dialog.ExpectChoice, question1)
	if got := rec.named("proof_dropped"); len(got) != 0 {
		t.Fatalf("a chat's own data dropped: %+v", got)
	}
}
