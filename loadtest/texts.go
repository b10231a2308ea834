package loadtest

import (
	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// Texts are the bot's words the simulated people recognize, printed from
// the catalog the bot speaks from, so the tool follows the catalog.
type Texts struct {
	Busy        string          // the answer to a turn refused under overload
	Unavailable string          // a dependency failed or hashing is saturated: nothing was kept
	Done        map[string]bool // a key created, recovered or changed
	Away        string          // the identity cannot be confirmed by chat: no questions asked
	RateAsk     string          // "was this answer useful?"
	CheckOffer  string          // "shall I check your CUIL?", after some answers instead of RateAsk
	None        map[string]bool // the "none of these" options
	Prompts     map[string]dialog.Expect
	MenuAsks    map[string]bool
}

// NewTexts prints the texts of lang from the embedded catalogs.
func NewTexts(lang i18n.Lang) (*Texts, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	p := cat.Printer(lang)
	say := func(k i18n.Key) string { return p.Sprint(i18n.M(k)) }
	t := &Texts{
		Busy:        say("overload.busy"),
		Unavailable: say("error.unavailable"),
		Done:        map[string]bool{say("done.create"): true, say("done.recover"): true, say("done.change"): true},
		RateAsk:     say("rate.ask"),
		CheckOffer:  say("trouble.offer_check"),
		Away:        say("questions.none"),
		None:        map[string]bool{},
		MenuAsks:    map[string]bool{say("menu.ask"): true, say("menu.again"): true},
		Prompts:     map[string]dialog.Expect{},
	}
	for _, k := range []string{"dni_issue_date", "birth_province", "employer", "benefit"} {
		t.None[say(i18n.Key("question.none."+k))] = true
	}
	for _, e := range []dialog.Expect{dialog.ExpectCUIL, dialog.ExpectFirstNames, dialog.ExpectLastNames,
		dialog.ExpectBirthDate, dialog.ExpectDNI, dialog.ExpectTramite, dialog.ExpectCurrentKey,
		dialog.ExpectNewKey, dialog.ExpectConfirmKey} {
		t.Prompts[say(i18n.Key("ask."+string(e)))] = e
	}
	for m := range t.MenuAsks {
		t.Prompts[m] = dialog.ExpectMenu
	}
	// A refused turn and an apology are the whole turn.
	t.Prompts[t.Busy] = dialog.ExpectText
	t.Prompts[say("bot.error")] = dialog.ExpectText
	t.Prompts[t.RateAsk] = dialog.ExpectChoice
	t.Prompts[t.CheckOffer] = dialog.ExpectChoice
	t.Prompts[say("faq.ask")] = dialog.ExpectText
	return t, nil
}

// refused says why a turn was not taken: "busy" when admission refused it,
// "unavailable" when a dependency (or hashing) was not there; "" when it
// was taken. Either way the chat's state is as before the message.
func (t *Texts) refused(replies []Reply) string {
	switch {
	case len(replies) == 0:
		return ""
	case replies[0].Text == t.Busy:
		return "busy"
	case replies[0].Text == t.Unavailable:
		return "unavailable"
	}
	return ""
}

// expectOf guesses what the bot waits for from the last message of a turn
// on a channel that does not say (Telegram): a known prompt, or a choice
// when it shows options. ok is false when the message is not a prompt (the
// turn has more messages coming).
func (t *Texts) expectOf(text string, options []string) (dialog.Expect, bool) {
	if e, ok := t.Prompts[text]; ok {
		return e, true
	}
	if len(options) > 0 {
		return dialog.ExpectChoice, true
	}
	return "", false
}
