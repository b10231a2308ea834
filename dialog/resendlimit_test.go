package dialog_test

import (
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// «Reenviar el código» in a chat over its codes for the hour sent nothing
// but still claimed the contact's minute (an attack probe): the code was
// issued before the chat's limit was asked, so one chat of someone who
// knew María's data, past its ten codes, kept her own recovery told "Ya te
// mandamos un código hace menos de un minuto" by asking again each minute.
// A code refused by the limit is not issued.
func TestResendOverTheLimitClaimsNothing(t *testing.T) {
	h, box := newContactHarness(t)
	verifiedEmail(h, box)
	toFactor(h, "stranger")
	for range 9 {
		h.now = h.now.Add(time.Minute)
		h.step("stranger", "reenviar", dialog.ExpectCode, codeSent("m***@gmail.com"))
	}
	h.now = h.now.Add(time.Minute)
	sent := box.count()
	h.step("stranger", "reenviar", dialog.ExpectCode, i18n.M("code.limited"))
	if box.count() != sent {
		t.Fatalf("a code sent over the chat's limit")
	}
	rs := toFactor(h, "maria")
	if last(rs).Expect != dialog.ExpectCode || !has(rs, codeSent("m***@gmail.com")) || box.count() != sent+1 {
		t.Fatalf("María's own recovery after the stranger's refused «reenviar»:\n%s", h.dump(rs))
	}
}
