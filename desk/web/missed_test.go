package web

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
)

// TestPageToldWhenItMissedEvents: a page that read its stream slower
// than events came (a busy day: every message in the line is an event to
// every page; an agent on a slow network) lost the events past its
// buffer, and the chat it had open, if one of them was that chat's, stayed
// as it was until its next event, maybe never (a desk probe). The page
// is now told, after the events it got, that it missed some, and reads
// the board and its chat again.
func TestPageToldWhenItMissedEvents(t *testing.T) {
	h := newHub()
	c := h.add(desk.Session{Agent: "ana"}, "token", time.Now().Add(time.Hour))
	n := cap(c.events) + 5
	for i := range n {
		h.send(desk.Event{Kind: "message", Chat: "rest:p" + strconv.Itoa(i)})
	}
	var page bytes.Buffer
	for len(c.events) > 0 {
		c.write(&page, <-c.events)
	}
	got := page.String()
	if !strings.Contains(got, `"kind":"missed"`) {
		t.Fatalf("the page was not told it missed %d of %d events:\n%s", n-cap(c.events), n, got)
	}
	// Told once, and not again while it keeps up.
	page.Reset()
	h.send(desk.Event{Kind: "message", Chat: "rest:q"})
	c.write(&page, <-c.events)
	if strings.Contains(page.String(), `"kind":"missed"`) {
		t.Errorf("a page that kept up was told it missed events:\n%s", page.String())
	}
}
