package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/desk"
)

// TestWhatsAppChatNotFoundByItsNumber: the desk shows a WhatsApp
// person's number masked to everyone, supervisors included, and names
// their chat by a reference of its conversation; yet the API answered a
// chat named by the number itself, with its transcript. An agent reading
// "+54 9 11 ****-0000 · #K3P9" had 10,000 numbers to try, without a
// limit, to learn the whole number (found by a desk probe). A WhatsApp
// chat is found by its reference only: named otherwise it is not there,
// for every action.
func TestWhatsAppChatNotFoundByItsNumber(t *testing.T) {
	e := newCloudEnv(t)
	if err := e.acc.Add(context.Background(), "sara", agentPassword, desk.RoleSupervisor); err != nil {
		t.Fatal(err)
	}
	ana, sara := clientAt(t, e.srv.URL), clientAt(t, e.srv.URL)
	anaCSRF := ana.signIn("ana", agentPassword)
	sara.signIn("sara", agentPassword)
	e.g.Text(person, "hablar con una persona")
	e.lastSent(t, "lugar 1")
	for _, raw := range []string{"whatsapp:" + person, "whatsapp:" + person + "@s.whatsapp.net", "whatsapp:+" + person} {
		for who, c := range map[string]*agentClient{"ana": ana, "sara": sara} {
			for _, path := range []string{"", "/delivery"} {
				if status, body := c.get("/desk/api/chats/" + raw + path); status != http.StatusNotFound || strings.Contains(body, person) {
					t.Errorf("%s GET %s%s: %d %.120s; want 404", who, raw, path, status, body)
				}
			}
		}
		if code := ana.postJSON("/desk/api/chats/"+raw+"/take", anaCSRF, nil); code != http.StatusNotFound {
			t.Errorf("ana takes %s: %d, want 404", raw, code)
		}
	}
}
