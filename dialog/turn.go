package dialog

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// turn is one inbound message being handled: the state it changes and the
// replies it gathers.
type turn struct {
	e   *Engine
	ctx context.Context
	in  Inbound
	st  *State
	now time.Time
	out []Reply
	// secret is set when the message answers a key step: it is then never
	// read as anything else (a question, a command, a menu choice).
	secret bool
	cit    *registry.Citizen // read this turn (see citizen)
}

// say adds a message without options.
func (t *turn) say(key i18n.Key, kv ...any) { t.sayMsg(i18n.M(key, kv...)) }

func (t *turn) sayMsg(m i18n.Message) {
	t.out = append(t.out, Reply{Msg: m})
	t.st.addLine(t.now, "bot", m)
}

// ask adds a message with options (which may be none) and moves to step.
func (t *turn) ask(step Step, m i18n.Message, options ...i18n.Message) {
	t.st.Step = step
	t.out = append(t.out, Reply{Msg: m, Options: options})
	t.st.addLine(t.now, "bot", m)
}

// replies sets every reply's Expect to what the bot now waits for.
func (t *turn) replies() []Reply {
	exp := t.st.expect()
	for i := range t.out {
		t.out[i].Expect = exp
	}
	return t.out
}

// transcribe adds the person's message to the transcript, hiding a key.
func (t *turn) transcribe(in Inbound, secret bool) {
	switch {
	case secret:
		t.st.addLine(t.now, "person", i18n.M("transcript.hidden_key"))
	case in.Media != "":
		t.st.addLine(t.now, "person", i18n.M("transcript.media", "kind", in.Media))
	case t.st.Step == StepCUIL:
		// The desk shows the CUIL masked until the person validates; the
		// transcript must not give it away.
		if cuil, err := registry.ParseCUIL(in.Text); err == nil {
			t.st.addLine(t.now, "person", i18n.Raw(cuil.Masked()))
			return
		}
		t.st.addLine(t.now, "person", i18n.Raw(truncate(in.Text, 500)))
	default:
		t.st.addLine(t.now, "person", i18n.Raw(truncate(in.Text, 500)))
	}
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// expect maps a step to the input the bot waits for.
func (st *State) expect() Expect {
	switch st.Step {
	case StepCUIL:
		return ExpectCUIL
	case StepFirstNames:
		return ExpectFirstNames
	case StepLastNames:
		return ExpectLastNames
	case StepBirthDate:
		return ExpectBirthDate
	case StepDNI:
		return ExpectDNI
	case StepTramite:
		return ExpectTramite
	case StepCurrentKey:
		return ExpectCurrentKey
	case StepNewKey:
		return ExpectNewKey
	case StepConfirmKey:
		return ExpectConfirmKey
	case StepQuestion, StepTroubleMenu, StepOffer, StepSuggest, StepRate, StepLocked, StepRateAgent:
		return ExpectChoice
	case StepFAQ, StepQueue:
		return ExpectText
	}
	return ExpectMenu
}

// run handles the message at the current step.
func (t *turn) run(expired bool) error {
	if expired {
		t.say("idle.restart", "minutes", int(t.e.reg.Policy().IdleTimeout.Minutes()))
		if t.secret {
			t.st.Started = true
			t.menu()
			return nil
		}
	}
	if t.in.Media != "" {
		t.say("input.media")
		t.prompt()
		return nil
	}
	text := t.in.Text
	if utf8.RuneCountInString(text) > t.e.maxInput {
		t.say("input.too_long")
		t.prompt()
		return nil
	}
	text = cleanInput(text)
	if text == "" {
		t.prompt()
		return nil
	}
	if !t.st.Started {
		return t.first(text)
	}
	if cmd := commandOf(text); cmd != "" {
		return t.command(cmd)
	}
	return t.step(text)
}

// first greets a new chat; a message that already says what the person
// wants starts it at once.
func (t *turn) first(text string) error {
	t.st.Started = true
	t.st.Step = StepMenu
	if cmd := commandOf(text); cmd != "" && cmd != cmdMenu {
		return t.command(cmd)
	}
	if g, ok := t.classify(text); ok && startsFlow(g.Intent) {
		return t.intent(g.Intent)
	}
	t.event(Event{Name: "welcome"})
	t.say("welcome")
	t.menu()
	return nil
}

// step hands the text to the handler of the current step.
func (t *turn) step(text string) error {
	switch t.st.Step {
	case StepCUIL:
		return t.onCUIL(text)
	case StepFirstNames, StepLastNames, StepBirthDate, StepDNI, StepTramite:
		return t.onData(text)
	case StepQuestion:
		return t.onQuestion(text)
	case StepCurrentKey:
		return t.onCurrentKey(text)
	case StepNewKey:
		return t.onNewKey(text)
	case StepConfirmKey:
		return t.onConfirmKey(text)
	case StepTroubleMenu:
		return t.onTroubleMenu(text)
	case StepFAQ:
		return t.onFAQ(text)
	case StepOffer:
		return t.onOffer(text)
	case StepSuggest:
		return t.onSuggest(text)
	case StepRate:
		return t.onRate(text)
	case StepLocked:
		return t.onLocked(text)
	case StepQueue:
		return t.onQueue(text)
	case StepRateAgent:
		return t.onRateAgent(text)
	}
	return t.onMenu(text)
}

// prompt asks the current step's question again.
func (t *turn) prompt() {
	switch t.st.Step {
	case StepCUIL, StepFirstNames, StepLastNames, StepBirthDate, StepDNI, StepTramite:
		t.ask(t.st.Step, i18n.M(i18n.Key("ask."+string(t.st.Step))))
	case StepQuestion:
		t.askQuestion()
	case StepCurrentKey:
		t.ask(StepCurrentKey, i18n.M("ask.current_key"), i18n.M("option.forgot_key"))
	case StepNewKey:
		t.ask(StepNewKey, i18n.M("ask.new_key"))
	case StepConfirmKey:
		t.ask(StepConfirmKey, i18n.M("ask.confirm_key"))
	case StepTroubleMenu:
		t.troubleMenu()
	case StepFAQ:
		t.faqPrompt()
	case StepOffer:
		if t.st.Offer == nil {
			t.menu()
			return
		}
		t.ask(StepOffer, t.st.Offer.Msg, yesNo()...)
	case StepSuggest:
		t.suggestPrompt()
	case StepRate:
		t.ask(StepRate, i18n.M("rate.ask"), rateOptions()...)
	case StepLocked:
		t.lockedPrompt()
	case StepQueue:
		t.say("handoff.waiting")
	case StepRateAgent:
		t.ask(StepRateAgent, i18n.M("rate_agent.ask"), rateOptions()...)
	default:
		t.menu()
	}
}

func yesNo() []i18n.Message { return []i18n.Message{i18n.M("option.yes"), i18n.M("option.no")} }

func rateOptions() []i18n.Message {
	return []i18n.Message{i18n.M("option.useful"), i18n.M("option.not_useful")}
}
