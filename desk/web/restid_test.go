package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestRESTChatNamedByACUILHiddenOnTheDesk: a portal that names its REST
// chats by the person's CUIL had it shown whole to every agent, in the
// line and the chat, before the person proved who they were (an attack
// probe). The desk names such a chat by its conversation, shows the CUIL
// masked, and an agent takes it and answers it by that name.
func TestRESTChatNamedByACUILHiddenOnTheDesk(t *testing.T) {
	e := newEnv(t)
	const chat, cuil = "20126043377", "20126043377" // the portal's id, "rest:20126043377" on the desk
	ana := clientAt(t, e.srv.URL)
	csrf := ana.signIn("ana", agentPassword)
	e.say(t, chat, "hablar con una persona")
	status, body := ana.get("/desk/api/board?stats=0")
	var board struct {
		Conversations []struct{ Chat, Label string }
	}
	if status != http.StatusOK || json.Unmarshal([]byte(body), &board) != nil || len(board.Conversations) != 1 {
		t.Fatalf("board: %d %s", status, body)
	}
	if strings.Contains(body, cuil) || strings.Contains(body, "12604337") {
		t.Errorf("the board shows the CUIL: %s", body)
	}
	ref := board.Conversations[0].Chat
	if !strings.HasPrefix(ref, "rest:~") {
		t.Fatalf("the chat is named %q, want a reference of its conversation", ref)
	}
	if status, body := ana.get("/desk/api/chats/" + ref); status != http.StatusOK || strings.Contains(body, cuil) {
		t.Fatalf("the chat by its reference: %d %s", status, body)
	}
	if status, _ := ana.get("/desk/api/chats/rest:" + chat); status != http.StatusNotFound {
		t.Errorf("the chat by its CUIL: %d, want 404", status)
	}
	if code := ana.postJSON("/desk/api/chats/"+ref+"/take", csrf, nil); code != http.StatusOK {
		t.Fatalf("take by reference: %d", code)
	}
	if code := ana.postJSON("/desk/api/chats/"+ref+"/reply", csrf, map[string]string{"text": "¿En qué te ayudo?"}); code != http.StatusOK {
		t.Fatalf("reply by reference: %d", code)
	}
	var got []string
	for _, r := range e.pushed(t, chat) {
		got = append(got, r.Text)
	}
	if !strings.Contains(strings.Join(got, "\n"), "¿En qué te ayudo?") {
		t.Errorf("the person got %q, want the agent's reply", got)
	}
}
