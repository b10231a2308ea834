package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/internal/httpjson"
)

// hub passes desk events to the pages open in this process, and ends the
// pages of sessions that ended.
type hub struct {
	mu      sync.Mutex
	clients map[*client]struct{}
}

// client is one open event stream.
type client struct {
	events chan desk.Event
	done   chan struct{} // closed when the session ends
	once   sync.Once
	sess   desk.Session
	token  string    // kept in memory only, to check the session lives
	until  time.Time // when the session expires
}

func (c *client) end() { c.once.Do(func() { close(c.done) }) }

func newHub() *hub { return &hub{clients: map[*client]struct{}{}} }

func (h *hub) add(s desk.Session, token string, until time.Time) *client {
	c := &client{events: make(chan desk.Event, 32), done: make(chan struct{}), sess: s, token: token, until: until}
	h.mu.Lock()
	h.clients[c] = struct{}{}
	h.mu.Unlock()
	return c
}

func (h *hub) remove(c *client) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
}

// send never blocks: a page too slow to read misses an event, and its next
// refresh catches up. Each page gets e as its agent may be told it
// (desk.ForViewer).
func (h *hub) send(e desk.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c.events <- desk.ForViewer(c.sess.Viewer(), e):
		default:
		}
	}
}

// end ends the streams for which match is true.
func (h *hub) end(match func(*client) bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		if match(c) {
			c.end()
		}
	}
}

// open is the streams open now.
func (h *hub) open() []*client {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*client, 0, len(h.clients))
	for c := range h.clients {
		out = append(out, c)
	}
	return out
}

// signedOut is the last event of a stream whose session ended: the page
// goes back to the sign-in form.
var signedOut = desk.Event{Kind: "signed_out"}

// stream is the page's server-sent events.
func (h *Handler) stream(w http.ResponseWriter, r *http.Request, s desk.Session) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		httpjson.Write(w, http.StatusUnauthorized, map[string]string{"error": "sign in first"})
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // the server's write timeout would cut the stream
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no")
	cl := h.hub.add(s, c.Value, s.Since.Add(h.cfg.SessionTTL))
	defer h.hub.remove(cl)
	fmt.Fprint(w, "retry: 2000\n: connected\n\n")
	if err := rc.Flush(); err != nil {
		return
	}
	beat := time.NewTicker(20 * time.Second)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-cl.done:
			writeEvent(w, signedOut)
			_ = rc.Flush()
			return
		case <-beat.C:
			fmt.Fprint(w, ": ping\n\n")
		case e := <-cl.events:
			writeEvent(w, e)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

func writeEvent(w http.ResponseWriter, e desk.Event) {
	b, _ := json.Marshal(e)
	fmt.Fprintf(w, "data: %s\n\n", b)
}
