package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/web"
	"github.com/clavebot/clavebot/dialog/convo"
)

// valve holds the writes of the desk's event streams while shut, as a
// network that stops carrying them would: the server's writer waits, and
// the events that come meanwhile fill the page's buffer.
type valve struct {
	mu   sync.Mutex
	open chan struct{} // closed while the valve is open
}

func newValve() *valve {
	v := &valve{open: make(chan struct{})}
	close(v.open)
	return v
}

func (v *valve) shut() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.open = make(chan struct{})
}

func (v *valve) release() {
	v.mu.Lock()
	defer v.mu.Unlock()
	select {
	case <-v.open:
	default:
		close(v.open)
	}
}

func (v *valve) wait() {
	v.mu.Lock()
	ch := v.open
	v.mu.Unlock()
	<-ch
}

// streams wraps h: the event streams' writes pass through v.
func (v *valve) streams(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/desk/events") {
			w = valvedWriter{w, v}
		}
		h.ServeHTTP(w, r)
	})
}

type valvedWriter struct {
	http.ResponseWriter
	v *valve
}

func (w valvedWriter) Write(b []byte) (int, error) {
	w.v.wait()
	return w.ResponseWriter.Write(b)
}

func (w valvedWriter) FlushError() error {
	w.v.wait()
	return http.NewResponseController(w.ResponseWriter).Flush()
}

func (w valvedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// heardEvents tells heard when the desk server has passed on an event
// that match is true for.
type heardEvents struct {
	web.Events
	match func(desk.Event) bool
	heard chan<- struct{}
}

func (h heardEvents) Subscribe(ctx context.Context, f func(desk.Event)) error {
	return h.Events.Subscribe(ctx, func(e desk.Event) {
		f(e)
		if h.match(e) {
			select {
			case h.heard <- struct{}{}:
			default:
			}
		}
	})
}

// TestPageCatchesUpWhenToldItMissedEvents: a page whose stream fell
// behind (a slow network on a busy day, every new chat in the line an
// event to every page) loses the events past the server's buffer, and is
// told so ("missed") after those it gets. The chat it has open, whose
// person wrote meanwhile, must show it: the page reads the board and the
// chat again when told, though no event of that chat reached it.
func TestPageCatchesUpWhenToldItMissedEvents(t *testing.T) {
	const person = "perdida"
	v := newValve()
	heard := make(chan struct{}, 1)
	e := newHookedEnv(t, hooks{handler: v.streams, events: func(ev web.Events) web.Events {
		return heardEvents{ev, func(d desk.Event) bool { return d.Chat == "rest:"+person && d.Kind == "message" }, heard}
	}})
	ctx := browser(t)
	e.takenBy(t, "ana", person)
	item := `#active li[data-chat="rest:` + person + `"]`
	err := chromedp.Do(ctx,
		openLive(e.srv.URL, item),
		textIn(`#messages`, "hablar con una persona"),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The stream stops; more new chats come than the page's buffer holds,
	// then the open chat's person writes: that event is one of the lost.
	v.shut()
	for i := range 60 {
		if _, err := e.handoffs.Enqueue(context.Background(), convo.Handoff{Chat: fmt.Sprintf("rest:fila%d", i), Channel: "rest", Reason: "requested"}); err != nil {
			t.Fatal(err)
		}
	}
	e.say(t, person, "sigo acá, ¿me leés?")
	<-heard // the page's buffer was full when it came: it is lost
	v.release()
	var events string
	err = chromedp.Do(ctx,
		textIn(`#messages`, "sigo acá, ¿me leés?"),
		into(&events, chromedp.Evaluate[string](`document.body.dataset.events || "0"`)),
	)
	if err != nil {
		t.Fatalf("the open chat lacks the message written while the page fell behind: %v", err)
	}
	t.Logf("the page read %s events", events)
}
