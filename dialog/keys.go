package dialog

import (
	"errors"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/registry"
)

// startNewKey states the key rules, then asks for the key.
func (t *turn) startNewKey() error {
	p := t.e.reg.Policy()
	t.say("key.rules", "min", p.KeyMinLen, "max", p.KeyMaxLen)
	t.enter(StepNewKey)
	return nil
}

// onNewKey checks a proposed key; a weak one is refused naming the rule it
// breaks. What is kept until confirmation is its seal only (see
// registry/keyseal.go): argon2id runs once, when the key is confirmed.
func (t *turn) onNewKey(key string) error {
	key = keyOnce(key)
	if !t.st.Validated {
		t.menu()
		return nil
	}
	if !strings.ContainsFunc(key, isDigit) && (notKnown(key) || says(key, howToKeyPhrases)) {
		// "no sé qué poner": the rules, and how a key is built, never a
		// key to copy (it got "Eso no parece una clave").
		p := t.e.reg.Policy()
		t.say("key.rules", "min", p.KeyMinLen, "max", p.KeyMaxLen)
		t.say("key.how_to")
		t.prompt()
		return nil
	}
	if forgetLater(key) {
		t.forgetLaterAnswer()
		t.prompt()
		return nil
	}
	if sentenceNotKey(key) {
		// "¿puede tener símbolos?", "cómo tiene que ser la clave": a
		// question, answered, and the key asked again. No key is one:
		// every key has a digit. "Quiero poner otra", "no me acuerdo lo
		// que puse" are about this key, never a flow to switch to (the
		// classifier reads them as changing or recovering one, and "sí"
		// lost the identity proved).
		g, sure := t.classify()
		if wantsAnotherKey(key) || sure && startsFlow(g.Intent) {
			t.say("key.choose_again")
			t.prompt()
			return nil
		}
		return t.questionOr(key, nil, "key.not_a_key", "min", t.e.reg.Policy().KeyMinLen, "max", t.e.reg.Policy().KeyMaxLen)
	}
	if chatNotKey(key) {
		// "listo", "ya está": no key (every key has a digit), not one of
		// the wrong length.
		t.say("key.not_a_key", "min", t.e.reg.Policy().KeyMinLen, "max", t.e.reg.Policy().KeyMaxLen)
		t.prompt()
		return nil
	}
	if ws := strings.Fields(key); len(ws) > 1 && strings.ContainsFunc(key, isDigit) {
		// "Mate2025amargo gracias", "Mate2025amargo 👍", "puede ser
		// Mate2025amargo?": the rule broken is the one word (they got the
		// length's, the key alone being 14; a probe of people's words).
		// Nothing is kept or counted.
		t.event(Event{Name: "weak_key", Value: 0})
		t.say("key.rule.space")
		if len(ws) > 2 || slices.ContainsFunc(ws, func(w string) bool { return !keyPart(w) }) {
			t.say("key.only_key")
		}
		t.prompt()
		return nil
	}
	c, err := t.citizen()
	if err != nil {
		return err
	}
	err = t.e.reg.CheckNewKey(t.ctx, c, key)
	var rule *registry.KeyRuleError
	if errors.As(err, &rule) {
		t.event(Event{Name: "weak_key", Value: 0})
		t.say(i18n.Key("key.rule."+string(rule.Rule)), "min", t.e.reg.Policy().KeyMinLen, "max", t.e.reg.Policy().KeyMaxLen)
		t.prompt()
		return nil
	}
	if err != nil {
		return err
	}
	t.st.KeySeal = t.e.reg.SealNewKey(key)
	t.enter(StepConfirmKey)
	return nil
}

// onConfirmKey stores the key when both entries match; otherwise the person
// chooses the key again.
func (t *turn) onConfirmKey(key string) error {
	key = keyOnce(key)
	st := t.st
	if !st.Validated {
		t.menu()
		return nil
	}
	if st.KeySeal == "" {
		// Nothing sealed to confirm against: a state whose first entry
		// was kept as its argon2id hash, as versions before the seal kept
		// it ("kh"), which this version no longer reads. Stored with
		// SetKey, such a change replaced whatever key the CUIL had by the
		// write (no KeySave.Over). The proof is kept; the key is chosen
		// again.
		t.say("key.choose_again")
		t.enter(StepNewKey)
		return nil
	}
	if forgetLater(key) {
		t.forgetLaterAnswer()
		t.say("key.confirm_again")
		t.prompt()
		return nil
	}
	if (chatNotKey(key) || sentenceNotKey(key)) && wantsAnotherKey(key) {
		// "no me acuerdo lo que puse", "quiero poner otra": the key is
		// chosen again (it looped on "escribí de nuevo la misma").
		st.KeySeal = ""
		t.say("key.choose_again")
		t.enter(StepNewKey)
		return nil
	}
	if chatNotKey(key) || sentenceNotKey(key) {
		// "sí", "ok", "y eso qué es": the person answered the request instead of typing
		// the key again; throwing the key away would make them start over.
		// Anything else is a mismatch (CONVERSATION: back to the new key).
		if sentenceNotKey(key) {
			// "¿qué es la clave?" got only "escribí de nuevo la misma
			// clave", where the new key's step answers it (a contract
			// probe; CONVERSATION: a question is answered at any step):
			// the answer first, the key chosen kept.
			if g, sure := t.classify(); sure && answeredAtConfirm(g.Intent) {
				t.event(Event{Name: "faq", Intent: g.Intent})
				t.answer(g.Intent)
			}
		}
		t.say("key.confirm_again")
		t.prompt()
		return nil
	}
	if len(strings.Fields(key)) > 1 && strings.ContainsFunc(key, isDigit) {
		// "es Misiones2024x": words with the key, which has no spaces, so
		// never the key chosen; compared, it was a mismatch, and the key
		// chosen thrown away (a people probe). Said as at the new key,
		// and the confirmation asked again.
		t.say("key.only_key")
		t.prompt()
		return nil
	}
	if stale, err := t.proofStale(t.flowDef().action); stale || err != nil {
		return err
	}
	ok, err := t.storeConfirmedKey(key)
	if errs.Is(errs.Conflict, err) && t.flowDef().action == registry.ActionKeyChanged {
		// The key changed in another chat between keyStillProved's check
		// and this write: this chat is asked for the key again, as when
		// the change was there at the check.
		if still, err := t.keyStillProved(); still || err != nil {
			return errors.Join(err, errors.New("dialog: key change refused, the key unchanged"))
		}
		return nil
	}
	if errs.Is(errs.Conflict, err) {
		// A key created in another chat between proofStale's check and
		// this write: the registry keeps it, and this chat is offered
		// recovery, as when the key was there at the check.
		st.KeySeal = ""
		t.offerInstead(FlowRecover, st.CUIL, i18n.M("create.has_key"))
		return nil
	}
	if err != nil {
		return err
	}
	if !ok {
		st.KeySeal = ""
		t.say("key.confirm_mismatch")
		t.enter(StepNewKey)
		return nil
	}
	t.keyDone()
	return nil
}

// answeredAtConfirm reports whether intent is a question the FAQ answers
// where the key is confirmed: no flow to switch to (a key half chosen),
// no greeting or goodbye.
func answeredAtConfirm(intent string) bool {
	return !startsFlow(intent) && intent != intentAsk && intent != "greeting" && intent != "thanks_bye"
}

// keyDone tells the person their key is stored and offers what follows.
// Nothing after the key stored may fail the turn: the person would be
// told to try again for a key they have (see Engine.Handle).
func (t *turn) keyDone() {
	st := t.st
	t.stored = true
	t.event(Event{Name: "done", Flow: st.Flow})
	t.say(t.flowDef().done)
	t.say("done.login", "cuil", st.CUIL.String())
	t.say("done.tips")
	if st.Flow == FlowChange {
		t.menuAgain()
		return
	}
	if err := t.offerContacts(); err != nil {
		t.e.log.Warn("contacts not offered after a key stored", "err", err)
		cuil := st.CUIL
		t.menuAgain()
		st.CUIL, st.Offered = cuil, true
	}
}

// keyStoredBefore ends a chat whose key is stored already, whatever its
// message says: a turn of it stored the key, then failed before its state
// was saved (Redis went away, the turn's deadline passed, the answer of
// the key's write was lost), so the state still waits for the key's
// confirmation. Asked for the key again, the person was told the CUIL had
// a key (create), or had it stored and audited twice (recovery), having
// been told before that nothing was lost. It reports whether it did.
func (t *turn) keyStoredBefore() (bool, error) {
	st := t.st
	if st.Step != StepConfirmKey || !st.Validated || st.KeySeal == "" {
		return false, nil
	}
	stored, err := t.e.reg.KeyStored(t.ctx, st.CUIL, st.KeySeal)
	if err != nil || !stored {
		return false, err
	}
	t.say("key.stored_before")
	t.keyDone()
	return true, nil
}

// storeConfirmedKey stores key when it is the one sealed at its first
// entry, reporting whether it was.
func (t *turn) storeConfirmedKey(key string) (bool, error) {
	st, action := t.st, t.flowDef().action
	var over time.Time
	if action == registry.ActionKeyChanged {
		over = time.UnixMilli(st.KeyAt) // the key this chat proved (keyStillProved)
	}
	return t.e.reg.StoreSealedKey(t.ctx, st.CUIL, st.KeySeal, key, over, action, t.in.Channel)
}

// proofStale checks, before a key is stored, what another chat may have
// changed since this one proved who the person is (found by a probe: a
// chat that validated before a key was created elsewhere, or before an
// e-mail was verified elsewhere, replaced that key, without the code to
// that e-mail). A key created meanwhile: create stops and offers
// recovery. A key stored meanwhile over the one a change proved: the
// current key is asked again. A contact verified meanwhile: its code is
// asked first. It reports whether the turn was answered instead.
func (t *turn) proofStale(action registry.Action) (bool, error) {
	st := t.st
	if action == registry.ActionKeyCreated {
		has, err := t.e.reg.HasKey(t.ctx, st.CUIL)
		if err != nil || has {
			if has {
				st.KeySeal = ""
				t.offerInstead(FlowRecover, st.CUIL, i18n.M("create.has_key"))
			}
			return has, err
		}
	}
	if action == registry.ActionKeyChanged {
		if ok, err := t.keyStillProved(); !ok || err != nil {
			return true, err
		}
	}
	if st.Factor {
		return false, nil
	}
	cs, err := t.e.reg.Contacts(t.ctx, st.CUIL)
	if err != nil || len(cs.Verified()) == 0 {
		return false, err
	}
	st.KeySeal = ""
	return true, t.secondFactor()
}

// emailNotKey reports whether text is an e-mail address with a real
// domain, which no key is ("Boca@Juniors.12" is a key).
func emailNotKey(text string) bool {
	text = strings.TrimSpace(text)
	_, err := registry.ParseEmail(text)
	return err == nil && !keyShaped(text)
}

func (t *turn) askCurrentKey() {
	t.asking(i18n.M("ask.current_key"), i18n.M("option.forgot_key"))
}

// forgotPhrases are answers to "your current key" that mean "I forgot it".
var forgotPhrases = []string{"me la olvide", "no me acuerdo", "no la se", "no la recuerdo", "olvide", "i forgot", "forgot"}

func (t *turn) onCurrentKey(key string) error {
	key = keyOnce(key)
	st := t.st
	if t.e.matchOption(key, []i18n.Message{i18n.M("option.forgot_key")}) == 0 || isForgot(key) {
		t.say("change.forgot")
		return t.start(FlowRecover, st.CUIL)
	}
	if emailNotKey(key) {
		// The e-mail the person came to add, typed where the key is
		// asked first, counted as a wrong key toward the lock (a data
		// probe); an address with a real domain is no key (mask.go's
		// keyShaped).
		if st.Flow == FlowContact {
			t.say("contact.key_first")
		} else {
			t.say("change.not_a_key")
		}
		t.prompt()
		return nil
	}
	if chatNotKey(key) || !strings.ContainsFunc(key, unicode.IsLetter) {
		// "sí", "hola", a question typed here is conversation, not a wrong
		// key, and is not counted toward the lockout: every key has a
		// digit (registry's rules, whatever the policy), so it tells
		// nobody anything of the key, and it is the same for a CUIL with
		// a key or without. Anything else without a digit ("incorrecta")
		// is still a wrong key, as CONTRACT §5 counts them. Nor is what
		// has no letter (found by a probe: the CUIL or the DNI typed here
		// counted as wrong keys toward the lock): every key has one.
		if strings.ContainsAny(key, "?¿") && strings.ContainsFunc(key, unicode.IsLetter) {
			// "¿distingue mayúsculas y minúsculas?": a question, answered
			// as at the new key (it got «Eso no es una clave», the
			// question unanswered; a people probe).
			return t.questionOr(key, nil, "change.not_a_key")
		}
		t.say("change.not_a_key")
		t.prompt()
		return nil
	}
	if !strings.ContainsFunc(key, isDigit) && len(strings.Fields(key)) >= 2 {
		// A sentence without a digit is no key (every key has one) and
		// is not counted (found by a probe: "no sé cuál es", "nunca la
		// creé" counted as wrong keys, five locking the CUIL). One word
		// ("incorrecta") is still a wrong key, as CONTRACT §5 counts.
		switch {
		case neverHadKey(key):
			t.say("change.no_key_yet")
			return t.start(FlowCreate, st.CUIL)
		case doesNotKnowKey(key):
			t.say("change.forgot")
			return t.start(FlowRecover, st.CUIL)
		}
		return t.questionOr(key, nil, "change.not_a_key")
	}
	if k, ok := keyInSentence(key); ok {
		key = k
	}
	// A CUIL without a key, or in no record, is answered, counted and
	// timed as a wrong key: a stranger learns nothing of it.
	res, err := t.e.reg.VerifyBlind(t.ctx, st.CUIL, key, t.in.Channel)
	if err != nil {
		return err
	}
	switch res.Status {
	case registry.VerifyOK:
		t.event(Event{Name: "validated"})
		st.Identified = true
		return t.advance() // the second factor, when the CUIL has one
	case registry.VerifyLocked:
		if res.Busy {
			// Other chats are comparing keys of this CUIL right now: no
			// lock ends at res.Until (found by an attack probe: "bloqueada
			// hasta" the reservations' expiry).
			t.say("change.busy")
			t.prompt()
			return nil
		}
		t.keyLocked(registry.Lockout{Until: res.Until})
		return nil
	}
	lock, err := t.e.reg.Lockout(t.ctx, st.CUIL, registry.LockKey)
	if err != nil {
		return err
	}
	left := t.e.reg.Policy().WrongKeys.Max - lock.Failures
	t.say("change.wrong_key", "n", left)
	t.tell()
	t.prompt()
	return nil
}

// keyPart reports whether a word typed with others at the new key may be
// part of a key set before keys were one word ("gato azul 2025"): letters
// or digits, not chat ("gracias"), a mark or an emoji.
func keyPart(w string) bool {
	return !chatWords[fold(w)] && !strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// howToKeyPhrases say, folded, that the person does not know what key to
// choose.
var howToKeyPhrases = []string{"no se que poner", "no se me ocurre", "que pongo", "que clave pongo", "ayudame a elegir",
	"dame una idea", "sugeri", "recomenda", "un ejemplo", "no se cual elegir", "no se cual poner", "what should i",
	"give me an example", "any idea",
	// Asked to make it: "me la podés generar vos?" got "Eso no parece una
	// clave" (a words probe); the bot makes none.
	"generar vos", "genera vos", "generala", "generamela", "hacer vos", "haces vos", "hacela vos", "hacemela",
	"haceme una", "inventame", "inventala", "elegi vos", "elegila vos", "elegir vos", "ponela vos", "pone vos",
	"make one for me", "make me one", "generate one", "pick one for me", "choose one for me", "create one for me",
	"you choose"}

// chatWords are what people write to the bot that no key is: a greeting,
// a yes or no, thanks.
var chatWords = set("si", "no", "ok", "okey", "oki", "dale", "hola", "buenas", "buen", "buenos", "dia", "dias",
	"tardes", "noches", "gracias", "listo", "bueno", "perfecto", "ya", "claro", "yes", "hi", "hello", "thanks",
	// Fillers of one word, which five of locked a person out of Mi ANSES
	// for 30 minutes at the current key (found by a probe).
	"nose", "sip", "sep", "nop", "nope", "nah", "mmm", "mm", "eh", "ehh", "este", "espera", "esperá", "aguarda",
	"porfa", "xfa", "holis", "perdi", "perdon", "disculpa", "idk", "wait", "hmm", "um", "uh", "ah", "aja",
	// "ya está" at the new key (a probe of people's words).
	"esta", "done")

// keyLabels are the words that say a key is what follows, folded ("mi
// clave actual es …").
var keyLabels = set("mi", "la", "clave", "contrasena", "actual", "vieja", "anterior", "es", "era", "seria", "my",
	"the", "password", "key", "current", "is", "it", "s")

// keyInSentence returns the key of "mi clave es Mate2025amargo": the one
// word with a letter and a digit, said to be the key ("es", "era", a
// colon before it), when every other word only labels it. The whole
// sentence was compared as the key, and counted wrong (found by a probe).
// Anything else is compared as typed: a key set before keys were one word
// ("gato azul 2025", "Mi Clave2024") is not split (a regression probe).
func keyInSentence(text string) (string, bool) {
	fields := strings.Fields(text)
	if len(fields) < 2 {
		return "", false
	}
	key := ""
	for i, f := range fields {
		if strings.ContainsFunc(f, isDigit) && strings.ContainsFunc(f, unicode.IsLetter) {
			if key != "" || i == 0 || !saysIs(fields[i-1]) {
				return "", false
			}
			key = f
			continue
		}
		for _, w := range foldedWords(f) {
			if !keyLabels[w] {
				return "", false
			}
		}
	}
	return key, key != ""
}

// keyOnce is a key pasted twice ("Zorzal7135 Zorzal7135", or a newline
// between) as the key: it got "no puede tener espacios", "no coinciden",
// and at the current key a wrong key counted (a data probe). Anything
// else is text itself.
func keyOnce(text string) string {
	ws := strings.Fields(text)
	if len(ws) == 2 && ws[0] == ws[1] && strings.ContainsFunc(ws[0], isDigit) && strings.ContainsFunc(ws[0], unicode.IsLetter) {
		return ws[0]
	}
	return text
}

// saysIs reports whether a word says that what follows is the key: "es",
// "era", "sería", "is", or a word ending in a colon ("clave:").
func saysIs(w string) bool {
	if strings.HasSuffix(w, ":") {
		return true
	}
	switch fold(w) {
	case "es", "era", "seria", "sería", "fue", "is", "was":
		return true
	}
	return false
}

// chatNotKey reports whether text, without a digit, is a question or made
// only of chatWords.
func chatNotKey(text string) bool {
	if strings.ContainsFunc(text, isDigit) {
		return false
	}
	if strings.ContainsAny(text, "?¿") {
		return true
	}
	ws := foldedWords(text)
	return len(ws) > 0 && !slices.ContainsFunc(ws, func(w string) bool { return !chatWords[w] })
}

// anotherKeyWords say, in a sentence at the confirmation, that the person
// forgot the key they chose or wants another, folded.
var anotherKeyWords = []string{"olvid", "acuerdo", "otra", "cambiar", "de nuevo", "reinici", "empezar", "no se cual",
	"no se que puse", "forgot", "another", "start over"}

func wantsAnotherKey(text string) bool { return says(text, anotherKeyWords) }

// forgetLater reports whether text, no key, asks what to do if the key is
// forgotten one day ("¿qué hago si me la olvido?", "y si me olvido la
// clave", "what if I forget it?"): at the key steps it got "Dale, elegí
// la clave de nuevo", "olvid" read as not remembering the key just typed,
// which was thrown away (a words probe).
func forgetLater(text string) bool {
	if strings.ContainsFunc(text, isDigit) {
		return false
	}
	ws := foldedWords(text)
	rest := withoutWhatIf(ws)
	return len(rest) < len(ws) && containsAny(strings.Join(rest, " "), []string{"olvid", "forget"})
}

// forgetLaterAnswer says how a forgotten key is recovered: the FAQ's
// answer, the flow not started (a key is being chosen).
func (t *turn) forgetLaterAnswer() {
	t.event(Event{Name: "faq", Intent: "key.recover"})
	t.answer("key.recover")
}

// sentenceNotKey reports whether text, without a digit, is a question or
// a sentence of three words or more: what people write where a new key is
// asked when they are unsure, and never a key (the policy wants a digit).
func sentenceNotKey(text string) bool {
	if strings.ContainsFunc(text, isDigit) {
		return false
	}
	return strings.ContainsAny(text, "?¿") || len(strings.Fields(text)) >= 3
}

// neverHadKeyPhrases and dontKnowKeyPhrases are, folded, what people say
// at the current key when they have none, or do not know it.
var (
	neverHadKeyPhrases = []string{"no tengo clave", "nunca la cree", "nunca cree", "todavia no tengo", "no tengo ninguna",
		"never created", "never made", "don t have one", "dont have one", "i have none"}
	dontKnowKeyPhrases = []string{"no se cual es", "no la se", "no se la clave", "no recuerdo", "don t remember",
		"dont remember", "don t know it", "dont know it", "no idea"}
)

func neverHadKey(s string) bool    { return says(s, neverHadKeyPhrases) }
func doesNotKnowKey(s string) bool { return says(s, dontKnowKeyPhrases) }

func isForgot(s string) bool { return containsAny(fold(s), forgotPhrases) }

// keyLocked explains a login lockout and offers recovery, which clears it.
func (t *turn) keyLocked(lock registry.Lockout) {
	t.event(Event{Name: "key_locked"})
	t.offerInstead(FlowRecover, t.st.CUIL, i18n.M("change.locked", "until", lock.Until))
}
