package dialog_test

import (
	"slices"
	"testing"

	"github.com/clavebot/clavebot/dialog"
)

// TestFunnelStagesFollowTheFlows: the desk's funnel orders its stages by
// what the engine says of each flow, so a step added to a flow shows
// there with no edit in the desk. The order was a list of the desk's
// own, which had no factor step and put the birth date before the DNI
// in recover, which asks the DNI first.
func TestFunnelStagesFollowTheFlows(t *testing.T) {
	tests := []struct {
		flow dialog.Flow
		want []string
	}{
		{dialog.FlowCreate, []string{"start", "cuil", "first_names", "last_names", "birth_date", "dni", "dni_tramite",
			"question", "validated", "factor", "new_key", "confirm_key", "done"}},
		{dialog.FlowRecover, []string{"start", "cuil", "dni", "birth_date", "dni_tramite",
			"question", "validated", "factor", "new_key", "confirm_key", "done"}},
		{dialog.FlowChange, []string{"start", "cuil", "current_key", "validated", "factor", "new_key", "confirm_key", "done"}},
		{"no such flow", nil},
	}
	for _, tt := range tests {
		t.Run(string(tt.flow), func(t *testing.T) {
			if got := dialog.FunnelStages(tt.flow); !slices.Equal(got, tt.want) {
				t.Errorf("FunnelStages(%s) = %q, want %q", tt.flow, got, tt.want)
			}
		})
	}
}
