package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/dialog/convo"
)

// TestLongLineKeepsTheAgentsChatsInReach: on a busy day (a desk probe
// with 1,000 people waiting over two replicas) every update of every
// agent's page fetched the whole line, 242 KB, and drew a button for
// each person, and the agent's own chats («En curso») came after the
// 1,000 of the line: scrolled 60,000 px or 1,000 Tabs away. The board
// now sends the head of the line and of the messages left outside hours
// with their totals, the page says how many more wait, and the agent's
// own chats come first.
func TestLongLineKeepsTheAgentsChatsInReach(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const mine = "rest:mine"
	e.say(t, "mine", "hablar con una persona")
	if _, err := e.desk.Take(ctx, "ana", mine); err != nil {
		t.Fatal(err)
	}
	const waiting = 300
	for i := range waiting {
		chat := fmt.Sprintf("rest:line%03d", i)
		if _, err := e.handoffs.Enqueue(ctx, convo.Handoff{Chat: chat, Channel: "rest", Reason: "requested"}); err != nil {
			t.Fatal(err)
		}
	}
	c := newClient(t, e)
	c.signIn("ana", agentPassword)
	code, body := c.get("/desk/api/board?stats=0")
	var board struct {
		Conversations []desk.Conversation
		Waiting       int
	}
	if err := json.Unmarshal([]byte(body), &board); code != http.StatusOK || err != nil {
		t.Fatalf("board: %d %v", code, err)
	}
	var head []desk.Conversation
	active := false
	for _, cv := range board.Conversations {
		switch {
		case cv.Status == desk.Waiting:
			head = append(head, cv)
		case cv.Chat == mine:
			active = true
		}
	}
	if board.Waiting != waiting || len(head) == 0 || len(head) > 100 || !active {
		t.Fatalf("board of %d bytes lists %d waiting of %d (total said %d), the agent's chat %v; want the head of the line, the total and the agent's chat",
			len(body), len(head), waiting, board.Waiting, active)
	}
	for i, cv := range head {
		if cv.Position != i+1 || cv.Chat != fmt.Sprintf("rest:line%03d", i) {
			t.Fatalf("head of the line %d is %s at %d", i+1, cv.Chat, cv.Position)
		}
	}
	var inView bool
	err := chromedp.Do(browser(t),
		signInPage(e.srv.URL, "ana"),
		chromedp.WaitVisible(`#active li[data-chat="`+mine+`"]`),
		textIn(`#n-waiting`, fmt.Sprint(waiting)),
		textIn(`#queue`, es(t, "deskpage.more_in_line", "n", waiting-len(head))),
		into(&inView, chromedp.Evaluate[bool](`document.querySelector('#active li[data-chat="`+mine+`"]').getBoundingClientRect().bottom <= window.innerHeight`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !inView {
		t.Fatal("the agent's own chat is out of view, under the line")
	}
}
