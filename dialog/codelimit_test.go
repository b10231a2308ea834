package dialog_test

import (
	"fmt"
	"testing"

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
