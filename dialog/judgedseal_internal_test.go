package dialog

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"testing"

	"github.com/clavebot/clavebot/internal/sealfield"
)

// TestJudgedSealAllocations: a turn seals its judgments as it begins (to
// check them) and as it ends; the fields go to the MAC in one buffer, not
// two allocations each, and the seal is the one every replica computed
// before (a rolling deploy must not drop the judgments of chats between
// two data).
func TestJudgedSealAllocations(t *testing.T) {
	e := &Engine{judgedKey: []byte("derived key of the deployment")}
	st := &State{CUIL: "27352189044", History: []Step{"cuil", "names", "surnames", "birth", "dni"},
		Matched: []Step{"names"}, Mismatch: map[Step]string{"dni": "digits", "birth": "day"}}
	const chat = "rest:abc"

	mac := hmac.New(sha256.New, e.judgedKey)
	for _, f := range []string{"clavebot data judged v1", chat, "27352189044",
		"5", "cuil", "names", "surnames", "birth", "dni", "1", "names", "2", "birth", "dni", "day", "digits"} {
		sealfield.Write(mac, f)
	}
	want := base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:proofMACLen])
	if got := e.judgedSeal(chat, st); got != want {
		t.Fatalf("judgedSeal = %q, want %q (the seal before)", got, want)
	}
	if n := testing.AllocsPerRun(100, func() { sealSink = e.judgedSeal(chat, st) }); !underRace && n > 4 {
		t.Errorf("judgedSeal: %.0f allocations, want at most 4 (39 field by field, 8 with an HMAC made for each)", n)
	}
}

// TestProofIsTheSealBefore: the claims' seal, framed into one buffer, is
// the one replicas computed field by field.
func TestProofIsTheSealBefore(t *testing.T) {
	e := &Engine{proofKey: []byte("derived key of the deployment")}
	st := &State{CUIL: "27352189044", Validated: true, Offered: true, KeyAt: 1764470000123,
		Proved: []Step{"names", "birth"}}
	const chat = "telegram:42"
	flags := st.flags()
	mac := hmac.New(sha256.New, e.proofKey)
	for _, f := range []string{chat, "27352189044", string(flags), "1764470000123", "names", "birth"} {
		sealfield.Write(mac, f)
	}
	want := string(flags) + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:proofMACLen])
	// Again, after another chat's seal: the hash the first one used
	// serves the next ones.
	for i, other := range []string{"", "telegram:43", ""} {
		if other != "" {
			e.proof(other, &State{CUIL: "20126043377"})
		}
		if got := e.proof(chat, st); got != want {
			t.Fatalf("proof #%d = %q, want %q (the seal before)", i+1, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { sealSink = e.proof(chat, st) }); !underRace && n > 5 {
		t.Errorf("proof: %.0f allocations, want at most 5 (10 with an HMAC made for each)", n)
	}
}

var sealSink string
