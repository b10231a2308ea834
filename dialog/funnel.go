package dialog

// FunnelStages is the order of the stages a funnel of flow shows (the
// desk's, through cmd/clavebot): "start", the flow's steps as its entry
// in flowTable lists them, "validated" right after the step that
// validates the person (the identity questions, or the current key), and
// "done"; nil for a flow the engine does not know. The funnel counts
// the engine's events (convo.Event) under those names, so a step added
// to a flow needs no edit in the desk.
func FunnelStages(flow Flow) []string {
	def, ok := flowTable()[flow]
	if !ok {
		return nil
	}
	out := []string{"start"}
	for _, s := range def.steps {
		out = append(out, string(s))
		if s == StepQuestion || s == StepCurrentKey {
			out = append(out, "validated")
		}
	}
	return append(out, "done")
}
