package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
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
	// missed is set when an event found events full: the page is told,
	// after the events it has, to read the board and its chat again.
	missed atomic.Bool
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

// send never blocks: a page too slow to read misses an event, and is told
// so after the ones it gets (missedEvent), to catch up: the open chat
// stayed as it was until that chat's next event (found by a desk probe).
// Each page gets e as its agent may be told it (desk.ForViewer).
func (h *hub) send(e desk.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c.events <- desk.ForViewer(c.sess.Viewer(), e):
		default:
			c.missed.Store(true)
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

// missedEvent tells a page it missed events: it reads the board and the
// chat it has open again.
var missedEvent = desk.Event{Kind: desk.EventMissed}

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
			cl.write(w, e)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

// write writes e to the client's stream, and then, if events were
// missed since it was last said, missedEvent.
func (c *client) write(w io.Writer, e desk.Event) {
	writeEvent(w, e)
	if c.missed.Swap(false) {
		writeEvent(w, missedEvent)
	}
}

func writeEvent(w io.Writer, e desk.Event) {
	b, _ := json.Marshal(e)
	fmt.Fprintf(w, "data: %s\n\n", b)
}
