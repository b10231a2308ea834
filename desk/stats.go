package desk

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"
	"time"
)

// StatsSource is what the desk's figures are drawn from (desk/sqldesk).
type StatsSource interface {
	// Handovers counts the conversations handed over since t.
	Handovers(ctx context.Context, since time.Time) (int, error)
	// Waits are how long each conversation taken since t waited.
	Waits(ctx context.Context, since time.Time) ([]time.Duration, error)
	// Ratings counts the ratings given since t.
	Ratings(ctx context.Context, since time.Time) (useful, notUseful int, err error)
	// Funnel sums the counts of the days from sinceDay (YYYY-MM-DD) on.
	Funnel(ctx context.Context, sinceDay string) ([]FunnelCount, error)
}

// Stats are the desk's figures.
type Stats struct {
	Today      int          `json:"today"`
	Week       int          `json:"week"`
	MedianWait float64      `json:"median_wait_s"` // of this week's taken conversations
	Taken      int          `json:"taken"`
	Useful     int          `json:"useful"`
	NotUseful  int          `json:"not_useful"`
	Funnels    []FunnelView `json:"funnels"`
}

// FunnelView is one flow's funnel: how many reached each stage, in order,
// and how many left there.
type FunnelView struct {
	Flow   string  `json:"flow"`
	Stages []Stage `json:"stages"`
}

// Stage is one step of a funnel.
type Stage struct {
	Name      string `json:"name"`
	Reached   int    `json:"reached"`
	Left      int    `json:"left"`      // reached this stage but not the next
	Cancelled int    `json:"cancelled"` // of those, said "cancelar" here
}

// StageOrder is the order of a flow's funnel stages: the engine's
// (dialog.FunnelStages, wired in cmd/clavebot), which is the one place a
// flow's steps are listed; the desk keeps no list of its own.
type StageOrder func(flow string) []string

// funnelFlows are the funnels the desk shows.
var funnelFlows = []string{"create", "recover"}

// ComputeStats draws the desk's figures at now: today and this week
// (from Monday) in loc, the funnels over the last 7 days with their
// stages in order's order (nil: by how many reached each).
func ComputeStats(ctx context.Context, src StatsSource, order StageOrder, now time.Time, loc *time.Location) (Stats, error) {
	now = now.In(loc)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	week := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	var s Stats
	var err error
	if s.Today, err = src.Handovers(ctx, day); err != nil {
		return s, err
	}
	if s.Week, err = src.Handovers(ctx, week); err != nil {
		return s, err
	}
	waits, err := src.Waits(ctx, week)
	if err != nil {
		return s, err
	}
	s.Taken, s.MedianWait = len(waits), median(waits).Seconds()
	if s.Useful, s.NotUseful, err = src.Ratings(ctx, week); err != nil {
		return s, err
	}
	counts, err := src.Funnel(ctx, day.AddDate(0, 0, -6).Format(time.DateOnly))
	if err != nil {
		return s, err
	}
	for _, flow := range funnelFlows {
		s.Funnels = append(s.Funnels, funnelOf(flow, counts, order))
	}
	return s, nil
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// funnelOf orders one flow's stages and works out where people left.
func funnelOf(flow string, counts []FunnelCount, order StageOrder) FunnelView {
	reached, cancelled := map[string]int{}, map[string]int{}
	for _, c := range counts {
		if c.Flow != flow {
			continue
		}
		if step, ok := strings.CutPrefix(c.Stage, "cancel:"); ok {
			cancelled[step] += c.N
		} else if c.Stage != "handoff" {
			reached[c.Stage] += c.N
		}
	}
	f := FunnelView{Flow: flow}
	for _, name := range stagesOf(flow, reached, order) {
		if n, ok := reached[name]; ok {
			f.Stages = append(f.Stages, Stage{Name: name, Reached: n, Cancelled: cancelled[name]})
		}
	}
	for i := range f.Stages {
		switch {
		case i+1 < len(f.Stages):
			f.Stages[i].Left = max(0, f.Stages[i].Reached-f.Stages[i+1].Reached)
		case f.Stages[i].Name != "done":
			// Nobody went past the last stage reached: all who reached
			// it left there. It showed nobody leaving, beside those who
			// cancelled there (found by a desk probe).
			f.Stages[i].Left = f.Stages[i].Reached
		}
	}
	return f
}

// stagesOf is the order of flow's stages: order's, or, without one, the
// stages reached from the most reached on (ties by name), which is the
// flow's order for the steps every person goes through.
func stagesOf(flow string, reached map[string]int, order StageOrder) []string {
	if order != nil {
		return order(flow)
	}
	names := slices.Collect(maps.Keys(reached))
	slices.SortFunc(names, func(a, b string) int {
		if c := cmp.Compare(reached[b], reached[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return names
}
