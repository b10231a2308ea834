package desk

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/clavebot/clavebot/i18n"
)

// DefaultHours is when the desk is open unless configured: Monday to
// Friday, 8 to 20, Argentina's time.
const DefaultHours = "mon-fri 08:00-20:00"

// DefaultZone is the time zone the hours are read in.
const DefaultZone = "America/Argentina/Buenos_Aires"

// Hours are the weekly times the desk is open, in one time zone.
type Hours struct {
	spans []span
	loc   *time.Location
}

// span is one weekday's opening, in minutes from midnight [from, to).
type span struct {
	day      time.Weekday
	from, to int
}

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// ParseHours reads hours such as "mon-fri 08:00-20:00" or
// "mon-fri 08:00-20:00, sat 09:00-13:00" in the zone named zone.
func ParseHours(spec, zone string) (Hours, error) {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return Hours{}, fmt.Errorf("desk hours: time zone %q: %w", zone, err)
	}
	h := Hours{loc: loc}
	for part := range strings.SplitSeq(spec, ",") {
		spans, err := parseSpan(strings.ToLower(strings.TrimSpace(part)))
		if err != nil {
			return Hours{}, fmt.Errorf("desk hours %q: %w", spec, err)
		}
		h.spans = append(h.spans, spans...)
	}
	return h, nil
}

func parseSpan(s string) ([]span, error) {
	days, times, ok := strings.Cut(s, " ")
	if !ok {
		return nil, fmt.Errorf("want DAYS HH:MM-HH:MM, got %q", s)
	}
	first, last, err := parseDays(days)
	if err != nil {
		return nil, err
	}
	from, to, err := parseTimes(strings.TrimSpace(times))
	if err != nil {
		return nil, err
	}
	var out []span
	for d := first; ; d = (d + 1) % 7 {
		out = append(out, span{day: d, from: from, to: to})
		if d == last {
			return out, nil
		}
	}
}

func parseDays(s string) (time.Weekday, time.Weekday, error) {
	a, b, isRange := strings.Cut(s, "-")
	first, ok1 := weekdays[a]
	last, ok2 := first, true
	if isRange {
		last, ok2 = weekdays[b]
	}
	if !ok1 || !ok2 {
		return 0, 0, fmt.Errorf("days %q: use mon, tue, wed, thu, fri, sat, sun or a range like mon-fri", s)
	}
	return first, last, nil
}

func parseTimes(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, fmt.Errorf("times %q: want HH:MM-HH:MM", s)
	}
	from, err1 := clock(a)
	to, err2 := clock(b)
	if err1 != nil || err2 != nil || to <= from {
		return 0, 0, fmt.Errorf("times %q: want HH:MM-HH:MM, the second later (24:00 is midnight)", s)
	}
	return from, to, nil
}

func clock(s string) (int, error) {
	if s == "24:00" {
		return 24 * 60, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Open reports whether the desk is open at t.
func (h Hours) Open(t time.Time) bool {
	if h.loc == nil {
		return true // zero Hours: always open
	}
	t = t.In(h.loc)
	m := t.Hour()*60 + t.Minute()
	for _, s := range h.spans {
		if s.day == t.Weekday() && m >= s.from && m < s.to {
			return true
		}
	}
	return false
}

// NextOpen is the first minute at or after t when the desk is open: t
// itself while open (always, for zero Hours), the zero time when the desk
// never opens.
func (h Hours) NextOpen(t time.Time) time.Time {
	if h.Open(t) {
		return t
	}
	t = t.In(h.loc)
	m := t.Hour()*60 + t.Minute()
	midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, h.loc)
	for d := range 8 {
		day := midnight.AddDate(0, 0, d)
		best := -1
		for _, s := range h.spans {
			if s.day == day.Weekday() && s.to > s.from && (d > 0 || s.from > m) && (best < 0 || s.from < best) {
				best = s.from
			}
		}
		if best >= 0 {
			return time.Date(day.Year(), day.Month(), day.Day(), best/60, best%60, 0, 0, h.loc)
		}
	}
	return time.Time{}
}

// Key names these hours, for processes to tell whether they follow the
// same ones: their spans and zone ("" for zero Hours, always open).
func (h Hours) Key() string {
	if h.loc == nil {
		return ""
	}
	var sb strings.Builder
	sb.WriteString(h.loc.String())
	for _, s := range h.spans {
		fmt.Fprintf(&sb, ";%d %d-%d", s.day, s.from, s.to)
	}
	return sb.String()
}

// Since is when the desk last opened or closed at or before t: the start
// of the open or closed time t is in; the zero time when it never changes
// (zero Hours, or hours that never open). Replicas that disagree on
// whether the desk is open (a clock a second off, hours being changed in
// a rolling deploy) agree on which change came last.
func (h Hours) Since(t time.Time) time.Time {
	if h.loc == nil {
		return time.Time{}
	}
	t = t.In(h.loc)
	midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, h.loc)
	var last time.Time
	for d := range 8 {
		day := midnight.AddDate(0, 0, -d)
		for _, s := range h.spans {
			if s.day != day.Weekday() {
				continue
			}
			for _, m := range []int{s.from, s.to} {
				at := day.Add(time.Duration(m) * time.Minute)
				if !at.After(t) && at.After(last) && h.Open(at) != h.Open(at.Add(-time.Minute)) {
					last = at
				}
			}
		}
		if !last.IsZero() {
			return last
		}
	}
	return last
}

// Location is the zone the hours are kept in (UTC for zero Hours).
func (h Hours) Location() *time.Location {
	if h.loc == nil {
		return time.UTC
	}
	return h.loc
}

// Zone names the hours' zone as the zone database does; "" for zero
// Hours (always open, in no zone).
func (h Hours) Zone() string {
	if h.loc == nil {
		return ""
	}
	return h.loc.String()
}

// Location loads zone, or Argentina's fixed UTC-3 when the zone is
// unknown here.
func Location(zone string) *time.Location {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return time.FixedZone("ART", -3*3600)
	}
	return loc
}

// The catalog's names of the weekdays, by time.Weekday: alone ("lunes",
// in "de lunes a viernes") and as a day that repeats ("los sábados").
var (
	weekdayKeys = [7]i18n.Key{"weekday.sun", "weekday.mon", "weekday.tue", "weekday.wed", "weekday.thu", "weekday.fri", "weekday.sat"}
	onDayKeys   = [7]i18n.Key{"hours.on.sun", "hours.on.mon", "hours.on.tue", "hours.on.wed", "hours.on.thu", "hours.on.fri", "hours.on.sat"}
)

// Said is the hours as a person reads them ("de lunes a viernes de 8:00
// a 20:00 y los sábados de 9:00 a 13:00"), for the bot's answer to "¿en
// qué horario atienden?": the days with the same times together, a run
// of days as a range, the week from Monday. ok is false for zero Hours
// (always open: nothing to say) and for hours that never open.
func (h Hours) Said() (m i18n.Message, ok bool) {
	if h.loc == nil || len(h.spans) == 0 {
		return i18n.Message{}, false
	}
	type times struct{ from, to int }
	var order []times
	days := map[times][]int{} // Monday 0 … Sunday 6
	for _, s := range h.spans {
		t := times{s.from, s.to}
		if _, seen := days[t]; !seen {
			order = append(order, t)
		}
		if d := (int(s.day) + 6) % 7; !slices.Contains(days[t], d) {
			days[t] = append(days[t], d)
		}
	}
	slices.SortStableFunc(order, func(a, b times) int { return slices.Min(days[a]) - slices.Min(days[b]) })
	var spans []i18n.Message
	for _, t := range order {
		ds := days[t]
		slices.Sort(ds)
		// Runs of consecutive days, Monday 0 … Sunday 6; one that ends on
		// Sunday goes on with one that starts on Monday ("fri-mon").
		var runs [][2]int
		for i := 0; i < len(ds); {
			j := i
			for j+1 < len(ds) && ds[j+1] == ds[j]+1 {
				j++
			}
			runs = append(runs, [2]int{ds[i], ds[j]})
			i = j + 1
		}
		if n := len(runs); n > 1 && runs[0][0] == 0 && runs[n-1][1] == 6 {
			runs = append([][2]int{{runs[n-1][0], runs[0][1]}}, runs[1:n-1]...)
		}
		var said []i18n.Message
		if len(ds) == 7 {
			runs = nil // the whole week: "todos los días", not "de lunes a domingo"
			said = append(said, i18n.M("hours.every_day"))
		}
		for _, r := range runs {
			first, last := time.Weekday((r[0]+1)%7), time.Weekday((r[1]+1)%7)
			if first == last {
				said = append(said, i18n.M(onDayKeys[first]))
			} else {
				said = append(said, i18n.M("hours.range", "first", i18n.M(weekdayKeys[first]), "last", i18n.M(weekdayKeys[last])))
			}
		}
		runsSaid := i18n.List(said, "list.and")
		if t.from == 0 && t.to == 24*60 {
			spans = append(spans, i18n.M("hours.span_all_day", "days", runsSaid))
			continue
		}
		spans = append(spans, i18n.M("hours.span", "days", runsSaid, "from", clockText(t.from), "to", clockText(t.to)))
	}
	// English writes "hours.and" with a semicolon: its spans have commas
	// of their own ("Sunday to Friday, around the clock; and on Saturdays…").
	return i18n.List(spans, "hours.and"), true
}

// clockText is minutes from midnight as "8:00", "20:30", "24:00".
func clockText(m int) string { return fmt.Sprintf("%d:%02d", m/60, m%60) }
