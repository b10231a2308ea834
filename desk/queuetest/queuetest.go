// Package queuetest is the conformance suite of desk.Queue, as
// testing/fstest is of fs.FS: every implementation runs it
// (desk/redisdesk on a server, a Cluster and a Sentinel set).
package queuetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/internal/errs"
)

// Process opens one more handle on the queue of a test, as one process of
// a deployment holds it.
type Process func() desk.Queue

// Run runs the suite, each case a subtest on a fresh, empty queue that
// open returns (removed when t ends).
func Run(t *testing.T, open func(t *testing.T) Process) {
	tests := []struct {
		name string
		run  func(t *testing.T, p Process)
	}{
		{"places, moves and owners across processes", testMoves},
		{"a pending conversation can be taken", testPendingTaken},
		{"a chat without a conversation is not found", testMissing},
		{"opening moves the pending into the line, once across processes", testSetOpen},
		{"a conversation given back goes first, once across processes", testReturn},
		{"a conversation keeps its latest messages only", testKept},
		{"further back, a place is told when it is worth it", testToldFarBack},
		{"the head of the line and its totals", testHead},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, open(t)) })
	}
}

var now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func testMoves(t *testing.T, open Process) {
	ctx := context.Background()
	p1, p2 := open(), open()
	for i, chat := range []string{"rest:a", "whatsapp:b", "telegram:c"} {
		c := desk.Conversation{ID: chat, Chat: chat, Status: desk.Waiting, Enqueued: now}
		pos, err := p1.Put(ctx, c, []desk.Message{{At: now, From: desk.FromPerson, Text: "[clave oculta]"}})
		if err != nil || pos != i+1 {
			t.Fatalf("Put(%s) = %d, %v", chat, pos, err)
		}
	}
	if m, _ := p2.Moves(ctx); len(m) != 0 {
		t.Fatalf("moves before anything moved: %v", m)
	}
	if _, err := p2.Take(ctx, "rest:a", "ana", now); err != nil {
		t.Fatal(err)
	}
	expectMoves(t, p1, desk.Moved{Chat: "whatsapp:b", Position: 1}, desk.Moved{Chat: "telegram:c", Position: 2})
	expectMoves(t, p2) // told once, whichever process asks
	// A message from the line says its place ("¿cuánto falta?").
	if c, err := p2.Append(ctx, "telegram:c", desk.Message{At: now, From: desk.FromPerson, Text: "¿falta mucho?"}); err != nil || c.Position != 2 {
		t.Fatalf("Append from the line = %+v, %v; want place 2", c, err)
	}
	if _, err := p1.Take(ctx, "rest:a", "beto", now); !errs.Is(errs.Conflict, err) {
		t.Fatalf("beto took ana's chat: %v", err)
	}
	if _, err := p1.Finish(ctx, "rest:a", "beto"); !errs.Is(errs.Conflict, err) {
		t.Fatalf("beto closed ana's chat: %v", err)
	}
	// A take-over (a supervisor's) gives ana's chat to sara, who may close
	// it; ana may not any more. Then it is ana's again the same way.
	if c, err := p1.TakeOver(ctx, "rest:a", "sara", now); err != nil || c.Agent != "sara" || c.Status != desk.Active {
		t.Fatalf("TakeOver = %+v, %v", c, err)
	}
	if _, err := p2.Finish(ctx, "rest:a", "ana"); !errs.Is(errs.Conflict, err) {
		t.Fatalf("ana closed the chat sara took over: %v", err)
	}
	if c, err := p2.TakeOver(ctx, "rest:a", "ana", now); err != nil || c.Agent != "ana" {
		t.Fatalf("TakeOver back = %+v, %v", c, err)
	}
	if c, err := p2.Remove(ctx, "whatsapp:b"); err != nil || c.Status != desk.Waiting {
		t.Fatalf("Remove = %+v, %v", c, err)
	}
	expectMoves(t, p2, desk.Moved{Chat: "telegram:c", Position: 1})
	list, err := p1.List(ctx)
	if err != nil || len(list) != 2 || list[0].Chat != "telegram:c" || list[0].Position != 1 || list[1].Agent != "ana" {
		t.Fatalf("List = %+v, %v", list, err)
	}
	if _, err := p1.Append(ctx, "rest:a", desk.Message{At: now, From: desk.FromAgent, Agent: "ana", Text: "hola"}); err != nil {
		t.Fatal(err)
	}
	c, msgs, err := p2.Get(ctx, "rest:a")
	if err != nil || c.Status != desk.Active || len(msgs) != 2 || msgs[1].Text != "hola" {
		t.Fatalf("Get = %+v %+v %v", c, msgs, err)
	}
	if _, err := p2.Finish(ctx, "rest:a", "ana"); err != nil {
		t.Fatal(err)
	}
	if _, err := p1.Append(ctx, "rest:a", desk.Message{Text: "x"}); !errs.Is(errs.NotFound, err) {
		t.Fatalf("Append after close: %v", err)
	}
}

func testToldFarBack(t *testing.T, open Process) {
	ctx := context.Background()
	p1, p2 := open(), open()
	for i := 1; i <= 9; i++ {
		chat := fmt.Sprint("rest:", i)
		if _, err := p1.Put(ctx, desk.Conversation{ID: chat, Chat: chat, Status: desk.Waiting, Enqueued: now}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p2.Take(ctx, "rest:1", "ana", now); err != nil {
		t.Fatal(err)
	}
	// The first desk.ToldNear places are told; the 7th, now 6th, is not
	// (6 is more than three quarters of 7), nor anyone behind.
	var want []desk.Moved
	for i := 2; i <= desk.ToldNear+1; i++ {
		want = append(want, desk.Moved{Chat: fmt.Sprint("rest:", i), Position: i - 1})
	}
	expectMoves(t, p1, want...)
	for i := 2; i <= 3; i++ {
		if _, err := p2.Take(ctx, fmt.Sprint("rest:", i), "ana", now); err != nil {
			t.Fatal(err)
		}
	}
	// Three taken: the 8th is 5th, and the 9th 6th, three quarters of 9.
	expectMoves(t, p2, desk.Moved{Chat: "rest:4", Position: 1}, desk.Moved{Chat: "rest:5", Position: 2},
		desk.Moved{Chat: "rest:6", Position: 3}, desk.Moved{Chat: "rest:7", Position: 4},
		desk.Moved{Chat: "rest:8", Position: 5}, desk.Moved{Chat: "rest:9", Position: 6})
}

func expectMoves(t *testing.T, q desk.Queue, want ...desk.Moved) {
	t.Helper()
	got, err := q.Moves(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("moves %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("moves %v, want %v", got, want)
		}
	}
}

func testPendingTaken(t *testing.T, open Process) {
	ctx := context.Background()
	q := open()
	c := desk.Conversation{ID: "p1", Chat: "rest:p", Status: desk.Pending, Enqueued: now}
	if _, err := q.Put(ctx, c, []desk.Message{{At: now, From: desk.FromPerson, Text: "dejo un mensaje"}}); err != nil {
		t.Fatal(err)
	}
	got, err := open().Take(ctx, "rest:p", "ana", now.Add(time.Hour))
	if err != nil || got.Status != desk.Active || got.Agent != "ana" || got.ID != "p1" {
		t.Fatalf("Take of a pending conversation = %+v, %v", got, err)
	}
	got, msgs, err := q.Get(ctx, "rest:p")
	if err != nil || got.Agent != "ana" || len(msgs) != 1 || msgs[0].Text != "dejo un mensaje" {
		t.Fatalf("Get = %+v %+v %v", got, msgs, err)
	}
}

func testMissing(t *testing.T, open Process) {
	ctx := context.Background()
	q := open()
	if _, _, err := q.Get(ctx, "rest:none"); !errs.Is(errs.NotFound, err) {
		t.Errorf("Get: %v, want NotFound", err)
	}
	if _, err := q.Append(ctx, "rest:none", desk.Message{At: now, From: desk.FromPerson, Text: "hola"}); !errs.Is(errs.NotFound, err) {
		t.Errorf("Append: %v, want NotFound", err)
	}
	if _, err := q.Remove(ctx, "rest:none"); !errs.Is(errs.NotFound, err) {
		t.Errorf("Remove: %v, want NotFound", err)
	}
	if list, err := q.List(ctx); err != nil || len(list) != 0 {
		t.Errorf("List of an empty queue = %+v, %v", list, err)
	}
}

func testSetOpen(t *testing.T, open Process) {
	ctx := context.Background()
	p1, p2 := open(), open()
	t0, t1, t2 := now.Add(-48*time.Hour), now.Add(-12*time.Hour), now
	hoursOf := func(isOpen bool, since time.Time) desk.HoursNow {
		return desk.HoursNow{Open: isOpen, Since: since, Hours: "mon-fri 08:00-20:00", Started: t0}
	}
	set := func(q desk.Queue, h desk.HoursNow, changed bool, want ...desk.Moved) {
		t.Helper()
		got, err := q.SetOpen(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		if got.Changed != changed || len(got.Tell) != len(want) {
			t.Fatalf("SetOpen(%+v) = %+v, want changed %v, told %v", h, got, changed, want)
		}
		for i := range want {
			if got.Tell[i] != want[i] {
				t.Fatalf("SetOpen(%+v) told %v, want %v", h, got.Tell, want)
			}
		}
	}
	turn := func(q desk.Queue, isOpen bool, since time.Time, changed bool, want ...desk.Moved) {
		t.Helper()
		set(q, hoursOf(isOpen, since), changed, want...)
	}
	put := func(chat string, s desk.Status) {
		t.Helper()
		if _, err := p1.Put(ctx, desk.Conversation{ID: chat, Chat: chat, Status: s, Enqueued: now}, nil); err != nil {
			t.Fatal(err)
		}
	}
	// The first word on a queue tells nobody: the desk was never said
	// to be closed.
	put("rest:a", desk.Waiting)
	turn(p1, true, t0, false)
	turn(p2, true, t0, false)
	// Closing tells the line once, whichever process sees it first.
	turn(p2, false, t1, true, desk.Moved{Chat: "rest:a", Position: 1})
	turn(p1, false, t1, false)
	// Messages left while closed wait apart, in the order they came.
	put("whatsapp:b", desk.Pending)
	put("telegram:c", desk.Pending)
	// Opening moves them into the line behind who was there, and tells
	// everyone in the line their place, once.
	turn(p1, true, t2, true, desk.Moved{Chat: "rest:a", Position: 1}, desk.Moved{Chat: "whatsapp:b", Position: 2}, desk.Moved{Chat: "telegram:c", Position: 3})
	turn(p2, true, t2, false)
	// A process that sees an older change (a clock behind, other hours
	// in a rolling deploy), or the other state for the same one, changes
	// nothing: the line was told "abrió", "cerró", "abrió" (a regression
	// probe).
	turn(p1, false, t1, false)
	turn(p2, false, t2, false)
	turn(p1, true, t2, false)
	list, err := p2.List(ctx)
	if err != nil || len(list) != 3 {
		t.Fatalf("List = %+v, %v", list, err)
	}
	for i, c := range list {
		if c.Status != desk.Waiting || c.Position != i+1 {
			t.Fatalf("after opening, List = %+v", list)
		}
	}
	// Places were told: nobody is told again that they moved.
	expectMoves(t, p2)
	// A message left just before the hour, seen after it, joins the
	// line ahead of later arrivals, and only it is told.
	put("rest:d", desk.Pending)
	put("rest:e", desk.Waiting)
	turn(p2, true, t2, false, desk.Moved{Chat: "rest:d", Position: 4})
	if list, _ := p1.List(ctx); len(list) != 5 || list[3].Chat != "rest:d" || list[4].Chat != "rest:e" {
		t.Fatalf("the late message is not ahead of later arrivals: %+v", list)
	}
	// Other hours: those of a process started before the recorded one
	// change nothing; those of one started after win, even with an older
	// change (hours extended, or always open: a regression probe found
	// the desk never opened).
	t3 := t2.Add(12 * time.Hour)
	turn(p1, false, t3, true, desk.Moved{Chat: "rest:a", Position: 1}, desk.Moved{Chat: "whatsapp:b", Position: 2},
		desk.Moved{Chat: "telegram:c", Position: 3}, desk.Moved{Chat: "rest:d", Position: 4}, desk.Moved{Chat: "rest:e", Position: 5})
	set(p2, desk.HoursNow{Open: true, Since: t0, Hours: "mon-sun 00:00-24:00", Started: t0.Add(-time.Hour)}, false)
	set(p2, desk.HoursNow{Open: true, Since: t0, Hours: "mon-sun 00:00-24:00", Started: t0.Add(time.Hour)}, true,
		desk.Moved{Chat: "rest:a", Position: 1}, desk.Moved{Chat: "whatsapp:b", Position: 2},
		desk.Moved{Chat: "telegram:c", Position: 3}, desk.Moved{Chat: "rest:d", Position: 4}, desk.Moved{Chat: "rest:e", Position: 5})
	turn(p1, false, t3, false)
}

func testReturn(t *testing.T, open Process) {
	ctx := context.Background()
	p1, p2 := open(), open()
	for _, chat := range []string{"rest:a", "rest:b", "rest:c", "rest:d"} {
		c := desk.Conversation{ID: chat, Chat: chat, Status: desk.Waiting, Enqueued: now}
		if _, err := p1.Put(ctx, c, []desk.Message{{At: now, From: desk.FromPerson, Text: "hola " + chat}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, chat := range []string{"rest:a", "rest:b"} {
		if _, err := p1.Take(ctx, chat, "ana", now); err != nil {
			t.Fatal(err)
		}
	}
	line := desk.Message{At: now, From: desk.FromBot, Text: "[volvió a la fila]"}
	if _, err := p2.Return(ctx, "rest:a", "beto", line); !errs.Is(errs.Conflict, err) {
		t.Fatalf("beto gave back ana's chat: %v", err)
	}
	if _, err := p2.Return(ctx, "rest:c", "ana", line); !errs.Is(errs.Conflict, err) {
		t.Fatalf("a waiting chat was given back: %v", err)
	}
	if _, err := p2.Return(ctx, "rest:zz", "ana", line); !errs.Is(errs.NotFound, err) {
		t.Fatalf("a missing chat was given back: %v", err)
	}
	// b first, then a: of two given back, the one that came first goes
	// first, both ahead of c and d.
	if c, err := p2.Return(ctx, "rest:b", "ana", line); err != nil || c.Position != 1 || c.Status != desk.Waiting || c.Agent != "" || c.Returned != 1 {
		t.Fatalf("Return(b) = %+v, %v", c, err)
	}
	if c, err := p1.Return(ctx, "rest:a", "ana", line); err != nil || c.Position != 1 {
		t.Fatalf("Return(a) = %+v, %v", c, err)
	}
	if _, err := p2.Return(ctx, "rest:a", "ana", line); !errs.Is(errs.Conflict, err) {
		t.Fatalf("a chat was given back twice: %v", err)
	}
	list, err := p2.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, c := range list {
		order = append(order, c.Chat)
	}
	if got := strings.Join(order, " "); got != "rest:a rest:b rest:c rest:d" {
		t.Fatalf("the line is %s", got)
	}
	_, msgs, err := p1.Get(ctx, "rest:a")
	if err != nil || len(msgs) != 2 || msgs[0].Text != "hola rest:a" || msgs[1].Text != line.Text {
		t.Fatalf("messages after the return: %+v, %v", msgs, err)
	}
	// Taken again, it is the new agent's as any other.
	if c, err := p2.Take(ctx, "rest:a", "beto", now); err != nil || c.Agent != "beto" || c.Returned != 1 {
		t.Fatalf("Take after the return = %+v, %v", c, err)
	}
	// The chats agents have are a's alone: none waiting, none given back.
	if act, err := p1.Active(ctx); err != nil || len(act) != 1 || act[0].Chat != "rest:a" || act[0].Agent != "beto" {
		t.Fatalf("Active = %+v, %v; want rest:a, beto's", act, err)
	}
}

func testKept(t *testing.T, open Process) {
	ctx := context.Background()
	p := open()
	const chat = "rest:long"
	c := desk.Conversation{ID: chat, Chat: chat, Status: desk.Waiting, Enqueued: now}
	if _, err := p.Put(ctx, c, []desk.Message{{At: now, From: desk.FromBot, Text: "history"}}); err != nil {
		t.Fatal(err)
	}
	const over = 7
	for i := 1; i <= desk.MaxKept+over; i++ {
		m := desk.Message{At: now, From: desk.FromPerson, Text: fmt.Sprint("m", i)}
		if i%2 == 0 {
			m.From = desk.FromAgent
		}
		got, err := p.Append(ctx, chat, m)
		if err != nil {
			t.Fatal(err)
		}
		if want := max(0, i+1-desk.MaxKept); got.Trimmed != want {
			t.Fatalf("after message %d: %d trimmed, want %d", i, got.Trimmed, want)
		}
	}
	got, msgs, err := p.Get(ctx, chat)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != desk.MaxKept || msgs[0].Text != fmt.Sprint("m", over+1) || got.Trimmed != over+1 {
		t.Fatalf("kept %d messages from %q, %d trimmed; want the latest %d, %d trimmed", len(msgs), msgs[0].Text, got.Trimmed, desk.MaxKept, over+1)
	}
}

func testHead(t *testing.T, open Process) {
	ctx := context.Background()
	q := open()
	put := func(chat string, s desk.Status) {
		t.Helper()
		if _, err := q.Put(ctx, desk.Conversation{ID: chat, Chat: chat, Status: s, Enqueued: now}, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, chat := range []string{"rest:a", "rest:b", "rest:c", "rest:d"} {
		put(chat, desk.Waiting)
	}
	put("rest:p1", desk.Pending)
	put("rest:p2", desk.Pending)
	put("rest:p3", desk.Pending)
	if _, err := q.Take(ctx, "rest:a", "ana", now); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		n    int
		want []string // chat@position, or chat for the pending and active
	}{
		{2, []string{"rest:b@1", "rest:c@2", "rest:p1", "rest:p2", "rest:a"}},
		{10, []string{"rest:b@1", "rest:c@2", "rest:d@3", "rest:p1", "rest:p2", "rest:p3", "rest:a"}},
		{0, []string{"rest:a"}},
	}
	for _, tt := range tests {
		h, err := q.Head(ctx, tt.n)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range h.Conversations {
			s := c.Chat
			if c.Status == desk.Waiting {
				s = fmt.Sprintf("%s@%d", c.Chat, c.Position)
			}
			got = append(got, s)
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") || h.Waiting != 3 || h.Pending != 3 {
			t.Errorf("Head(%d) = %v, %d waiting, %d pending; want %v, 3 and 3", tt.n, got, h.Waiting, h.Pending, tt.want)
		}
	}
}
