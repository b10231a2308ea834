package desk

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/clavebot/clavebot/dialog/convo"
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
// flow and stage. Record never blocks the turn for long: it adds one to a
// count in memory, which Run writes out every period. Nothing is dropped
// however many turns run, and memory stays small: there are only so many
// days, flows and stages.
type Funnel struct {
	mu     sync.Mutex
	counts map[FunnelCount]int // N is zero in the keys
	loc    *time.Location
	log    *slog.Logger
}

// NewFunnel returns a Funnel counting days in loc.
func NewFunnel(loc *time.Location, log *slog.Logger) *Funnel {
	return &Funnel{counts: map[FunnelCount]int{}, loc: loc, log: log.With("component", "funnel")}
}

// Record implements dialog.Recorder.
func (f *Funnel) Record(_ context.Context, ev convo.Event) {
	st := stage(ev)
	if st == "" {
		return
	}
	k := FunnelCount{Day: ev.At.In(f.loc).Format(time.DateOnly), Flow: string(ev.Flow), Stage: st}
	f.mu.Lock()
	f.counts[k]++
	f.mu.Unlock()
}

// stage is the funnel stage an event marks, or "" for none.
func stage(ev convo.Event) string {
	if ev.Flow == convo.FlowNone || ev.Flow == convo.FlowFAQ || ev.Flow == convo.FlowHandoff {
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

// lastFlushTimeout bounds the write on the way out. Without it a database
// that stopped answering held serve's shutdown for its whole grace, the
// turns in flight answered long before, and serve exited past the 25 s it
// promises (a resilience probe); counts of a few seconds are not worth it.
const lastFlushTimeout = 2 * time.Second

// Run writes the counts to store every period until ctx ends, and once
// more on the way out, within lastFlushTimeout.
func (f *Funnel) Run(ctx context.Context, store FunnelStore, period time.Duration) {
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lastFlushTimeout)
			f.Flush(lctx, store)
			cancel()
			return
		case <-tick.C:
			f.Flush(ctx, store)
		}
	}
}

// Flush writes the counts so far. Counts the store refuses are kept for
// the next flush.
func (f *Funnel) Flush(ctx context.Context, store FunnelStore) {
	f.mu.Lock()
	sums := f.counts
	f.counts = map[FunnelCount]int{}
	f.mu.Unlock()
	if len(sums) == 0 {
		return
	}
	counts := make([]FunnelCount, 0, len(sums))
	for k, n := range sums {
		k.N = n
		counts = append(counts, k)
	}
	if err := store.AddFunnel(ctx, counts); err != nil {
		f.log.Warn("funnel counts not written, kept for the next try", "err", err)
		f.mu.Lock()
		for k, n := range sums {
			f.counts[k] += n
		}
		f.mu.Unlock()
	}
}
