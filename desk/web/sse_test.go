package web_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/dialog/convo"
)

func TestEventsReachSignedInPage(t *testing.T) {
	e := newEnv(t)
	c := newClient(t, e)
	_, tok := c.page()
	c.login("ana", agentPassword, tok)
	resp, err := c.http.Get(e.srv.URL + "/desk/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	r := bufio.NewReader(resp.Body)
	for line, _ := r.ReadString('\n'); !strings.HasPrefix(line, ": connected"); line, _ = r.ReadString('\n') {
	}
	if _, err := e.handoffs.Enqueue(context.Background(), convo.Handoff{Chat: "rest:z", Channel: "rest", Reason: "requested"}); err != nil {
		t.Fatal(err)
	}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(line, "data: ") {
			if !strings.Contains(line, `"chat":"rest:z"`) {
				t.Fatalf("event %q", line)
			}
			return
		}
	}
}
