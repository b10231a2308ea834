package desk_test

import (
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/i18n"
)

func TestHoursOpen(t *testing.T) {
	art := time.FixedZone("ART", -3*3600)
	def, err := desk.ParseHours(desk.DefaultHours, desk.DefaultZone)
	if err != nil {
		t.Fatal(err)
	}
	two, err := desk.ParseHours("mon-fri 08:00-20:00, sat 09:00-13:00", desk.DefaultZone)
	if err != nil {
		t.Fatal(err)
	}
	night, err := desk.ParseHours("fri-mon 22:00-24:00", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		hours desk.Hours
		at    time.Time
		want  bool
	}{
		{"tuesday noon", def, time.Date(2026, 11, 24, 12, 0, 0, 0, art), true},
		{"monday at opening", def, time.Date(2026, 11, 23, 8, 0, 0, 0, art), true},
		{"monday a minute before", def, time.Date(2026, 11, 23, 7, 59, 59, 0, art), false},
		{"friday last minute", def, time.Date(2026, 11, 27, 19, 59, 0, 0, art), true},
		{"friday at closing", def, time.Date(2026, 11, 27, 20, 0, 0, 0, art), false},
		{"saturday noon", def, time.Date(2026, 11, 28, 12, 0, 0, 0, art), false},
		{"sunday noon", def, time.Date(2026, 11, 29, 12, 0, 0, 0, art), false},
		// 22:30 UTC on Friday is 19:30 in Buenos Aires: open.
		{"zone: friday evening UTC", def, time.Date(2026, 11, 27, 22, 30, 0, 0, time.UTC), true},
		// 00:30 UTC on Saturday is still Friday 21:30 there: closed.
		{"zone: saturday early UTC", def, time.Date(2026, 11, 28, 0, 30, 0, 0, time.UTC), false},
		// 11:30 UTC on Monday is 08:30 there: open.
		{"zone: monday morning UTC", def, time.Date(2026, 11, 23, 11, 30, 0, 0, time.UTC), true},
		{"second span: saturday morning", two, time.Date(2026, 11, 28, 10, 0, 0, 0, art), true},
		{"second span: saturday afternoon", two, time.Date(2026, 11, 28, 14, 0, 0, 0, art), false},
		{"wrapping days: sunday", night, time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC), true},
		{"wrapping days: wednesday", night, time.Date(2026, 11, 25, 23, 0, 0, 0, time.UTC), false},
		{"until midnight: 23:59", night, time.Date(2026, 11, 27, 23, 59, 0, 0, time.UTC), true},
		{"zero hours are always open", desk.Hours{}, time.Date(2026, 11, 29, 3, 0, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.hours.Open(tt.at); got != tt.want {
				t.Errorf("Open(%v) = %v, want %v", tt.at, got, tt.want)
			}
		})
	}
}

// When the desk is closed the person is told when it opens: NextOpen.
func TestHoursNextOpen(t *testing.T) {
	art := time.FixedZone("ART", -3*3600)
	two, err := desk.ParseHours("mon-fri 08:00-20:00, sat 09:00-13:00", desk.DefaultZone)
	if err != nil {
		t.Fatal(err)
	}
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, art) }
	tests := []struct {
		name     string
		now      time.Time
		want     time.Time
		wantZero bool
	}{
		{"open: now", at(24, 12, 0), at(24, 12, 0), false},
		{"before opening: that morning", at(24, 6, 30), at(24, 8, 0), false},
		{"friday night: saturday's span", at(27, 21, 0), at(28, 9, 0), false},
		{"saturday afternoon: monday", at(28, 14, 0), at(30, 8, 0), false},
		{"sunday: monday", at(29, 10, 0), at(30, 8, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := two.NextOpen(tt.now); !got.Equal(tt.want) {
				t.Errorf("NextOpen(%v) = %v, want %v", tt.now, got, tt.want)
			}
		})
	}
	if got := (desk.Hours{}).NextOpen(at(29, 3, 0)); !got.Equal(at(29, 3, 0)) {
		t.Errorf("zero hours: %v", got)
	}
}

func TestParseHoursErrors(t *testing.T) {
	tests := []struct{ name, spec, zone string }{
		{"no times", "mon-fri", desk.DefaultZone},
		{"bad day", "lun-vie 08:00-20:00", desk.DefaultZone},
		{"reversed", "mon-fri 20:00-08:00", desk.DefaultZone},
		{"bad clock", "mon-fri 8-20", desk.DefaultZone},
		{"bad zone", desk.DefaultHours, "Mars/Olympus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := desk.ParseHours(tt.spec, tt.zone); err == nil {
				t.Errorf("ParseHours(%q, %q) accepted", tt.spec, tt.zone)
			}
		})
	}
}

// TestHoursSaid: the bot tells the desk's hours as a person says them
// ("¿en qué horario atienden?" got "en su horario").
func TestHoursSaid(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	es, en := cat.Printer(i18n.ES), cat.Printer(i18n.EN)
	tests := []struct{ spec, es, en string }{
		{desk.DefaultHours, "de lunes a viernes de 8:00 a 20:00", "Monday to Friday, 8:00 to 20:00"},
		{"mon-fri 08:00-20:00, sat 09:00-13:30", "de lunes a viernes de 8:00 a 20:00 y los sábados de 9:00 a 13:30",
			"Monday to Friday, 8:00 to 20:00; and on Saturdays, 9:00 to 13:30"},
		{"sun 10:00-14:00, mon-fri 08:00-20:00", "de lunes a viernes de 8:00 a 20:00 y los domingos de 10:00 a 14:00", ""},
		{"mon 08:00-12:00, wed-thu 08:00-12:00, sat 08:00-12:00", "los lunes, de miércoles a jueves y los sábados de 8:00 a 12:00", ""},
		{"fri-mon 22:00-24:00", "de viernes a lunes de 22:00 a 24:00", "Friday to Monday, 22:00 to 24:00"},
		{"mon-sun 00:00-24:00", "todos los días, las 24 horas", "every day, around the clock"},
		{"mon-sun 08:00-20:00", "todos los días de 8:00 a 20:00", "every day, 8:00 to 20:00"},
		{"sat-sun 00:00-24:00, mon-fri 08:00-20:00", "de lunes a viernes de 8:00 a 20:00 y de sábado a domingo, las 24 horas", ""},
	}
	for _, tt := range tests {
		h, err := desk.ParseHours(tt.spec, desk.DefaultZone)
		if err != nil {
			t.Fatal(err)
		}
		m, ok := h.Said()
		if !ok {
			t.Fatalf("%q: nothing to say", tt.spec)
		}
		if got := es.Sprint(m); got != tt.es {
			t.Errorf("%q in Spanish: %q, want %q", tt.spec, got, tt.es)
		}
		if got := en.Sprint(m); tt.en != "" && got != tt.en {
			t.Errorf("%q in English: %q, want %q", tt.spec, got, tt.en)
		}
	}
	if _, ok := (desk.Hours{}).Said(); ok {
		t.Error("zero Hours (always open) said hours")
	}
}

func TestHoursSince(t *testing.T) {
	h, err := desk.ParseHours("mon-fri 08:00-20:00, sat 09:00-13:00", desk.DefaultZone)
	if err != nil {
		t.Fatal(err)
	}
	ba := h.Location()
	at := func(d, hh, mm int) time.Time { return time.Date(2026, 11, d, hh, mm, 0, 0, ba) } // 30 = Monday
	for _, tt := range []struct{ now, want time.Time }{
		{at(30, 7, 59), at(28, 13, 0)}, // Monday before opening: closed since Saturday 13:00
		{at(30, 8, 0), at(30, 8, 0)},   // opened now
		{at(30, 12, 30), at(30, 8, 0)}, // open since 8:00
		{at(30, 20, 0), at(30, 20, 0)}, // closed now
		{at(28, 10, 0), at(28, 9, 0)},  // Saturday, open since 9:00
		{at(29, 23, 0), at(28, 13, 0)}, // Sunday night
	} {
		if got := h.Since(tt.now); !got.Equal(tt.want) {
			t.Errorf("Since(%v) = %v, want %v", tt.now, got, tt.want)
		}
	}
	if got := (desk.Hours{}).Since(at(30, 8, 0)); !got.IsZero() {
		t.Errorf("always open: Since = %v", got)
	}
}
