package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clavebot/clavebot/bot/whatsapp/cloud/graphtest"
	"github.com/clavebot/clavebot/desk"
)

// events is an open /desk/events whose lines are kept.
type events struct {
	mu    sync.Mutex
	lines []string
}

func (c *agentClient) events() *events {
	c.t.Helper()
	resp, err := c.http.Get(c.base + "/desk/events")
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { resp.Body.Close() })
	ev := &events{}
	r := bufio.NewReader(resp.Body)
	for line, err := r.ReadString('\n'); !strings.HasPrefix(line, ": connected"); line, err = r.ReadString('\n') {
		if err != nil {
			c.t.Fatal(err)
		}
	}
	go func() {
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if data, ok := strings.CutPrefix(line, "data: "); ok {
				ev.mu.Lock()
				ev.lines = append(ev.lines, strings.TrimSpace(data))
				ev.mu.Unlock()
			}
		}
	}()
	return ev
}

func (ev *events) all() []string {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	return append([]string(nil), ev.lines...)
}

// waitFor waits until an event contains want.
func (ev *events) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, l := range ev.all() {
			if strings.Contains(l, want) {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no event with %q; got %q", want, ev.all())
}

// TestWhatsAppNumberMaskedOnTheDesk: a WhatsApp person's chat id is their
// phone number, and every agent read it whole in the queue, the chat's
// header, the undelivered list and the page's events, those of other
// agents' chats included (found by a probe); contacts reach the desk
// masked. The desk names the chat by a reference and shows the number
// masked, to everyone; an event of a chat names it only to those who may
// read the chat.
func TestWhatsAppNumberMaskedOnTheDesk(t *testing.T) {
	e := newCloudEnv(t)
	ctx := context.Background()
	for _, a := range []struct {
		name string
		role desk.Role
	}{{"beto", desk.RoleAgent}, {"sara", desk.RoleSupervisor}} {
		if err := e.acc.Add(ctx, a.name, agentPassword, a.role); err != nil {
			t.Fatal(err)
		}
	}
	ana, beto, sara := clientAt(t, e.srv.URL), clientAt(t, e.srv.URL), clientAt(t, e.srv.URL)
	anaCSRF := ana.signIn("ana", agentPassword)
	beto.signIn("beto", agentPassword)
	sara.signIn("sara", agentPassword)
	anaEv, betoEv, saraEv := ana.events(), beto.events(), sara.events()
	const masked = "whatsapp:+54 9 11 ****-0000"
	hides := func(where, body string) {
		t.Helper()
		if strings.Contains(body, "1155550000") {
			t.Errorf("%s shows the person's number: %s", where, body)
		}
	}
	e.g.Text(person, "hola")
	e.g.Text(person, "hablar con una persona")
	e.lastSent(t, "lugar 1")
	status, body := ana.get("/desk/api/board?stats=0")
	hides("the board", body)
	var board struct {
		Conversations []struct{ Chat, Label string }
	}
	if status != http.StatusOK || json.Unmarshal([]byte(body), &board) != nil || len(board.Conversations) != 1 {
		t.Fatalf("board: %d %s", status, body)
	}
	c := board.Conversations[0]
	if !strings.HasPrefix(c.Label, masked+" · #") {
		t.Errorf("the queue shows %q, want %q and the conversation's mark", c.Label, masked)
	}
	ref := c.Chat
	status, body = ana.get("/desk/api/chats/" + ref)
	hides("the chat", body)
	if status != http.StatusOK || !strings.Contains(body, masked) {
		t.Fatalf("the chat by its reference: %d %s", status, body)
	}
	if code := ana.postJSON("/desk/api/chats/"+ref+"/take", anaCSRF, nil); code != http.StatusOK {
		t.Fatalf("take by reference: %d", code)
	}
	e.lastSent(t, "tomó tu consulta")
	e.g.FailNext(graphtest.Undeliverable)
	if code := ana.postJSON("/desk/api/chats/"+ref+"/reply", anaCSRF, map[string]string{"text": "¿Seguís ahí?"}); code != http.StatusOK {
		t.Fatalf("reply by reference: %d", code)
	}
	e.g.Text(person, "sí, acá estoy")
	anaEv.waitFor(t, `"kind":"message","chat":"`+ref)
	var list []struct{ Chat, Key string }
	for deadline := time.Now().Add(20 * time.Second); len(list) == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		_, body = ana.get("/desk/api/undelivered")
		if err := json.Unmarshal([]byte(body), &list); err != nil {
			t.Fatal(err)
		}
	}
	hides("the undelivered list", body)
	// The undelivered list shows the chat as the queue did, with the
	// conversation's mark: the number alone read alike for two people
	// (TestUndeliveredTellsMaskedNumbersApart).
	if len(list) != 1 || list[0].Chat != c.Label {
		t.Fatalf("undelivered %s, want the chat as %q", body, c.Label)
	}
	_, body = ana.get("/desk/api/chats/" + ref + "/delivery")
	hides("the deliveries", body)
	if code := ana.postJSON("/desk/api/undelivered/discard", anaCSRF, list[0]); code != http.StatusOK {
		t.Errorf("discard of the masked chat's letter: %d", code)
	}
	saraEv.waitFor(t, `"chat":"`+ref)
	time.Sleep(200 * time.Millisecond) // the events of the reply and the message reach every page
	for who, ev := range map[string]*events{"ana": anaEv, "beto": betoEv, "sara": saraEv} {
		for _, l := range ev.all() {
			hides(who+"'s event", l)
			if who == "beto" && strings.Contains(l, `"chat"`) && strings.Contains(l, `"message"`) {
				t.Errorf("beto is told of ana's chat: %s", l)
			}
		}
	}
}
