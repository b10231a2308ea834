package dialog

import (
	"time"

	"github.com/clavebot/clavebot/i18n"
)

// locked tells a person their CUIL cannot validate until until, and what is
// left: be told when the wait is over, go to an office, or talk to a person.
func (t *turn) locked(until time.Time) {
	t.event(Event{Name: "locked"})
	cuil := t.st.CUIL
	flow := t.st.Flow
	t.st.reset()
	t.st.Flow, t.st.CUIL, t.st.LockUntil = flow, cuil, until
	t.say("lock.validation", "until", until)
	t.enter(StepLocked)
}

func (t *turn) lockedOptions() []i18n.Message {
	var opts []i18n.Message
	if t.e.hasReminders {
		opts = append(opts, i18n.M("option.remind_me"))
	}
	opts = append(opts, i18n.M("option.office"))
	if t.e.hasDesk {
		opts = append(opts, i18n.M("menu.handoff"))
	}
	return append(opts, i18n.M("option.back_to_menu"))
}

func (t *turn) askLocked() { t.asking(i18n.M("lock.what_now"), t.lockedOptions()...) }

func (t *turn) onLocked(text string) error {
	opts := t.lockedOptions()
	i := t.e.matchOption(text, opts)
	if i < 0 {
		return t.questionOr(text, nil, "choice.invalid", "n", len(opts))
	}
	switch opts[i].Key {
	case "option.remind_me":
		m := i18n.M("reminder.try_again", "cuil", t.st.CUIL.Masked())
		if err := t.e.reminders.Remind(t.ctx, t.in.Chat, t.st.LockUntil, m); err != nil {
			return err
		}
		t.event(Event{Name: "reminder"})
		t.say("reminder.set", "until", t.st.LockUntil)
	case "option.office":
		t.say("office.howto")
	case "menu.handoff":
		return t.handoff("locked")
	}
	t.menuAgain()
	return nil
}
