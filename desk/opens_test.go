package desk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/redisdesk"
	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/testenv"
)

// A person who asks for a person before the desk opens is told when it
// opens: the hour alone when that is today in Argentina (a date there
// read as another day), the date otherwise, whatever day it is in UTC.
func TestOpeningIsTodayOrADate(t *testing.T) {
	rdb := testenv.Redis(t)
	hours, err := desk.ParseHours(desk.DefaultHours, desk.DefaultZone)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		now    time.Time
		es, en string
	}{
		{"monday 06:00 in Buenos Aires", time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), "abre hoy a las 08:00", "opens today at 08:00"},
		{"sunday noon", time.Date(2026, 11, 29, 15, 0, 0, 0, time.UTC), "abre el 30/11/2026 a las 08:00", "opens on 30 November 2026 at 08:00"},
		// 22:00 on Monday in Buenos Aires is Tuesday in UTC, the day it opens.
		{"monday 22:00 in Buenos Aires", time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC), "abre el 01/12/2026 a las 08:00", "opens on 1 December 2026 at 08:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := redisdesk.New(rdb, testenv.Prefix(t, rdb, "opening"))
			h := desk.NewHandoffs(desk.Config{Hours: hours, Now: func() time.Time { return tc.now }}, q, &records{outcomes: map[string]string{}}, &heldOutbox{})
			tk, err := h.Enqueue(context.Background(), convo.Handoff{Chat: "telegram:9", Channel: "telegram", Reason: "requested"})
			if err != nil {
				t.Fatal(err)
			}
			rel, err := h.Relay(context.Background(), "telegram:9", "hola?")
			if err != nil {
				t.Fatal(err)
			}
			for _, said := range []i18n.Message{tk.Opening, rel.Opening} {
				msg := i18n.M("handoff.closed_until", "opens", said)
				if got := cat.Printer(i18n.ES).Sprint(msg); !strings.Contains(got, tc.es) {
					t.Errorf("es: %q, want %q in it", got, tc.es)
				}
				if got := cat.Printer(i18n.EN).Sprint(msg); !strings.Contains(got, tc.en) {
					t.Errorf("en: %q, want %q in it", got, tc.en)
				}
			}
		})
	}
}
