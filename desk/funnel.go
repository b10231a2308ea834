package desk

import (
	"context"
	"log/slog"
	"time"

	"github.com/clavebot/clavebot/dialog"
)

// FunnelCount is how many times a flow reached a stage on a day (in the
// desk's time zone). Stages are "start", the steps' names, "validated",
// "done", and where people left: "cancel:<step>" and "handoff".
type FunnelCount struct {
	Day   string `db:"day"` // YYYY-MM-DD
	Flow  string `db:"flow"`
	Stage string `db:"stage"`
	N     int    `db:"n"`
}

// FunnelStore adds counts (desk/sqldesk implements it).
type FunnelStore interface {
	AddFunnel(ctx context.Context, counts []FunnelCount) error
}

// Funnel is a dialog.Recorder that counts the engine's events per day,
// flow and stage. Record never blocks the turn: events wait in a buffer
// that Run writes out in batches (a full buffer drops events, which only
// makes a chart slightly low).
type Funnel struct {
	events chan dialog.Event
	loc    *time.Location
	log    *slog.Logger
}

var _ dialog.Recorder = (*Funnel)(nil)

// NewFunnel returns a Funnel counting days in loc.
func NewFunnel(loc *time.Location, log *slog.Logger) *Funnel {
	return &Funnel{events: make(chan dialog.Event, 4096), loc: loc, log: log.With("component", "funnel")}
}

// Record implements dialog.Recorder.
func (f *Funnel) Record(_ context.Context, ev dialog.Event) {
	if stage(ev) == "" {
		return
	}
	select {
	case f.events <- ev:
	default:
		f.log.Warn("funnel buffer full, event dropped")
	}
}

// stage is the funnel stage an event marks, or "" for none.
func stage(ev dialog.Event) string {
	if ev.Flow == dialog.FlowNone || ev.Flow == dialog.FlowFAQ || ev.Flow == dialog.FlowHandoff {
		return ""
	}
	switch ev.Name {
	case "start", "validated", "done", "handoff":
		return ev.Name
	case "step":
		return string(ev.Step)
	case "cancel":
		return "cancel:" + string(ev.Step)
	}
	return ""
}

// Run writes the counts to store every period until ctx ends, and once
// more on the way out.
func (f *Funnel) Run(ctx context.Context, store FunnelStore, period time.Duration) {
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			f.Flush(context.WithoutCancel(ctx), store)
			return
		case <-tick.C:
			f.Flush(ctx, store)
		}
	}
}

// Flush writes what is buffered now.
func (f *Funnel) Flush(ctx context.Context, store FunnelStore) {
	sums := map[FunnelCount]int{}
	for more := true; more; {
		select {
		case ev := <-f.events:
			k := FunnelCount{Day: ev.At.In(f.loc).Format(time.DateOnly), Flow: string(ev.Flow), Stage: stage(ev)}
			sums[k]++
		default:
			more = false
		}
	}
	if len(sums) == 0 {
		return
	}
	counts := make([]FunnelCount, 0, len(sums))
	for k, n := range sums {
		k.N = n
		counts = append(counts, k)
	}
	if err := store.AddFunnel(ctx, counts); err != nil {
		f.log.Warn("funnel counts lost", "err", err)
	}
}
