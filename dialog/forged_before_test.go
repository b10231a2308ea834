package dialog_test

import (
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// TestForgedPlaceBeforeDeskSkipsNoData is the forged-state attack (see
// TestForgedStateProvesNothing) on the place the desk's line goes back
// to (State.Before): someone who can write to Redis, but not read the
// deployment's secret, puts in a chat of their own, in the line, a place
// at María's identity questions that claims nothing (so no seal is
// needed), and types "cancelar". Going back to the questions begins the
// round again from the data "matched", so they were asked María's
// questions (and, for a record short of them, told whether her CUIL has
// a verified contact) without her names, birth date or DNI, none of it
// counted. Now a round is begun again only where the place's sealed
// claims say the data matched; else the person is asked for them.
func TestForgedPlaceBeforeDeskSkipsNoData(t *testing.T) {
	const at = `"st":true,"ls":"2026-11-24T15:00:00Z"`
	h := newHarness(t, dialog.WithDesk(&fakeDesk{}))
	h.seed("mallory", []byte(`{"f":"handoff","s":"queue",`+at+`,"hb":{"f":"create","s":"question","c":"20314567898",`+at+`}}`))
	rs := h.send("mallory", "cancelar")
	if has(rs, i18n.M("questions.intro", "n", 3)) || lastExpect(rs) == dialog.ExpectChoice {
		t.Fatalf("María's questions were asked without her data:\n%s", h.dump(rs))
	}
	if lastExpect(rs) != dialog.ExpectMenu {
		t.Fatalf("not the menu:\n%s", h.dump(rs))
	}
}
