package dialog

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

type troubleTopic struct {
	id     string
	intent string
	check  bool
}

// troubleTopics are the common errors (CONVERSATION.md): each is explained
// by the FAQ answer of its intent, and most can be checked in the registry.
var troubleTopics = []troubleTopic{
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
		if i = t.troubleTopicSaid(); i < 0 {
			return t.understand(text)
		}
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

// troubleTopicSaid returns the topic of the troubleshooting menu the
// classifier is sure the message names ("estoy bloqueado", the topic's
// label before it was worded neutrally), or -1.
func (t *turn) troubleTopicSaid() int {
	g, ok := t.classify()
	if !ok {
		return -1
	}
	return slices.IndexFunc(troubleTopics[:], func(tt troubleTopic) bool { return tt.intent == g.Intent })
}

// How often the registry may be asked about CUILs from the
// troubleshooting menu: by one chat, by one source (a REST client's
// address), and to prove any one CUIL, across replicas. A person checks
// their own CUIL once or twice; a stranger probing CUILs, or guessing a
// birth date, hits these within a few tries.
var (
	checksPerChat   = limit{key: "check", max: 5, per: time.Hour, chat: true}
	checksPerSource = limit{max: 20, per: time.Hour}
	proofsPerCUIL   = limit{max: 6, per: 24 * time.Hour}
)

// checkCUIL starts a check of what the registry knows of a CUIL. It tells
// nothing before the person proves the CUIL is theirs with its DNI and
// birth date: not even whether it is registered, which a stranger could
// otherwise learn of any CUIL. Checks are limited per chat and per source.
func (t *turn) checkCUIL(cuil registry.CUIL) error {
	// A loopback source is none (sourceKey): it speaks for everyone
	// behind a local proxy, and 20 checks by anyone there refused every
	// other person's for the hour (an attack probe).
	ok, retry, err := t.allow(checksPerChat, checksPerSource.on(sourceKey(limitSourceChecks, t.in.Source)))
	if err != nil {
		return err
	}
	if !ok {
		return t.checkLimited("check.limited", retry)
	}
	st := t.st
	st.CUIL, st.Pending, st.History, st.Mismatch, st.Matched = cuil, []Step{StepDNI, StepBirthDate}, nil, nil, nil
	t.say("check.prove")
	return t.nextData()
}

// checkProof ends a check's proof: the data match the CUIL's record, and
// the registry's state of it is told; or they do not (or there is no such
// CUIL: the same answer), and nothing is. Proof attempts of one CUIL are
// limited, whoever makes them, so a birth date cannot be guessed by many
// chats. While the CUIL's validation is locked nothing is judged, as in
// the flows (TestLockedCUILJudgesNoData): the lock is told, whatever the
// data. A match told the lock with the CUIL's state and a mismatch only
// "no coinciden": whoever locked the CUIL with three wrong birth dates in
// the flows went on guessing it here, told the right one (an attack
// probe).
func (t *turn) checkProof() error {
	st := t.st
	cuil := st.CUIL
	if missing := t.dataUnjudged(); len(missing) > 0 {
		return t.dataAgain(missing)
	}
	ok, retry, err := t.allow(proofsPerCUIL.on(limitKey(limitCUILProofs, string(cuil))))
	if err != nil {
		return err
	}
	st.Pending, st.History = nil, nil
	if !ok {
		// The CUIL's proofs, made by anyone: this person may have made
		// one (they were told "Hiciste muchas consultas seguidas").
		return t.checkLimited("check.cuil_limited", retry)
	}
	lock, err := t.e.reg.Lockout(t.ctx, cuil, registry.LockValidation)
	if err != nil {
		return err
	}
	if lock.LockedAt(t.now) {
		st.Mismatch, st.Check = nil, ""
		t.locked(lock.Until)
		return nil
	}
	if len(st.Mismatch) > 0 {
		st.Mismatch = nil
		return t.checkUnproved(cuil)
	}
	st.CUIL = ""
	return t.tellCUIL(cuil)
}

// checkUnproved answers a check whose data do not match the CUIL's
// record: a failed validation, as CONTRACT §5 counts wrong personal data
// from any chat, counted before anything is said. Uncounted, the check
// was an oracle of the birth date (the DNI is in the CUIL), six a day
// for ever beside the flows' three per lock.
func (t *turn) checkUnproved(cuil registry.CUIL) error {
	st := t.st
	lock, err := t.e.reg.FailValidation(t.ctx, cuil)
	if err != nil {
		return err
	}
	t.event(Event{Name: "trouble_check_unproved", Intent: st.Check})
	st.Check = ""
	if lock.LockedAt(t.now) {
		t.locked(lock.Until)
		t.judged = slices.Clone(t.out)
		return nil
	}
	st.CUIL = ""
	t.say("check.no_match")
	t.attemptsLeft(lock)
	// Counted: told even when the turn is not saved (unsaved.go).
	t.judged = slices.Clone(t.out)
	t.troubleMenu()
	return nil
}

// checkLimited refuses a check over a limit, saying which with said.
func (t *turn) checkLimited(said i18n.Key, retry time.Duration) error {
	t.event(Event{Name: "trouble_check_limited", Intent: t.st.Check})
	t.st.CUIL, t.st.Check = "", ""
	t.say(said, "until", t.now.Add(max(retry, time.Minute)))
	t.troubleMenu()
	return nil
}

// tellCUIL tells someone who proved the CUIL is theirs what the registry
// knows that helps: it is registered, its key locked and until when, and
// whether it has a key. It reveals no personal data. Its validation is
// not locked: checkProof tells that lock instead.
func (t *turn) tellCUIL(cuil registry.CUIL) error {
	t.say("check.registered")
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
	if hasKey {
		t.troubleMenu()
		return nil
	}
	// Told the CUIL has no key, the person was shown the problems' menu
	// again, with nothing to do about it (a people probe): the creation
	// is offered, on that CUIL, instead of the menu; a "no" comes back to
	// the menu, asked then.
	t.st.Flow = FlowTrouble
	t.moveTo(StepTroubleMenu)
	t.offerFlow(FlowCreate, cuil, i18n.M("check.offer_create"))
	return nil
}

// limitKey names a limit's counter. The subject (a chat id, an address, a
// CUIL) is hashed: limits keep no one's data in Redis.
func limitKey(what, subject string) string {
	sum := sha256.Sum256([]byte(subject))
	return what + ":" + hex.EncodeToString(sum[:12])
}
