package dialog

import (
	"slices"
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
	// "¿Me avisan por mail?" asks how, not for the chat's reminder (a
	// regression probe).
	if i < 0 && says(text, remindPhrases) && !says(text, otherMeans) {
		i = slices.IndexFunc(opts, func(o i18n.Message) bool { return o.Key == "option.remind_me" })
	}
	if i < 0 {
		return t.aboutLock(text, len(opts))
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

// remindPhrases ask to be told when the wait is over, in words other than
// the option's ("notify me", "avisame cuando se desbloquee"), folded.
var remindPhrases = []string{"avisame", "avisarme", "aviseme", "avisenme", "me avisas", "me avisan", "me avisen",
	"recordame", "recordarme", "notify", "let me know", "remind me", "tell me when", "text me", "message me"}

// otherMeans name what is not the lock's wait nor the chat: an office's
// turn, a mail ("¿cuánto tarda el turno?" was told the lock's end, as if
// the office had to wait too; a regression probe).
var otherMeans = []string{"mail", "correo", "sms", "llam", "turno", "oficina", "anses", "email", "call", "office"}

// waitPhrases ask how long the wait is, folded.
var waitPhrases = []string{"cuanto tengo que esperar", "cuanto hay que esperar", "cuanto falta", "cuanto tiempo",
	"cuanto dura", "cuantas horas", "hasta cuando", "hasta que hora", "cuando puedo", "cuando se desbloquea",
	"cuando vuelvo", "how long", "until when", "when can"}

// aboutLock answers a question at the lockout's options about the lock
// this person has, the validation's: "¿por qué me bloquearon?" got the
// FAQ's answer on the key's lock (wrong keys, recover to unlock), when
// recovering is what is blocked, and "¿cuánto tengo que esperar?" only
// "elegí una de las opciones". Other questions are the FAQ's.
func (t *turn) aboutLock(text string, n int) error {
	if says(text, waitPhrases) && !says(text, otherMeans) {
		t.say("lock.validation", "until", t.st.LockUntil)
		t.prompt()
		return nil
	}
	if g, ok := t.classify(); ok && (g.Intent == "error.blocked" || g.Intent == "error.identity_failed") {
		t.say("lock.why", append(t.e.reg.Policy().MessageArgs(), "until", t.st.LockUntil)...)
		t.prompt()
		return nil
	}
	return t.questionOr(text, nil, "choice.invalid", "n", n)
}
