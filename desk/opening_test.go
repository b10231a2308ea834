package desk_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

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

// TestDeskOpensAndCloses: a message left at night joins the line when the
// desk opens, and the person is told their place; people still in the
// line at closing time are told when it opens again. Two processes follow
// the hours; each change is told once.
func TestDeskOpensAndCloses(t *testing.T) {
	rdb := testenv.Redis(t)
	prefix := testenv.Prefix(t, rdb, "hours")
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	hours, err := desk.ParseHours(desk.DefaultHours, desk.DefaultZone)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC) // Monday 7:00 in Buenos Aires: closed
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	set := func(t time.Time) { mu.Lock(); defer mu.Unlock(); now = t }
	out := &toldOutbox{told: map[string][]string{}, p: cat.Printer(i18n.ES)}
	procs := make([]*desk.Handoffs, 2)
	for i := range procs {
		procs[i] = desk.NewHandoffs(desk.Config{Hours: hours, Now: clock, Printer: out.p},
			redisdesk.New(rdb, prefix), &records{outcomes: map[string]string{}}, out)
	}
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
	list, err := redisdesk.New(rdb, prefix).List(ctx)
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
