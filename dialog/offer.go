package dialog

import (
	"strings"

	"github.com/clavebot/clavebot/i18n"
)

// Offer kinds.
const (
	offerKeepCUIL = "keep_cuil" // start the flow with the CUIL already given
	offerCheck    = "check:"    // troubleshooting: check the CUIL for this topic
)

// keepPlace remembers the current step, so a detour (an offer, a
// suggestion) can come back to it.
func (t *turn) keepPlace() {
	switch t.st.Step {
	case StepOffer, StepSuggest, StepRate:
		return
	}
	if t.st.Resume == nil {
		t.st.Resume = &Resume{Flow: t.st.Flow, Step: t.st.Step}
	}
}

// offer asks a yes/no question whose "yes" starts flow f.
func (t *turn) offer(f Flow, kind string, m i18n.Message) {
	t.keepPlace()
	t.st.Offer = &Offer{Yes: f, Kind: kind, Msg: m}
	t.ask(StepOffer, m, yesNo()...)
}

func (t *turn) onOffer(text string) error {
	off := t.st.Offer
	if off == nil {
		t.resume()
		return nil
	}
	switch t.e.yesOrNo(text) {
	case 1:
		return t.accept(*off)
	case 0:
		t.st.Offer = nil
		t.say("offer.declined")
		t.resume()
		return nil
	}
	// Neither yes nor no: the offer lapses and the text is read as a
	// question at the step the offer interrupted.
	t.resumeQuiet()
	return t.understand(text)
}

func (t *turn) accept(off Offer) error {
	cuil := ""
	if off.Kind == offerKeepCUIL {
		cuil = string(t.st.CUIL)
	}
	if topic, ok := strings.CutPrefix(off.Kind, offerCheck); ok {
		t.st.reset()
		t.st.Flow, t.st.Check = FlowTrouble, topic
		t.prompt2(StepCUIL)
		return nil
	}
	if off.Yes == FlowHandoff {
		reason := "requested"
		if off.Kind != "" {
			reason = off.Kind
		}
		return t.handoff(reason)
	}
	return t.start(off.Yes, cuil)
}

// resume goes back to the step a detour interrupted, asking it again.
func (t *turn) resume() {
	if t.resumeQuiet() {
		t.prompt()
		return
	}
	t.menu()
}

// resumeQuiet restores the interrupted step without asking it.
func (t *turn) resumeQuiet() bool {
	r := t.st.Resume
	t.st.Resume, t.st.Offer = nil, nil
	if r == nil {
		t.st.Step = StepMenu
		return false
	}
	t.st.Flow, t.st.Step = r.Flow, r.Step
	return true
}
