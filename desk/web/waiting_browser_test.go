package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clavebot/clavebot/desk"
)

// awaiting is the chat's conversation as the agent's API gives it.
func (c *agentClient) conversation(chat string) desk.Conversation {
	c.t.Helper()
	code, body := c.get("/desk/api/chats/" + chat)
	if code != http.StatusOK {
		c.t.Fatalf("chat %s: %d %s", chat, code, body)
	}
	var out struct{ Conversation desk.Conversation }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		c.t.Fatal(err)
	}
	return out.Conversation
}

// TestDeskTellsHowLongThePersonWaits: the open conversation showed no
// waiting time, and the queue only since the hand-over, however long the
// person had waited for an answer since (a desk probe): an agent could
// not tell whom to answer first. Every conversation says since when the
// person waits for an answer (awaiting): since they asked for a person,
// then since their first message after the agent's last answer, and
// nothing while the agent answered last.
func TestDeskTellsHowLongThePersonWaits(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const person, chat = "wait1", "rest:wait1"
	c := newClient(t, e)
	c.signIn("ana", agentPassword)
	e.say(t, person, "hablar con una persona")
	got := c.conversation(chat)
	if got.Awaiting.IsZero() || !got.Awaiting.Equal(got.Enqueued) {
		t.Fatalf("in the line, awaiting %v, want since the hand-over %v", got.Awaiting, got.Enqueued)
	}
	time.Sleep(5 * time.Millisecond)
	e.say(t, person, "sigo esperando")
	if again := c.conversation(chat); !again.Awaiting.Equal(got.Enqueued) {
		t.Fatalf("a message in the line moved awaiting to %v, want %v", again.Awaiting, got.Enqueued)
	}
	if _, err := e.desk.Take(ctx, "ana", chat); err != nil {
		t.Fatal(err)
	}
	if err := e.desk.Reply(ctx, "ana", chat, "hola, te leo"); err != nil {
		t.Fatal(err)
	}
	if answered := c.conversation(chat); !answered.Awaiting.IsZero() {
		t.Fatalf("answered, awaiting %v, want none", answered.Awaiting)
	}
	before := time.Now().Truncate(time.Millisecond)
	e.say(t, person, "no me llega el código")
	first := c.conversation(chat).Awaiting
	if first.Before(before) || first.After(time.Now()) {
		t.Fatalf("after the person's message, awaiting %v, want since it (%v)", first, before)
	}
	time.Sleep(5 * time.Millisecond)
	e.say(t, person, "¿hola?")
	if next := c.conversation(chat).Awaiting; !next.Equal(first) {
		t.Fatalf("the person's second message moved awaiting from %v to %v", first, next)
	}
	// The board says it too, for choosing whom to answer first.
	code, body := c.get("/desk/api/board?stats=0")
	var board struct{ Conversations []desk.Conversation }
	if err := json.Unmarshal([]byte(body), &board); code != http.StatusOK || err != nil || len(board.Conversations) != 1 || !board.Conversations[0].Awaiting.Equal(first) {
		t.Fatalf("board: %d %s", code, body)
	}
	// The page shows it, in the list and in the open conversation.
	item := `#active li[data-chat="` + chat + `"]`
	err := chromedp.Do(browser(t),
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(item),
		textIn(item, esBefore(t, "deskpage.unanswered_since")),
		clickLive(item),
		textIn(`#chat-waiting`, esBefore(t, "deskpage.awaiting")),
	)
	if err != nil {
		t.Fatal(err)
	}
}
