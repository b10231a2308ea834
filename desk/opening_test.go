package desk_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// toldOutbox keeps what each chat was told.
type toldOutbox struct {
	mu   sync.Mutex
	told map[string][]string
	p    *i18n.Printer
}

func (o *toldOutbox) Deliver(_ context.Context, chat, _ string, replies []convo.Reply) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, r := range replies {
		o.told[chat] = append(o.told[chat], o.p.Sprint(r.Msg))
	}
	return nil
}

func (o *toldOutbox) take() map[string][]string {
	o.mu.Lock()
	defer o.mu.Unlock()
	t := o.told
	o.told = map[string][]string{}
	return t
}

// hoursWorld is a desk queue in the test's Redis, an outbox keeping what
// each chat was told, and processes following hours over them.
type hoursWorld struct {
	t      *testing.T
	rdb    redis.UniversalClient
	prefix string
	out    *toldOutbox
}

func newHoursWorld(t *testing.T) *hoursWorld {
	rdb := testenv.Redis(t)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return &hoursWorld{t: t, rdb: rdb, prefix: testenv.Prefix(t, rdb, "hours"), out: &toldOutbox{told: map[string][]string{}, p: cat.Printer(i18n.ES)}}
}

// process is one more process following hours, on its clock now (started
// at now's time when called).
func (w *hoursWorld) process(h desk.Hours, now func() time.Time) *desk.Handoffs {
	return desk.NewHandoffs(desk.Config{Hours: h, Now: now, Printer: w.out.p},
		redisdesk.New(w.rdb, w.prefix), &records{outcomes: map[string]string{}}, w.out)
}

// hours parses spec in the desk's default zone.
func (w *hoursWorld) hours(spec string) desk.Hours {
	w.t.Helper()
	h, err := desk.ParseHours(spec, desk.DefaultZone)
	if err != nil {
		w.t.Fatal(err)
	}
	return h
}

// TestDeskOpensAndCloses: a message left at night joins the line when the
// desk opens, and the person is told their place; people still in the
// line at closing time are told when it opens again. Two processes follow
// the hours; each change is told once.
func TestDeskOpensAndCloses(t *testing.T) {
	w := newHoursWorld(t)
	hours := w.hours(desk.DefaultHours)
	var mu sync.Mutex
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC) // Monday 7:00 in Buenos Aires: closed
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	set := func(t time.Time) { mu.Lock(); defer mu.Unlock(); now = t }
	out := w.out
	procs := []*desk.Handoffs{w.process(hours, clock), w.process(hours, clock)}
	ctx := context.Background()
	follow := func() map[string][]string {
		t.Helper()
		for _, h := range procs {
			if err := h.FollowHoursOnce(ctx); err != nil {
				t.Fatal(err)
			}
		}
		return out.take()
	}
	if told := follow(); len(told) != 0 {
		t.Fatalf("told %v before anything changed", told)
	}
	tk, err := procs[0].Enqueue(ctx, convo.Handoff{Chat: "telegram:1", Channel: "telegram", Reason: "requested"})
	if err != nil || tk.Open {
		t.Fatalf("Enqueue at 7:00 = %+v, %v; want a message left", tk, err)
	}
	if told := follow(); len(told) != 0 {
		t.Fatalf("told %v with the desk still closed", told)
	}

	set(time.Date(2026, 11, 30, 11, 0, 10, 0, time.UTC)) // 8:00:10: open
	told := follow()
	want := "La mesa de ayuda ya abrió. Estás en el lugar 1 de la fila"
	if len(told) != 1 || len(told["telegram:1"]) != 1 || !strings.HasPrefix(told["telegram:1"][0], want) {
		t.Fatalf("at opening told %v, want telegram:1 told once %q…", told, want)
	}
	if _, err := procs[1].Enqueue(ctx, convo.Handoff{Chat: "rest:2", Channel: "rest", Reason: "requested"}); err != nil {
		t.Fatal(err)
	}
	list, err := redisdesk.New(w.rdb, w.prefix).List(ctx)
	if err != nil || len(list) != 2 || list[0].Chat != "telegram:1" || list[0].Status != desk.Waiting || list[1].Position != 2 {
		t.Fatalf("line after opening: %+v, %v", list, err)
	}

	set(time.Date(2026, 11, 30, 23, 0, 5, 0, time.UTC)) // 20:00:05: closed until Tuesday 8:00
	told = follow()
	want = "La mesa de ayuda cerró; abre el 01/12/2026 a las 08:00. Seguís en la fila, en el lugar 2"
	if len(told) != 2 || len(told["rest:2"]) != 1 || !strings.HasPrefix(told["rest:2"][0], want) {
		t.Fatalf("at closing told %v, want both told, rest:2 %q…", told, want)
	}
}

// TestReplicasThatDisagreeTellOnce: two replicas on one Redis whose
// clocks differ by a second (NTP allows it) followed the hours at 8:00,
// and each call told the whole line the desk opened or closed: "abrió",
// "cerró", "abrió" within seconds. With replicas whose hours differ (a
// rolling deploy of CLAVEBOT_DESK_HOURS), it never stopped: every 15 s
// (found by a regression probe). The latest change wins, once.
func TestReplicasThatDisagreeTellOnce(t *testing.T) {
	w := newHoursWorld(t)
	hours, out := w.hours(desk.DefaultHours), w.out
	real := time.Date(2026, 11, 30, 10, 59, 59, 600e6, time.UTC) // Monday 7:59:59.6 in Buenos Aires
	ahead := w.process(hours, func() time.Time { return real.Add(time.Second) })
	behind := w.process(hours, func() time.Time { return real })
	ctx := context.Background()
	if err := behind.FollowHoursOnce(ctx); err != nil { // closed, recorded
		t.Fatal(err)
	}
	if _, err := behind.Enqueue(ctx, convo.Handoff{Chat: "rest:1", Channel: "rest", Reason: "requested"}); err != nil {
		t.Fatal(err)
	}
	for _, h := range []*desk.Handoffs{ahead, behind, ahead} { // ticks 15 s apart in the real run; here at once
		if err := h.FollowHoursOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if told := out.take()["rest:1"]; len(told) != 1 {
		t.Errorf("rest:1 was told %d times around 8:00:\n%q", len(told), told)
	}

	// Replicas configured differently: the desk closed on Monday at 20:00
	// for both; at 7:30 on Tuesday one says it opened at 7:00, the other
	// that it is still closed. The opening is told once, and nothing
	// flips back.
	other := w.hours("mon-fri 07:00-20:00")
	real = time.Date(2026, 11, 30, 23, 0, 30, 0, time.UTC) // Monday 20:00:30
	if err := behind.FollowHoursOnce(ctx); err != nil {
		t.Fatal(err)
	}
	real = time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC) // Tuesday 7:30
	a := w.process(hours, func() time.Time { return real })
	real = real.Add(time.Second) // b is the newer deployment: its hours win
	b := w.process(other, func() time.Time { return real })
	out.take()
	for range 4 { // one minute of ticks, at once
		_ = a.FollowHoursOnce(ctx)
		_ = b.FollowHoursOnce(ctx)
	}
	if told := out.take()["rest:1"]; len(told) != 1 {
		t.Errorf("in one minute with replicas on different hours rest:1 was told %d times: %q", len(told), told)
	}
}

// TestNewHoursTakeOver: the desk closed at 20:00 (default hours); a person
// left a message at 20:10. At 20:30 the operators extend today's hours to
// 22:00, or drop them (always open), every replica restarted. The new
// hours say the desk is open since 8:00, older than the recorded closing,
// and nothing changed: the message stayed pending, unsaid, and a later
// arrival went into the line ahead (found by a regression probe of
// 3938889). The hours of the process started last win.
func TestNewHoursTakeOver(t *testing.T) {
	for _, newHours := range []string{"mon-fri 08:00-22:00", ""} {
		t.Run("hours="+newHours, func(t *testing.T) {
			w := newHoursWorld(t)
			out := w.out
			var ext desk.Hours // zero: always open (no hours)
			if newHours != "" {
				ext = w.hours(newHours)
			}
			now := time.Date(2026, 11, 30, 22, 0, 0, 0, time.UTC) // Monday 19:00 BA: open
			clock := func() time.Time { return now }
			before := w.process(w.hours(desk.DefaultHours), clock)
			ctx := context.Background()
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			must(before.FollowHoursOnce(ctx))
			now = time.Date(2026, 11, 30, 23, 0, 5, 0, time.UTC) // 20:00:05 closed
			must(before.FollowHoursOnce(ctx))
			now = time.Date(2026, 11, 30, 23, 10, 0, 0, time.UTC) // 20:10 a message left
			if tk, err := before.Enqueue(ctx, convo.Handoff{Chat: "rest:early", Channel: "rest", Reason: "requested"}); err != nil || tk.Open {
				t.Fatalf("enqueue at 20:10: %+v %v", tk, err)
			}
			out.take()
			// 20:30: every replica restarted with the new hours.
			now = time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC)
			after := w.process(ext, clock)
			for range 4 {
				must(after.FollowHoursOnce(ctx))
			}
			told := out.take()
			now = time.Date(2026, 11, 30, 23, 35, 0, 0, time.UTC)
			if _, err := after.Enqueue(ctx, convo.Handoff{Chat: "rest:late", Channel: "rest", Reason: "requested"}); err != nil {
				t.Fatal(err)
			}
			list, err := redisdesk.New(w.rdb, w.prefix).List(ctx)
			must(err)
			if len(told["rest:early"]) == 0 || list[0].Chat != "rest:early" || list[0].Status != desk.Waiting {
				t.Fatalf("desk open by the new hours, but the message left at 20:10 is not in the line first")
			}
		})
	}
}
