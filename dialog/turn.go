package dialog

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/clavebot/clavebot/dialog/convo"
	"github.com/clavebot/clavebot/dialog/statestore"
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
	// keyTyped: the message was a key typed alone where none is asked
	// (keyAlone); the channel deletes it as a key step's.
	keyTyped bool
	// text is the message, cleaned; at is the step it answers, what it
	// carries is read for.
	text string
	at   Step
	// read is what the message says, read once (see reading).
	read *reading
	// guessed holds the classifier's guesses, asked at most once a turn.
	guessed bool
	guesses []Guess
	// carriedDone: the data the message carried were taken (or looked for).
	carriedDone bool
	// carryTold: the data carried are a carry already said taken
	// (cuilWithCarry), not said again.
	carryTold bool
	// cit is the chat's citizen, read at most once this turn (see citizen).
	cit *registry.Citizen
	// noRecord is the CUIL the registry has no record of, read this turn.
	noRecord registry.CUIL
	// lines are the transcript lines of this turn (and those of a state
	// written before the transcript was kept apart), appended to the
	// store's transcript when the turn commits.
	lines []Line
	// counts are the chat's counts of its own limits (see limit.chat):
	// the lease's, counted this turn and committed with the state.
	counts map[string]statestore.Count
	// armed is the use of the source's CUILs that the store reserved when
	// it took the chat, left at the CUIL step (see Engine.acquire);
	// spent, that this turn spent it. Only the turn that got it gives back
	// one unspent, at its commit.
	armed statestore.Verdict
	spent bool
	// stored: the turn stored the person's key (see keyDone). What fails
	// after that does not make it a failure.
	stored bool
	// lost: the chat has no state, and had one that was lost (recent.go).
	lost lostKind
	// judged are the replies that told the round's judgment, once the
	// registry made it; sent is the one-time code the turn sent. Neither
	// is taken back when the turn's state is not saved (unsaved.go).
	judged []Reply
	sent   *registry.Code
	// told are the replies that told a failure counted at step toldAt (a
	// wrong key, a wrong code) that leaves the person at that step: a
	// turn not saved, whose state before asks the same, tells them too.
	told   []Reply
	toldAt Step
	// unsaved is set when the store refused the turn's state: its
	// restart (restartAfterJudged) cannot be saved either.
	unsaved bool
}

// say adds a message without options.
func (t *turn) say(key i18n.Key, kv ...any) { t.sayMsg(i18n.M(key, kv...)) }

func (t *turn) sayMsg(m i18n.Message) {
	t.out = append(t.out, Reply{Msg: m})
	t.addLine("bot", m)
}

// asking adds a question with its options (which may be none). Steps ask
// through it; it does not move the chat (enter does).
func (t *turn) asking(m i18n.Message, options ...i18n.Message) {
	t.out = append(t.out, Reply{Msg: m, Options: options})
	t.addLine("bot", m)
}

// replies sets every reply's Expect to what the bot now waits for.
func (t *turn) replies() []Reply {
	exp := t.expect()
	for i := range t.out {
		t.out[i].Expect = exp
	}
	return t.out
}

// transcribe adds the person's message to the transcript the desk sees: a
// key is hidden, and every CUIL, DNI, date and número de trámite in it is
// masked (the desk must not learn them from an unvalidated person).
//
// The text is read as the steps read it (narrow): a CUIL, a DNI, a date,
// a code or an option's number typed in fullwidth digits is taken by the
// step, and reached the desk in clear, where the masks look for ASCII (an
// attack probe).
func (t *turn) transcribe(in Inbound, secret bool) {
	text := ""
	if !secret {
		text = narrow(in.Text)
	}
	switch {
	case secret:
		t.addLine("person", i18n.M("transcript.hidden_key"))
	case in.Media != "":
		t.addLine("person", i18n.M("transcript.media", "kind", in.Media))
	case t.isCodeStep() && isCodeText(text):
		t.addLine("person", i18n.M("transcript.hidden_code"))
	case t.answersQuestion(text):
		t.addLine("person", i18n.M("transcript.hidden_answer"))
	default:
		// E-mail addresses are masked too, whoever types them.
		masked := maskedPrefixFrom(text, 500, t.now, t.keyLens())
		if t.datumTyped() {
			masked = maskDatumWorth(masked)
		}
		t.addLine("person", i18n.Raw(masked))
	}
}

// datumTyped reports whether the chat's step is given a personal datum,
// which the masks must hide whatever its form: a data step or the CUIL's.
func (t *turn) datumTyped() bool {
	return t.stepDef().datum != nil || t.st.Step == StepCUIL
}

// maskMargin is how far past a cut a message is masked before it is cut:
// more than the longest datum a mask reads whole (an e-mail address).
const maskMargin = 300

// maskedPrefix is text masked (maskData, e-mail addresses too) and cut to
// n characters. Masked after the cut, a DNI or a key across it lost what
// made it one, and its first digits or characters stayed in clear
// ("…352189", "Tomate#Azul" of "Tomate#Azul42"; an attack probe); masked
// whole, a message of thousands of characters cost every turn its length.
func maskedPrefix(text string, n int, now time.Time) string {
	return maskedPrefixFrom(text, n, now, defaultKeyLens)
}

// maskedPrefixFrom is maskedPrefix hiding the words shaped like keys of
// lens.
func maskedPrefixFrom(text string, n int, now time.Time, lens keyLens) string {
	return truncate(registry.MaskEmails(maskDataFrom(truncate(text, n+maskMargin), now, lens)), n)
}

// masked is a person's text as the desk and the transcript may hold it
// (maskData, e-mail addresses too).
func (t *turn) masked(text string) string {
	return registry.MaskEmails(maskDataFrom(text, t.now, t.keyLens()))
}

// keyLens are the lengths of a word the masks take for a key: the
// default's, stretched to the policy's keys. --key-min-len takes 6 and
// --key-max-len has no bound: 6- and 7-character keys, and keys longer
// than 32, typed to an agent, reached the desk in clear (an attack
// probe).
func (t *turn) keyLens() keyLens {
	lens, p := defaultKeyLens, t.e.reg.Policy()
	if p.KeyMinLen > 0 && p.KeyMinLen < lens.min {
		lens.min = p.KeyMinLen
	}
	if p.KeyMaxLen > lens.max {
		lens.max = p.KeyMaxLen
	}
	return lens
}

func truncate(s string, n int) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// run handles the message at the current step.
func (t *turn) run(expired bool) error {
	if expired || t.lost != notLost {
		switch {
		case expired:
			t.say("idle.restart", "minutes", int(t.e.reg.Policy().IdleTimeout.Minutes()))
		case t.lost == surelyLost:
			t.say("state.lost")
		default:
			t.say("state.maybe_lost")
		}
		if t.secret {
			t.st.Started = true
			t.menu()
			return nil
		}
	}
	if t.in.StaleTap {
		return t.staleTap(expired || t.lost != notLost)
	}
	if done, err := t.keyStoredBefore(); done || err != nil {
		return err
	}
	// With the desk (in the line, or an agent has the chat) what the bot
	// cannot read still goes to the desk: a photo, a voice note, a long
	// message never reached the agent, and the person was told the bot
	// reads only text, "seguís en la fila", with an agent attending them
	// (found by a probe).
	atDesk := t.st.Started && t.def().waits && t.e.hasDesk
	if t.in.Media == convo.MediaEdited {
		return t.edited(atDesk)
	}
	if t.in.Media != "" {
		if atDesk {
			return t.mediaToDesk()
		}
		t.say("input.media")
		t.prompt()
		return nil
	}
	// A text that stands for a voice note or a sticker ("[nota de voz]",
	// "<Multimedia omitido>") is that media, not what the step asks: at
	// the names it was the surname, judged and counted (a data probe).
	// The desk reads it as the person wrote it; a key step, as a key.
	if !atDesk && !t.secret && mediaPlaceholder(t.in.Text) {
		t.say("input.media")
		t.prompt()
		return nil
	}
	text := t.in.Text
	if utf8.RuneCountInString(text) > t.e.maxInput && !atDesk {
		t.say("input.too_long")
		t.prompt()
		return nil
	}
	text = cleanInput(text)
	if !t.secret {
		text = narrow(text)
	}
	if !t.secret && !atDesk {
		text = spokenNumbers(text) // see spoken.go; the desk reads what was written
	}
	if text == "" {
		t.prompt()
		return nil
	}
	t.text, t.at = text, t.st.Step
	if !t.secret && !atDesk && t.keyAlone(text) {
		return nil
	}
	if !t.secret && atDesk {
		t.keyAtDesk(text)
	}
	if !t.st.Started {
		return t.first(text)
	}
	if cmd := commandOf(text); cmd != "" && (!t.def().waits || cmd == cmdCancel || cmd == cmdMenu || cmd == cmdRestart) {
		return t.command(cmd)
	}
	if !t.secret && !t.def().waits && onlyQuestionMarks(text) {
		// "?" where the surnames are asked got the question again, with
		// nothing said (a people probe): the person does not know what
		// to do there, and "ayuda" says it.
		return t.command(cmdHelp)
	}
	if t.formatQuestion(text) {
		return nil
	}
	return t.step(text)
}

// onlyQuestionMarks reports whether text is question marks alone ("?",
// "¿?", "???").
func onlyQuestionMarks(text string) bool {
	return strings.Trim(strings.TrimSpace(text), "?¿") == "" && strings.TrimSpace(text) != ""
}

// staleTap answers a tap on an option of an earlier message while no
// question with options is on screen (see convo.Inbound.StaleTap): the
// current question is asked again; with no conversation (it ended, idled
// out or was lost: told says whether the person was told why), it starts
// over at the menu. It was pointed to its "last question", which was not
// there, every tap looping on it (a resilience probe).
func (t *turn) staleTap(told bool) error {
	if !t.st.Started {
		t.st.Started = true
		if !told {
			t.say("input.stale_tap_over")
		}
		t.menu()
		return nil
	}
	t.say("input.stale_tap")
	t.prompt()
	return nil
}

// first greets a new chat; a message that already says what the person
// wants starts it at once, with the CUIL and data it carries.
func (t *turn) first(text string) error {
	t.st.Started = true
	if cmd := commandOf(text); cmd != "" && cmd != cmdMenu && cmd != cmdRestart {
		if cmd == cmdHelp {
			// "necesito ayuda" first: who the bot is, then the help.
			t.event(Event{Name: "welcome"})
			t.say("welcome")
			t.moveTo(StepMenu)
		}
		return t.command(cmd)
	}
	// A menu option's label typed first ("Preguntas frecuentes", copied
	// from an earlier chat) is that option: the classifier read
	// "preguntas" as the identity questions. A bare number is not, in
	// digits or words: there is no menu on screen yet.
	if _, number := typedNumber(text, len(menuOptions)); hasLetters(text) && !number {
		if i := t.e.matchOption(text, menuLabels()); i >= 0 {
			t.moveTo(StepMenu)
			return t.start(menuOptions[i].flow, "")
		}
	}
	if bareKeyWord(text) {
		// "clave" alone, first: what to do with it, after the greeting.
		t.event(Event{Name: "welcome"})
		t.say("welcome")
		t.moveTo(StepMenu)
		t.askKeyAction()
		return nil
	}
	if saysProblem(text) {
		// "hola, tengo un porblema" first: the problems, after the
		// greeting.
		t.event(Event{Name: "welcome"})
		t.say("welcome")
		t.moveTo(StepMenu)
		return t.problem()
	}
	g, sure := t.classify()
	if sure && startsFlow(g.Intent) {
		if done, err := t.answerAsked(text); done {
			// "¿cómo la saco y cuánto tarda?": the question, then the flow.
			return err
		}
		return t.intent(g.Intent)
	}
	t.event(Event{Name: "welcome"})
	t.say("welcome")
	if sure && g.Intent != "greeting" && g.Intent != "thanks_bye" {
		// A question asked first ("¿sirve para la afip?") is answered
		// after the greeting, not lost under it; from the menu, as there,
		// and each of two asked at once.
		t.moveTo(StepMenu)
		if done, err := t.answerAsked(text); done {
			return err
		}
		return t.intent(g.Intent)
	}
	r := t.reading()
	if r.cuil != "" {
		return t.cuilAction(r.cuil)
	}
	if r.twoCUILs {
		t.say("cuil.which")
		t.menu()
		return nil
	}
	t.moveTo(StepMenu)
	if done, err := t.answerAsked(text); done {
		// "cuanto tarda y como la recupero?" written first got the
		// welcome and the menu, both questions dropped (a words probe:
		// the classifier unsure of the whole), where at the menu each is
		// answered: from the menu, as there.
		return err
	}
	if t.heardFirst(text) {
		// "I can't get into mi anses", or a long question out of scope
		// after a greeting, written first got the welcome and the menu,
		// the words ignored, where at the menu they are heard (a
		// regression probe): from the menu, as there.
		return t.understand(text)
	}
	if t.dataTooEarly(r, false) {
		return nil
	}
	t.menu()
	return nil
}

// heardFirst reports whether a first message the classifier is not sure
// of still says something the bot answers at the menu: that the person
// cannot get in, the topics leaning to it (whatever the greeting before:
// "buenas tardes necesito ayuda con la clave de mi anses porque no me deja
// ingresar" read as a greeting, unsure), a question of six words or more,
// past its greeting, surely out of scope, or any question that is not
// small talk ("cuanto sale?", "¿dónde queda la oficina?"): greeted and
// nothing more, the person would have to ask again.
func (t *turn) heardFirst(text string) bool {
	gs := t.guess()
	if len(gs) == 0 || stepSaidIn(text) != saidNothing {
		// "wait, let me find my dni", "mañana sigo": a pause, said first,
		// is greeted as small talk is ("I cannot answer that", a
		// regression probe).
		return false
	}
	if g, sure := t.sure(gs); elsewhereAnswer(withoutGreeting(text), g, sure) != "" {
		return true
	}
	switch g := gs[0]; {
	case g.Intent != "none" && cannotGetIn(text):
		return t.leansToLogin(gs)
	case g.Intent == "none" && g.Score >= bodyMin && len(foldedWords(withoutGreeting(t.reading().rest))) >= bodyWords:
		return true
	case g.Intent == "none":
		return asksSomething(t.reading().rest)
	}
	return false
}

// reading is what the message says, read once a turn.
func (t *turn) reading() *reading {
	if t.read == nil {
		t.read = readText(t.text, t.now)
	}
	return t.read
}

// guess returns the classifier's guesses for the message, without the
// data read in it, asking it at most once a turn.
func (t *turn) guess() []Guess {
	if !t.guessed && t.text != "" {
		rest := t.reading().rest
		t.guesses = t.classifyOwnWords(rest)
		// "me olvidé la clave, soy Graciela Noemí Pérez": the name read
		// with the request made it read nothing (none, 0.97; a data
		// probe). Unsure of it, the request is read without the name.
		if plain := withoutSelfNames(rest); plain != rest && !sureInScope(t.guesses, t.e.answerMin) {
			if gs := t.classifyOwnWords(plain); sureInScope(gs, bodyMin) {
				t.guesses = gs
			}
		}
		// "me olvidé la clave. Lucía Soledad Fernández, 27-…": the names
		// after the request made it read nothing (none, 0.6 to 0.7; a
		// people probe). Unsure of it, it is read without them.
		if plain := withoutNamesAfter(rest, t.reading()); plain != rest && !sureInScope(t.guesses, t.e.answerMin) {
			if gs := t.classifyOwnWords(plain); sureInScope(gs, bodyMin) {
				t.guesses = gs
			}
		}
		t.guesses = loginOverCreate(t.guesses, rest)
		// "me pueden ayudar?": help the bot gives, not a person asked for.
		t.guesses = helpNotHandoff(t.guesses, rest)
	}
	t.guessed = true
	return t.guesses
}

// loginOverCreate puts what to check when Mi ANSES does not let the
// person in before creating a key, when the classifier is unsure of
// creating and the words say the person cannot get in: "hola necesito
// ayuda no puedo entrar a mi anses" started creating a key (key.create,
// 0.52; a people probe), where "no puedo entrar a mi anses" gets what to
// check and the recovery offered.
//
// The same when the classifier reads what the key is for in a key needed
// to get in ("hola q tal necesito la clave d anses xq no puedo entrar"
// was answered what it is for: key.uses, 0.59 to 0.81; a people probe),
// unless what it is for is asked ("¿para qué sirve…?").
func loginOverCreate(gs []Guess, text string) []Guess {
	if len(gs) == 0 || !cannotGetIn(text) {
		return gs
	}
	if !(gs[0].Intent == "key.create" && gs[0].Score < bodyMin || gs[0].Intent == "key.uses" && !asksWhatFor(text)) {
		return gs
	}
	out := []Guess{{Intent: checkCreated, Score: gs[0].Score}}
	for _, g := range gs {
		if g.Intent != checkCreated {
			out = append(out, g)
		}
	}
	return out
}

// whatForWords ask, folded, what the key is for.
var whatForWords = []string{"para que", "para q", "sirve", "what for", "what is it for", "what s it for"}

// asksWhatFor reports whether text asks what the key is for.
func asksWhatFor(text string) bool { return saysWords(text, whatForWords) }

// classifyOwnWords classifies rest as the person means it: "tengo una
// pregunta" is intentAsk, and a greeting that outweighs what follows it
// ("hola buenas noches como estás? me olvidé la clave") is read without
// it (see opening.go).
func (t *turn) classifyOwnWords(rest string) []Guess {
	gs := t.openedWords(rest)
	if sureInScope(gs, t.e.answerMin) && gs[0].Intent != "thanks_bye" {
		return gs
	}
	if bs, ok := t.beforeSignOff(rest); ok {
		// "Quisiera saber cómo obtener la clave. Desde ya muchas
		// gracias." read as thanks (closing.go).
		return bs
	}
	return gs
}

// openedWords classifies rest past the greeting it opens with, and the
// phrases the engine reads before the classifier (classifyOwnWords).
func (t *turn) openedWords(rest string) []Guess {
	body := withoutGreeting(rest)
	if oneLetter(body) {
		// "x", a slip of the thumb, was read as "por" and answered
		// surely as why the bot asks for data (a people probe).
		return []Guess{{Intent: "none", Score: 1}}
	}
	if askingToAsk(body) {
		return []Guess{{Intent: intentAsk, Score: 1}}
	}
	if changedByOthers(body) {
		return []Guess{{Intent: keyCompromised, Score: 1}}
	}
	if codeNotArriving(body) {
		return []Guess{{Intent: codeMissing, Score: 1}}
	}
	if fearsForData(body) || asksIfSafe(body) {
		return []Guess{{Intent: botOfficial, Score: 1}}
	}
	if asksHowMuchLeft(body) {
		return []Guess{{Intent: keyDuration, Score: 1}}
	}
	if lostDNIForKey(body) || lacksDNI(body) {
		// What is needed, a DNI in force: "no tengo dni, tengo la
		// precaria" was out of scope, and at a data step a format error
		// (a words probe).
		return []Guess{{Intent: "key.requirements", Score: 1}}
	}
	gs := t.e.clf.Classify(rest)
	if !sureInScope(gs, t.e.answerMin) && onlyIntroduces(rest) {
		// "hola soy rosario de rosario" got «Eso no lo sé responder»
		// (none 0.94; a people probe): a greeting and who the person
		// is, nothing asked.
		return []Guess{{Intent: "greeting", Score: 1}}
	}
	if !sureInScope(gs, t.e.answerMin) && forgotOwnKey(body) {
		// "me olvide la clave xq no entro dsp de cambiar el cel": why,
		// told after it, outweighed the forgotten key (none 0.55 to
		// 0.81; a people probe).
		return []Guess{{Intent: "key.recover", Score: 1}}
	}
	if (insults(body) || saysLostWords(body)) && !sureInScope(gs, t.e.answerMin) {
		// "che boludo me olvidé la clave" asks for its flow; alone, the
		// insult is frustration (insult.go), and "no entendí nada" a
		// person lost (helponly.go).
		return []Guess{{Intent: helpLost, Score: 1}}
	}
	if len(gs) > 0 && (gs[0].Intent == "agent.handoff" || gs[0].Intent == "greeting") && yesPlease(rest) {
		// "sí, por favor" asks for no person, "bueno" greets nobody (a
		// data probe: the person was put in the desk's line).
		return []Guess{{Intent: "none", Score: 1}}
	}
	if len(gs) > 0 && gs[0].Intent == "key.security_tips" && gaveKeyAway(body) {
		// "me pidió la clave, se la di": not "¿se la doy?".
		return []Guess{{Intent: keyCompromised, Score: gs[0].Score}}
	}
	if len(gs) > 0 && t.idle() && deniesFlow(body, gs[0].Intent) {
		// "no quiero cambiar la clave": no flow asked for (an offer
		// reads its own refusals).
		return []Guess{{Intent: "none", Score: 1}}
	}
	if in := flowOfPronoun(body); in != "" && !sureInScope(gs, t.e.answerMin) {
		// "mejor quiero recuperarla" where the CUIL is asked: none.
		return []Guess{{Intent: in, Score: 1}}
	}
	if len(gs) > 0 && (gs[0].Intent == "none" || gs[0].Intent == helpLost) && wantsAKey(body) {
		// "quiero sacar la clave para cobrar la auh": a key wanted,
		// whatever for. "mi nieto me dijo que tengo que hacer la
		// clave" read as a person lost (0.71) got reassured and the
		// menu (a people probe): having to make one is wanting it.
		return []Guess{{Intent: "key.create", Score: 1}}
	}
	if introduces(body) && len(gs) > 0 && gs[0].Intent == "error.data_mismatch" {
		// "hola, mi nombre es Paz": "nombre" read as the data-mismatch
		// question; a greeting.
		return []Guess{{Intent: "greeting", Score: gs[0].Score}}
	}
	if body != rest && len(gs) > 0 && gs[0].Intent != "greeting" && gs[0].Intent != "none" && !sureInScope(gs, t.e.answerMin) {
		// An unsure guess in scope is read past the greeting too:
		// "buenas noches disculpe la hora, soy jubilada y no se usar
		// esto" leaned to a person lost (0.48) and got the welcome alone
		// (a people probe); without its greeting it is sure (0.99).
		if bs := t.e.clf.Classify(body); sureInScope(bs, bodyMin) {
			return bs
		}
	}
	if body == rest || len(gs) > 0 && gs[0].Intent != "greeting" && gs[0].Intent != "none" || introduces(body) {
		return gs
	}
	// Read without the greeting, only what the classifier is very sure
	// of: "necesito ayuda" alone leaned to creating a key.
	bs := t.e.clf.Classify(body)
	if len(bs) > 0 && bs[0].Intent != "greeting" && bs[0].Intent != "none" && bs[0].Score >= bodyMin {
		return bs
	}
	if len(bs) > 0 && bs[0].Intent != "greeting" && bs[0].Intent != "none" && (cannotGetIn(body) || forgotKey(body)) {
		// "hola buenas! no me deja entrar" got the welcome alone, the
		// request lost under its greeting (a words probe): what the
		// engine reads in these words (cannotGetIn) it reads past one.
		return bs
	}
	if len(bs) > 0 && bs[0].Intent == "none" && bs[0].Score >= bodyMin && len(gs) > 0 && gs[0].Intent == "greeting" &&
		len(foldedWords(body)) >= bodyWords {
		// "hola buenas tardes quería saber la fecha de cobro de la AUH
		// de mi nena" got the welcome and the menu, the question lost
		// under its greeting (a words probe): a question out of scope
		// is said to be, as it is without the greeting.
		return bs
	}
	return gs
}

// bodyWords is how many words after a greeting make a question of their
// own rather than small talk ("espero que muy bien").
const bodyWords = 6

// sureInScope reports whether the best of gs is in scope, not a greeting,
// and at least min sure.
func sureInScope(gs []Guess, min float64) bool {
	return len(gs) > 0 && gs[0].Intent != "none" && gs[0].Intent != "greeting" && gs[0].Score >= min
}

// bodyMin is how sure the classifier must be of a message read without
// its greeting (see classifyOwnWords).
const bodyMin = 0.8

func yesNo() []i18n.Message { return []i18n.Message{i18n.M("option.yes"), i18n.M("option.no")} }

func rateOptions() []i18n.Message {
	return []i18n.Message{i18n.M("option.useful"), i18n.M("option.not_useful")}
}

// event records ev with the turn's chat, channel and time.
func (t *turn) event(ev Event) {
	ev.Chat, ev.Channel, ev.At = t.in.Chat, t.in.Channel, t.now
	if ev.Flow == FlowNone {
		ev.Flow = t.st.Flow
	}
	t.e.rec.Record(t.ctx, ev)
}

// oneLetter reports whether text is one letter and nothing else: it asks
// nothing.
func oneLetter(text string) bool {
	ws := foldedWords(text)
	if len(ws) != 1 || utf8.RuneCountInString(ws[0]) != 1 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(ws[0])
	return unicode.IsLetter(r)
}
