package desk_test

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
)

type funnelOnly []desk.FunnelCount

func (funnelOnly) Handovers(context.Context, time.Time) (int, error)            { return 0, nil }
func (funnelOnly) Waits(context.Context, time.Time) ([]time.Duration, error)    { return nil, nil }
func (funnelOnly) Ratings(context.Context, time.Time) (int, int, error)         { return 0, 0, nil }
func (f funnelOnly) Funnel(context.Context, string) ([]desk.FunnelCount, error) { return f, nil }

// TestFunnelOrderComesFromTheEngine: the desk ordered the funnels'
// stages by a list of its own, beside the engine's flows: a step added
// to a flow (the second factor) was never shown, and recover's DNI,
// asked before the birth date, was shown after it. The order is now the
// one given (dialog.FunnelStages, wired in cmd/clavebot); without one,
// by how many reached each stage.
func TestFunnelOrderComesFromTheEngine(t *testing.T) {
	src := funnelOnly{
		{Flow: "recover", Stage: "start", N: 10},
		{Flow: "recover", Stage: "cuil", N: 9},
		{Flow: "recover", Stage: "dni", N: 8},
		{Flow: "recover", Stage: "birth_date", N: 7},
		{Flow: "recover", Stage: "factor", N: 3},
		{Flow: "recover", Stage: "cancel:factor", N: 1},
		{Flow: "recover", Stage: "done", N: 2},
	}
	order := func(flow string) []string {
		if flow != "recover" {
			return nil
		}
		return []string{"start", "cuil", "dni", "birth_date", "factor", "done"}
	}
	tests := []struct {
		name  string
		order desk.StageOrder
		want  []string
	}{
		{"the engine's order", order, []string{"start", "cuil", "dni", "birth_date", "factor", "done"}},
		{"none given: by how many reached", nil, []string{"start", "cuil", "dni", "birth_date", "factor", "done"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := desk.ComputeStats(context.Background(), src, tt.order, time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC), time.UTC)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range s.Funnels {
				if f.Flow != "recover" {
					continue
				}
				for _, st := range f.Stages {
					got = append(got, st.Name)
					if st.Name == "factor" && (st.Cancelled != 1 || st.Left != 1) {
						t.Errorf("factor stage %+v, want 1 cancelled, 1 left", st)
					}
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("recover's stages %q, want %q", got, tt.want)
			}
		})
	}
}

// TestFunnelsLastStageReachedLeftThere: a week in which nobody has yet
// gone past a stage showed that stage with nobody leaving, beside the
// ones who cancelled there: «1 llegaron, 0 se fueron acá (1
// cancelaron)» (found by a desk probe). Past the last stage reached
// nobody is: those who reached it left there, unless it is the end.
func TestFunnelsLastStageReachedLeftThere(t *testing.T) {
	order := func(string) []string { return []string{"start", "cuil", "first_names", "last_names", "done"} }
	tests := []struct {
		name string
		src  funnelOnly
		want map[string]int // left, by stage
	}{
		{"nobody past the names", funnelOnly{
			{Flow: "create", Stage: "start", N: 4},
			{Flow: "create", Stage: "cuil", N: 3},
			{Flow: "create", Stage: "first_names", N: 1},
			{Flow: "create", Stage: "cancel:first_names", N: 1},
		}, map[string]int{"start": 1, "cuil": 2, "first_names": 1}},
		{"some to the end", funnelOnly{
			{Flow: "create", Stage: "start", N: 4},
			{Flow: "create", Stage: "cuil", N: 3},
			{Flow: "create", Stage: "first_names", N: 3},
			{Flow: "create", Stage: "last_names", N: 2},
			{Flow: "create", Stage: "done", N: 2},
		}, map[string]int{"start": 1, "cuil": 0, "first_names": 1, "last_names": 0, "done": 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := desk.ComputeStats(context.Background(), tt.src, order, time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC), time.UTC)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, f := range s.Funnels {
				if f.Flow == "create" {
					for _, st := range f.Stages {
						got[st.Name] = st.Left
					}
				}
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("left by stage %v, want %v", got, tt.want)
			}
		})
	}
}
