package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/clavebot/clavebot/desk"
)

// hub passes desk events to the pages open in this process.
type hub struct {
	mu      sync.Mutex
	clients map[chan desk.Event]struct{}
}

func newHub() *hub { return &hub{clients: map[chan desk.Event]struct{}{}} }

func (h *hub) add() chan desk.Event {
	ch := make(chan desk.Event, 32)
	h.mu.Lock()
	h.clients[ch] = struct{}{}
	h.mu.Unlock()
	return ch
}

func (h *hub) remove(ch chan desk.Event) {
	h.mu.Lock()
	delete(h.clients, ch)
	h.mu.Unlock()
}

// send never blocks: a page too slow to read misses an event, and its next
// refresh catches up.
func (h *hub) send(e desk.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.clients {
		select {
		case ch <- e:
		default:
		}
	}
}

// stream is the page's server-sent events.
func (h *Handler) stream(w http.ResponseWriter, r *http.Request, _ desk.Session) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // the server's write timeout would cut the stream
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no")
	ch := h.hub.add()
	defer h.hub.remove(ch)
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
		case <-beat.C:
			fmt.Fprint(w, ": ping\n\n")
		case e := <-ch:
			b, _ := json.Marshal(e)
			fmt.Fprintf(w, "data: %s\n\n", b)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}
