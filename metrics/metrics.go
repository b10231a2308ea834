// Package metrics counts what the bot does, for Prometheus: the engine's
// events (flows started and finished, steps reached, FAQ answers and their
// ratings) and the channels' turns.
package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/clavebot/clavebot/dialog"
)

// Recorder counts the engine's events.
type Recorder struct {
	events  *prometheus.CounterVec
	steps   *prometheus.CounterVec
	ratings *prometheus.CounterVec
}

var _ dialog.Recorder = (*Recorder)(nil)

// New registers the counters with reg.
func New(reg prometheus.Registerer) *Recorder {
	r := &Recorder{
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "clavebot_events_total", Help: "Conversation events by name, flow and channel.",
		}, []string{"event", "flow", "channel"}),
		steps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "clavebot_flow_steps_total", Help: "Steps reached in each flow (the funnels).",
		}, []string{"flow", "step"}),
		ratings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "clavebot_faq_ratings_total", Help: "FAQ answers rated useful or not, by intent.",
		}, []string{"intent", "useful"}),
	}
	reg.MustRegister(r.events, r.steps, r.ratings)
	return r
}

// Record implements dialog.Recorder.
func (r *Recorder) Record(_ context.Context, ev dialog.Event) {
	r.events.WithLabelValues(ev.Name, string(ev.Flow), ev.Channel).Inc()
	switch ev.Name {
	case "step":
		r.steps.WithLabelValues(string(ev.Flow), string(ev.Step)).Inc()
	case "faq_rating":
		useful := "no"
		if ev.Value == 1 {
			useful = "yes"
		}
		r.ratings.WithLabelValues(ev.Intent, useful).Inc()
	}
}

// Tee sends events to several recorders.
type Tee []dialog.Recorder

// Record implements dialog.Recorder.
func (t Tee) Record(ctx context.Context, ev dialog.Event) {
	for _, r := range t {
		r.Record(ctx, ev)
	}
}

// Handler is what Engine measures; *dialog.Engine is one.
type Handler interface {
	Handle(ctx context.Context, in dialog.Inbound) (dialog.Result, error)
}

// Engine measures each turn: how long it took and whether it failed, by
// channel. It wraps the engine the channels call.
type Engine struct {
	next    Handler
	seconds *prometheus.HistogramVec
	errors  *prometheus.CounterVec
}

// NewEngine registers the turn metrics with reg and wraps next.
func NewEngine(next Handler, reg prometheus.Registerer) *Engine {
	e := &Engine{
		next: next,
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "clavebot_turn_seconds", Help: "Time to handle one message, by channel.",
			Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"channel"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "clavebot_turn_errors_total", Help: "Messages that could not be handled (the person got an apology), by channel.",
		}, []string{"channel"}),
	}
	reg.MustRegister(e.seconds, e.errors)
	return e
}

// Handle implements bot.Engine.
func (e *Engine) Handle(ctx context.Context, in dialog.Inbound) (dialog.Result, error) {
	start := time.Now()
	res, err := e.next.Handle(ctx, in)
	e.seconds.WithLabelValues(in.Channel).Observe(time.Since(start).Seconds())
	if err != nil {
		e.errors.WithLabelValues(in.Channel).Inc()
	}
	return res, err
}
