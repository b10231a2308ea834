package dialog

import "github.com/clavebot/clavebot/i18n"

// menuOptions are the main menu (CONVERSATION.md), in order.
var menuOptions = []struct {
	label i18n.Key
	flow  Flow
}{
	{"menu.create", FlowCreate},
	{"menu.recover", FlowRecover},
	{"menu.change", FlowChange},
	{"menu.trouble", FlowTrouble},
	{"menu.faq", FlowFAQ},
	{"menu.handoff", FlowHandoff},
	{"menu.contact", FlowContact},
}

func menuLabels() []i18n.Message {
	out := make([]i18n.Message, len(menuOptions))
	for i, o := range menuOptions {
		out[i] = i18n.M(o.label)
	}
	return out
}

// menu resets the flow and shows the main menu.
func (t *turn) menu() {
	t.st.reset()
	t.ask(StepMenu, i18n.M("menu.ask"), menuLabels()...)
}

func (t *turn) onMenu(text string) error {
	if i := t.e.matchOption(text, menuLabels()); i >= 0 {
		return t.start(menuOptions[i].flow, "")
	}
	return t.understand(text)
}

// start begins a flow from its first step. A CUIL already known (from an
// offer such as "¿Querés recuperarla?") skips asking it again.
func (t *turn) start(f Flow, cuil string) error {
	offered, kept := t.st.Offered && t.st.CUIL != "", t.st.CUIL
	t.st.reset()
	t.event(Event{Name: "start", Flow: f})
	switch f {
	case FlowCreate:
		t.st.Flow = FlowCreate
		if cuil == "" {
			t.say("create.checklist")
		}
	case FlowRecover:
		t.st.Flow = FlowRecover
		if cuil == "" {
			t.say("recover.intro")
		}
	case FlowChange:
		t.st.Flow = FlowChange
		if cuil == "" {
			t.say("change.intro")
		}
	case FlowTrouble:
		t.st.Flow = FlowTrouble
		t.troubleMenu()
		return nil
	case FlowFAQ:
		t.st.Flow = FlowFAQ
		t.faqPrompt()
		return nil
	case FlowHandoff:
		return t.handoff("requested")
	case FlowContact:
		if cuil == "" {
			return t.startContacts(offered, kept)
		}
		t.st.Flow = FlowContact
	default:
		t.menu()
		return nil
	}
	if cuil != "" {
		return t.withCUIL(cuil)
	}
	t.prompt2(StepCUIL)
	return nil
}

// prompt2 moves to step and asks its question.
func (t *turn) prompt2(s Step) {
	t.st.Step = s
	t.event(Event{Name: "step", Flow: t.st.Flow, Step: s})
	t.prompt()
}

// command runs an always-available command.
func (t *turn) command(cmd string) error {
	switch cmd {
	case cmdMenu:
		t.leaveQueue()
		t.menu()
	case cmdCancel:
		t.cancel()
	case cmdBack:
		t.back()
	case cmdHelp:
		t.say("help")
		t.prompt()
	case cmdHandoff:
		if t.st.Step == StepQueue {
			t.prompt()
			return nil
		}
		return t.handoff("requested")
	}
	return nil
}

func (t *turn) cancel() {
	switch {
	case t.st.Step == StepQueue:
		t.leaveQueue()
		t.say("handoff.left")
	case t.st.Flow != FlowNone || t.st.Step != StepMenu:
		t.event(Event{Name: "cancel", Flow: t.st.Flow, Step: t.st.Step})
		t.say("cancel.done")
	default:
		t.say("cancel.nothing")
	}
	t.menu()
}

// back asks the previous question again. Identity already validated is not
// undone: from the new key, "volver" stays there.
func (t *turn) back() {
	st := t.st
	switch st.Step {
	case StepConfirmKey:
		st.KeyHash = ""
		t.prompt2(StepNewKey)
	case StepQuestion:
		if st.QIndex > 0 {
			st.QIndex--
			st.Answers = st.Answers[:st.QIndex]
		}
		t.prompt()
	case StepFirstNames, StepLastNames, StepBirthDate, StepDNI, StepTramite, StepCurrentKey:
		if n := len(st.History); n > 0 {
			prev := st.History[n-1]
			st.History = st.History[:n-1]
			st.Pending = append([]Step{st.Step}, st.Pending...)
			delete(st.Mismatch, prev)
			t.prompt2(prev)
			return
		}
		t.prompt2(StepCUIL)
	case StepCUIL, StepTroubleMenu, StepFAQ, StepSuggest, StepRate, StepOffer, StepLocked:
		if st.Resume != nil {
			t.resume()
			return
		}
		t.menu()
	case StepNewKey:
		t.say("back.validated")
		t.prompt()
	case StepContacts, StepEmail, StepPhone, StepCode:
		t.contactBack()
	default:
		t.menu()
	}
}
