package dialog

import (
	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// troubleTopics are the common errors (CONVERSATION.md): each is explained
// by the FAQ answer of its intent, and most can be checked in the registry.
var troubleTopics = []struct {
	id     string
	intent string
	check  bool
}{
	{"data_mismatch", "error.data_mismatch", true},
	{"identity_failed", "error.identity_failed", true},
	{"system_busy", "error.system_busy", false},
	{"cuil_unknown", "error.cuil_unknown", true},
	{"blocked", "error.blocked", true},
	{"check_created", "key.check_created", true},
}

func troubleOptions() []i18n.Message {
	opts := make([]i18n.Message, 0, len(troubleTopics)+1)
	for _, tt := range troubleTopics {
		opts = append(opts, i18n.M(i18n.Key("trouble."+tt.id)))
	}
	return append(opts, i18n.M("option.back_to_menu"))
}

// troubleMenu shows the troubleshooting topics.
func (t *turn) troubleMenu() {
	t.st.Flow = FlowTrouble
	t.enter(StepTroubleMenu)
}

func (t *turn) askTroubleMenu() { t.asking(i18n.M("trouble.ask"), troubleOptions()...) }

func (t *turn) onTroubleMenu(text string) error {
	opts := troubleOptions()
	i := t.e.matchOption(text, opts)
	switch {
	case i == len(troubleTopics):
		t.menu()
		return nil
	case i < 0:
		if r := t.reading(); r.onlyCUIL {
			return t.check("", r.cuil)
		}
		return t.understand(text)
	}
	tt := troubleTopics[i]
	t.event(Event{Name: "trouble", Intent: tt.intent})
	t.answer(tt.intent)
	if !tt.check {
		t.troubleMenu()
		return nil
	}
	t.offerCheck(tt.id)
	return nil
}

// checkCUIL tells what the registry knows that helps: whether the CUIL is
// registered, locked and until when, and whether it has a key. It reveals no
// personal data.
func (t *turn) checkCUIL(cuil registry.CUIL) error {
	_, err := t.e.reg.Citizen(t.ctx, cuil)
	if errs.Is(errs.NotFound, err) {
		t.say("check.not_found")
		t.troubleMenu()
		return nil
	}
	if err != nil {
		return err
	}
	t.say("check.registered")
	vlock, err := t.e.reg.Lockout(t.ctx, cuil, registry.LockValidation)
	if err != nil {
		return err
	}
	if vlock.LockedAt(t.now) {
		t.say("check.validation_locked", "until", vlock.Until)
	}
	klock, err := t.e.reg.Lockout(t.ctx, cuil, registry.LockKey)
	if err != nil {
		return err
	}
	if klock.LockedAt(t.now) {
		t.say("check.key_locked", "until", klock.Until)
	}
	hasKey, err := t.e.reg.HasKey(t.ctx, cuil)
	if err != nil {
		return err
	}
	if hasKey {
		t.say("check.has_key")
	} else {
		t.say("check.no_key")
	}
	t.event(Event{Name: "trouble_check", Intent: t.st.Check})
	t.st.Check = ""
	t.troubleMenu()
	return nil
}
