package dialog_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/dialog/redisstore"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// TestCodesToNewAddressesPerCUIL is an attack probe: one person with a
// key (their own) opened the contacts in chat after chat and had a code
// sent to a new address again and again, each chat within its 10 codes an
// hour and each address within its minute: 40 codes from four chats, to
// 40 addresses the bot was made to write to (a relay, with the
// government's name on it). The codes to new addresses of one CUIL are
// counted across chats and replicas too: at most 10 an hour.
func TestCodesToNewAddressesPerCUIL(t *testing.T) {
	rdb := testenv.Redis(t)
	box := &codeBox{}
	h := newHarness(t, dialog.WithCodeSender(box), dialog.WithLimiter(redisstore.NewLimiter(rdb, testenv.Prefix(t, rdb, "limits"))))
	withKey(h, "Primera2024a")
	limited := i18n.M("code.limited")
	refused := 0
	for c := range 4 {
		chat := fmt.Sprintf("relay%d", c)
		h.toContacts(chat, "Primera2024a")
		for i := range 10 {
			h.step(chat, "1", dialog.ExpectEmail)
			rs := h.send(chat, fmt.Sprintf("someone%d.%d@example.org", c, i))
			if has(rs, limited) {
				refused++
				if last(rs).Expect != dialog.ExpectChoice {
					t.Fatalf("refused, not back at the contacts:\n%s", h.dump(rs))
				}
				continue
			}
			if last(rs).Expect != dialog.ExpectCode {
				t.Fatalf("chat %d, address %d:\n%s", c, i, h.dump(rs))
			}
			h.step(chat, "volver", dialog.ExpectChoice, contactsMenu)
		}
	}
	if n := box.count(); n > 10 {
		t.Fatalf("%d codes sent to new addresses of one CUIL within the hour (%d refused); want at most 10", n, refused)
	}
}

// TestFactorCodesPerCUIL is an attack probe: someone who knew María's
// data passed her questions in six chats, one a minute, and from then on
// asked «reenviar» in each, every minute: her mailbox got a code a
// minute, sixty an hour (each chat within its ten, the contact within its
// minute), and her own recovery was told "Ya te mandamos un código hace
// menos de un minuto" whenever she came. The codes to a CUIL's verified
// contact are counted across chats and replicas too: at most five an
// hour, and past them the person is told so, and until when, without
// being blamed for asking.
func TestFactorCodesPerCUIL(t *testing.T) {
	rdb := testenv.Redis(t)
	box := &codeBox{}
	h := newHarness(t, dialog.WithCodeSender(box), dialog.WithLimiter(redisstore.NewLimiter(rdb, testenv.Prefix(t, rdb, "limits"))))
	verifiedEmail(h, box)
	before := box.count()
	limited := i18n.M("factor.limited")
	for c := range 6 {
		h.now = h.now.Add(time.Minute)
		toFactor(h, fmt.Sprintf("stranger%d", c))
	}
	for range 10 {
		h.now = h.now.Add(time.Minute)
		for c := range 6 {
			h.send(fmt.Sprintf("stranger%d", c), "reenviar")
		}
	}
	if n := box.count() - before; n > 5 {
		t.Fatalf("%d codes sent to María's verified e-mail within the hour; want at most 5", n)
	}
	h.now = h.now.Add(time.Minute)
	rs := toFactor(h, "maria")
	if !has(rs, limited) || last(rs).Expect != dialog.ExpectCode {
		t.Fatalf("María's own recovery past the CUIL's codes:\n%s", h.dump(rs))
	}
	if has(rs, i18n.M("code.limited")) || has(rs, i18n.M("code.wait")) {
		t.Fatalf("María told she asked too many codes, or that one was just sent:\n%s", h.dump(rs))
	}
}
