package dialog

import (
	"slices"
	"strings"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// Intents that start a flow rather than answer (CONTRACT §6).
var flowIntents = map[string]Flow{
	"key.create":    FlowCreate,
	"key.recover":   FlowRecover,
	"key.change":    FlowChange,
	"agent.handoff": FlowHandoff,
}

// codeMissing is the intent of a code that did not arrive.
const codeMissing = "contact.code_missing"

// contactChange is the intent of changing one's contacts, answered and
// then offered.
const contactChange = "contact.change"

// keyCompromised is the intent of a key someone else knows or used:
// answered (recover it), then its recovery offered.
const keyCompromised = "key.compromised"

// keyUses is the intent of what the key is for.
const keyUses = "key.uses"

// helpLost is the intent of someone lost ("no entiendo nada", "soy
// jubilada y no sé nada de computadoras"): reassured, then shown where
// they are again; never asked whether that helped.
const helpLost = "help.lost"

// checkCreated is the intent of a key created that does not let the
// person in ("no puedo entrar a mi anses"): answered, then its recovery
// offered, as a person who forgot or mistypes it needs.
const checkCreated = "key.check_created"

// keyActions are what can be done with a key, offered to a bare "clave".
var keyActions = []string{"key.create", "key.recover", "key.change"}

// keyNouns name the key, folded, with the articles and possessives around
// them dropped (bareKeyWord).
var keyNouns = set("clave", "contrasena", "clave seguridad social", "clave anses", "clave social", "key",
	"password", "clave key")

// keyNounSpelled are the key's nouns as typed on a phone (the FAQ's
// spelling table has them too): "clabe" alone got the classifier's guess.
var keyNounSpelled = map[string]string{
	"clabe": "clave", "klave": "clave", "calve": "clave", "clae": "clave", "cave": "clave",
	"contrasenia": "contrasena", "contrasenya": "contrasena", "contracena": "contrasena",
}

// keyNounFillers are the words around a bare key noun that ask nothing.
var keyNounFillers = set("la", "mi", "una", "el", "de", "del", "the", "my", "a")

// bareKeyWord reports whether text only names the key ("clave", "la
// clave?", "mi contraseña"): it says nothing of what to do with it, and
// the classifier, about 0.53 sure, answered the key's rules (a probe).
// With a CUIL ("2031… la clave") it is the suggestions', which keep the
// CUIL for the flow chosen.
func bareKeyWord(text string) bool {
	if strings.ContainsFunc(text, isDigit) {
		return false
	}
	var ws []string
	for _, w := range foldedWords(text) {
		if r, ok := keyNounSpelled[w]; ok {
			w = r
		}
		if !keyNounFillers[w] {
			ws = append(ws, w)
		}
	}
	return len(ws) > 0 && keyNouns[strings.Join(ws, " ")]
}

// askKeyAction asks what the person wants to do with their key, from
// wherever they are not in the middle of a flow.
func (t *turn) askKeyAction() {
	t.st.Unknown = 0
	t.st.Suggest = slices.Clone(keyActions)
	t.keepPlace()
	t.enter(StepSuggest)
}

// keyWord answers a bare name of the key: what to do with it, or, in
// the middle of a flow on a key, the step's question again ("la clave"
// at the CUIL got suggestions, whether it expires among them, and "mi
// clave" the offer to leave for its recovery; a words probe).
func (t *turn) keyWord() {
	if t.busy() {
		t.prompt()
		return
	}
	t.askKeyAction()
}

// cannotGetInPhrases say, folded, that the person cannot log in: the
// meaning of key.check_created that recovering the key answers. Its
// other meaning, "¿cómo sé si se creó mi clave?", was offered recovery
// too (a regression probe), which replaces the key just made.
var cannotGetInPhrases = []string{"no puedo entrar", "no me deja entrar", "no puedo ingresar", "no me deja ingresar",
	"no puedo acceder", "no me deja acceder", "no entro", "no logro entrar", "no logro ingresar", "no me deja loguear",
	"no puedo loguear", "no puedo iniciar sesion", "no me toma la clave", "no me anda la clave", "no funciona la clave",
	"no me funciona la clave", "clave incorrecta", "no consigo entrar", "no consigo ingresar", "nao consigo entrar",
	"nao consigo acessar", "cant log", "can't log", "cannot log", "cant get in", "can't get in",
	"cannot get in", "cant access", "can't access", "cannot access", "won't let me in", "wont let me in"}

// cannotGetIn reports whether text says the person cannot log in.
func cannotGetIn(text string) bool { return containsAny(fold(text), cannotGetInPhrases) }

// keyNames are the key's names, folded, as whole words.
var keyNames = []string{"clave", "clabe", "contrasena", "contra", "password", "key"}

// forgotKey reports whether text says the person forgot the key ("me
// olvidé la clave"), not something else ("no me acuerdo qué mail puse").
func forgotKey(text string) bool { return says(text, forgotPhrases) && saysWords(text, keyNames) }

// forgotOwnKeyPhrases say, as whole words folded, that the person
// forgot their own key.
var forgotOwnKeyPhrases = []string{"me olvide la clave", "me olvide mi clave", "olvide la clave", "olvide mi clave",
	"me olvide la contrasena", "me olvide mi contrasena", "se me olvido la clave", "se me olvido mi clave",
	"no me acuerdo la clave", "no me acuerdo mi clave", "no me acuerdo de la clave", "no me acuerdo de mi clave",
	"no recuerdo la clave", "no recuerdo mi clave", "perdi la clave", "perdi mi clave", "i forgot my password"}

// otherKeyWords name, folded, another key than this one, after it ("la
// clave fiscal", "la clave del banco") or anywhere in the message.
var (
	otherKeyAfter = set("fiscal", "de", "del", "bancaria", "token", "afip", "arca")
	otherKeyWords = []string{"afip", "arca", "fiscal", "banco", "cajero", "homebanking", "home banking"}
)

// forgotOwnKey reports whether text says in so many words that the
// person forgot their key, whatever else it tells; not another key ("me
// olvidé la clave fiscal de afip", "…la clave del cajero").
func forgotOwnKey(text string) bool {
	if saysWords(text, otherKeyWords) {
		return false
	}
	f := " " + foldedPhrase(text) + " "
	for _, p := range forgotOwnKeyPhrases {
		i := strings.Index(f, " "+p+" ")
		if i < 0 {
			continue
		}
		next := strings.Fields(f[i+len(p)+1:])
		if len(next) == 0 || !otherKeyAfter[next[0]] {
			return true
		}
	}
	return false
}

// leansToLogin reports whether a key that does not let the person in, or
// its recovery, is among the topics worth suggesting for gs.
func (t *turn) leansToLogin(gs []Guess) bool {
	ss := t.suggestions(gs)
	return slices.Contains(ss, checkCreated) || slices.Contains(ss, "key.recover")
}

// faqTopics are the informative intents a person can pick from a list.
var faqTopics = []string{
	"key.what", "key.uses", "key.requirements", "key.password_rules",
	"key.not_afip", "key.check_created", "key.security_tips", "cuil.find", "hours",
}

func startsFlow(intent string) bool { _, ok := flowIntents[intent]; return ok }

// classify returns the classifier's best in-scope guess when it is sure
// enough to answer.
func (t *turn) classify() (Guess, bool) { return t.sure(t.guess()) }

// sure returns the best guess when it is in scope and sure enough.
func (t *turn) sure(gs []Guess) (Guess, bool) {
	if len(gs) == 0 || gs[0].Intent == "none" || gs[0].Score < t.e.answerMin {
		return Guess{}, false
	}
	return gs[0], true
}

// understand treats text as the person's own words: a CUIL typed alone is
// asked what it is for; otherwise the bot answers, offers the closest
// topics, or says what it can do; then the person's pending question is
// asked again.
func (t *turn) understand(text string) error {
	r := t.reading()
	if r.twoCUILs && !t.busy() {
		t.say("cuil.which")
		t.prompt()
		return nil
	}
	if r.onlyCUIL && !t.busy() {
		return t.cuilAction(r.cuil)
	}
	if r.cuil == "" && r.cuilErr != nil && !r.sentence && !r.question && saysCUIL(text) {
		// "mi cuil es 2735218904", a digit short: what is wrong with it
		// (found by a probe: the classifier answered what the key is).
		t.say(cuilBad(r.cuilErr))
		t.prompt()
		return nil
	}
	if r.cuil == "" && !r.question && t.contactTooEarly(text, r) {
		return nil
	}
	// Data with only their labels ("mi dni es …") leave the classifier
	// words that ask nothing ("mi es"); in a sentence, it reads first.
	if r.cuil == "" && !r.question && !r.sentence && t.dataTooEarly(r, false) {
		return nil
	}
	if !t.def().secret && bareKeyWord(text) {
		t.keyWord()
		return nil
	}
	if !t.def().secret && saysProblem(text) {
		return t.problem()
	}
	if done, err := t.elsewhere(text); done {
		return err
	}
	if done, err := t.answerAsked(text); done {
		return err
	}
	gs := t.guess()
	switch {
	case len(gs) == 0 || gs[0].Intent == "none" && !t.closeCalls(gs):
	case gs[0].Intent != "none" && gs[0].Score >= t.e.answerMin:
		t.st.Unknown = 0
		return t.intent(gs[0].Intent)
	case gs[0].Intent != "none" && cannotGetIn(text) && t.leansToLogin(gs):
		// "I can't get into mi anses", the classifier unsure between
		// the system, the key created and its recovery, got "Did you
		// mean…?" where "no puedo entrar a mi anses" gets what to check
		// and the recovery offered (a words probe): the words say it.
		t.st.Unknown = 0
		return t.intent(checkCreated)
	case !t.def().secret && len(t.suggestions(gs)) > 0 && (gs[0].Score >= t.e.suggest || t.closeCalls(gs)):
		// Out of scope first but with topics close to it ("quiero
		// cambiar mi celular"): the topics, never "no lo sé responder"
		// followed by "¿Te sirvió esta respuesta?".
		t.st.Unknown = 0
		t.offerSuggestions(gs)
		return nil
	}
	if r.cuil != "" && !t.busy() {
		return t.cuilAction(r.cuil)
	}
	if t.dataTooEarly(r, true) {
		return nil
	}
	if stillStuck(text) {
		return t.stuck()
	}
	return t.notUnderstood()
}

// questionOr is how a step that waits for a value reads text that is not
// one: the classifier is asked (once), and a question it is sure of is
// answered. Otherwise the value the text carries is taken, when take
// says it does; failing that the step explains what it expects (bad) and
// asks again.
func (t *turn) questionOr(text string, take func() (bool, error), bad i18n.Key, kv ...any) error {
	var gs []Guess
	if !t.def().secret && saysProblem(text) {
		return t.problem()
	}
	if !t.def().secret && bareKeyWord(text) {
		t.keyWord()
		return nil
	}
	if done, err := t.elsewhere(text); done {
		return err
	}
	if t.saysMistake(text) {
		t.say("data.oops")
		t.prompt()
		return nil
	}
	if hasLetters(text) {
		if done, err := t.answerAsked(text); done {
			return err
		}
		if bareQuestion(text) && t.ofTheKeyAssumed() {
			if in, ok := t.askedOfStep(text); ok {
				// "¿qué es?" where the CUIL is asked is the CUIL's, not
				// the key's (key.what 0.9; a words probe).
				t.st.Unknown = 0
				return t.intent(in)
			}
		}
		gs = t.guess()
		if g, ok := t.sure(gs); ok {
			t.st.Unknown = 0
			return t.intent(g.Intent)
		}
	}
	if take != nil {
		if ok, err := take(); ok || err != nil {
			return err
		}
	}
	// Not at a key step: the next message, the key perhaps, would come
	// to the suggestions, which are no secret step (a regression probe:
	// a key typed after them was taken and not hidden).
	if t.closeCalls(gs) && !t.def().secret {
		t.offerSuggestions(gs)
		return nil
	}
	if in, ok := t.askedOfStep(text); ok {
		t.st.Unknown = 0
		return t.intent(in)
	}
	if t.asksAtDataStep(text) {
		// A question the FAQ does not know ("¿qué pasa si me equivoco?")
		// got "No pude leer esa fecha" (found by a probe): it is said not
		// to be known, and where help is, before the step's question.
		t.say("question.unknown")
		t.prompt()
		return nil
	}
	t.say(bad, kv...)
	t.prompt()
	return nil
}

// askedOfStep reads a question at a data step that names nothing as asked
// of the step's datum, and returns its intent when the classifier is sure
// of it so: "¿es el de mi dni?" where the CUIL is asked got "Esa pregunta
// no la sé responder" (none 0.79; a words probe), where "¿el cuil es el
// de mi dni?" is where the CUIL is found (0.99).
func (t *turn) askedOfStep(text string) (string, bool) {
	subject := t.stepDef().subject
	if subject == "" || !t.asksAtDataStep(text) || saysWords(text, []string{subject}) || surelyOutOfScope(t.guess()) {
		return "", false
	}
	g, sure := t.sure(t.classifyOwnWords(text + " " + subject))
	return g.Intent, sure && !startsFlow(g.Intent) && g.Intent != "greeting" && g.Intent != "thanks_bye"
}

// outOfScopeSure is the score of "none" at which a question is out of
// scope whatever step it is asked at: "¿cuánto sale?" (none 0.99), read
// with the CUIL step's subject, was where the CUIL is found (the
// regression probe), where "¿es el de mi dni?" (none 0.79) is.
const outOfScopeSure = 0.95

func surelyOutOfScope(gs []Guess) bool {
	return len(gs) > 0 && gs[0].Intent == "none" && gs[0].Score >= outOfScopeSure
}

// bareOpeners open a question of what a datum is, which, where or how
// it is had.
var bareOpeners = set("que", "q", "k", "cual", "donde", "dnd", "como")

// bareQuestion reports whether text is a question of three words or
// fewer that opens with what, which, where or how and names no subject
// ("¿qué es?", "¿cuál es?", "¿cómo lo saco?").
//
// Past the fillers before it: "y donde lo encuentro" where the CUIL is
// asked, after "¿qué es el cuil?", got «El CUIL tiene 11 números.
// Revisalo…», as if one had been mistyped (a people probe).
func bareQuestion(text string) bool {
	ws := foldedWords(text)
	for len(ws) > 1 && questionFillers[ws[0]] {
		ws = ws[1:]
	}
	return len(ws) > 0 && len(ws) <= 3 && bareOpeners[ws[0]] && !saysWords(text, subjects)
}

// ofTheKeyAssumed reports whether the classifier read the message as a
// whole as unsure, or as of the key it assumed ("¿qué es?" is what the
// key is; "¿cómo lo saco?" making one): a bare question at a data step
// is the datum's. "¿cuánto tarda?" keeps its own reading.
func (t *turn) ofTheKeyAssumed() bool {
	g, sure := t.sure(t.guess())
	return !sure || g.Intent == "key.what" || startsFlow(g.Intent)
}

// questionWords start a question, folded.
var questionWords = set("que", "q", "k", "como", "cuanto", "cuanta", "cuantos", "cuando", "donde", "por", "para", "porque",
	"es", "hay", "puedo", "tengo", "se", "sirve", "pasa", "cual", "quien", "necesito", "debo", "hace", "what", "how",
	"why", "when", "where", "is", "do", "can", "which", "who")

// askingVerbs start a question as its first word does ("¿tiene algún
// costo?", "does it cost…?"), folded.
var askingVerbs = set("tiene", "cuesta", "sale", "vale", "cobran", "does", "are", "will", "should")

// questionFillers come before a question's first word and ask nothing
// ("esto tiene algún costo?", "che, ¿cuánto sale?", "una pregunta, …"),
// folded.
var questionFillers = set("esto", "eso", "y", "che", "pero", "ah", "una", "pregunta", "consulta", "disculpa",
	"disculpe", "perdon", "oye", "hey", "and", "but", "so", "this", "it")

// asksAtDataStep reports whether text, at a step waiting for a datum, is
// a question: a question mark, no digit, and a question's first word,
// past the fillers before it ("esto tiene algún costo?" got the names'
// hint; a regression probe). A value typed with a question mark
// ("¿Lucía Soledad?", "¿el de gmail?") is not: it gets the step's own
// hint (a regression probe), and so does anything typed at an option
// step.
//
// A bare question needs no mark: "q es eso" where the número de trámite
// is asked got what the key is (a words probe).
func (t *turn) asksAtDataStep(text string) bool {
	if !t.typed() || !strings.ContainsAny(text, "?¿") && !bareQuestion(text) ||
		strings.ContainsFunc(text, isDigit) {
		return false
	}
	ws := foldedWords(text)
	for len(ws) > 1 && questionFillers[ws[0]] {
		ws = ws[1:]
	}
	return len(ws) > 0 && (questionWords[ws[0]] || askingVerbs[ws[0]])
}

// closeCalls reports whether in-scope intents scored near the top, worth
// a "¿Quisiste decir…?".
func (t *turn) closeCalls(gs []Guess) bool {
	return len(t.suggestions(gs)) >= 2
}

func (t *turn) suggestions(gs []Guess) []string {
	var out []string
	for _, g := range gs {
		if g.Intent != "none" && g.Intent != "greeting" && g.Intent != "thanks_bye" && g.Score >= t.e.suggest {
			out = append(out, g.Intent)
		}
		if len(out) == 3 {
			break
		}
	}
	return out
}

// intent acts on an understood message. A flow starts with the CUIL the
// message carries, or the one held for the person to say what it is for
// (or is offered, when another flow is under way); an
// answer given at rest is rated, or followed by what to do with the CUIL.
func (t *turn) intent(intent string) error {
	t.event(Event{Name: "faq", Intent: intent})
	cuil := t.reading().cuil
	if cuil == "" && t.st.Step == StepCUILAction {
		// "recuperar" where the bot asked what the CUIL it holds is for:
		// the flow starts on that CUIL, as a tap on the option would.
		cuil = t.st.CUIL
	}
	if f, ok := flowIntents[intent]; ok {
		if t.busy() && f == t.st.Flow {
			t.noteRelative(f)
			t.prompt() // already at it
			return nil
		}
		if t.invested() {
			t.offerFlow(f, cuil, i18n.M("offer.switch", "what", i18n.M(t.flowOf(f).topic)))
			return nil
		}
		t.carryOver()
		t.noteRelative(f)
		if err := t.start(f, cuil); err != nil || cuil != "" || t.st.Step != StepCUIL {
			return err
		}
		if r := t.reading(); r.cuilErr != nil && saysCUIL(t.in.Text) {
			// "me olvidé la clave, mi cuil es 27-35218904-5": the CUIL is
			// asked, saying what is wrong with the one typed (it was
			// dropped unsaid; found by a probe).
			t.say(cuilBad(r.cuilErr))
		}
		return nil
	}
	switch intent {
	case intentAsk:
		if t.idle() {
			t.enter(StepFAQ)
			return nil
		}
		t.say("faq.ask_away")
	case "greeting":
		if t.idle() {
			t.say("welcome")
			t.menu()
			return nil
		}
		t.say("greeting.again")
	case "thanks_bye":
		t.thanksOrBye()
		return nil
	case contactChange:
		if t.st.Step == StepMenu && t.st.Offered {
			// "Quiero agregar mi mail" right after a new key: the
			// contacts open now, with the identity just proved; the
			// answer on how it is done said "te pedimos tu CUIL y tu
			// clave", false at this moment (found by a probe).
			return t.contactFlow()
		}
		fallthrough
	default:
		t.answer(intent)
		// The CUIL typed with a request for the contacts goes with its
		// offer: «¿Querés crear, recuperar o cambiar la clave de ese
		// CUIL?» has no contacts among its options (a data probe).
		if t.idle() && cuil != "" && intent != contactChange {
			return t.cuilAction(cuil)
		}
		if t.idle() && intent == contactChange && (cannotGetIn(t.in.Text) || forgotKey(t.in.Text)) {
			// "Cambié de celular y no puedo entrar": the contacts' change
			// asks first for the key the person cannot give (a words
			// probe); recovering it is what gets them in.
			t.offerFlow(FlowRecover, cuil, i18n.M("faq.offer_recover_login"))
			return nil
		}
		if t.idle() && intent == contactChange {
			// "Quiero agregar mi mail": how it is done, then doing it.
			t.offerFlow(FlowContact, cuil, i18n.M("contact.offer_now"))
			return nil
		}
		if t.idle() && intent == checkCreated && cannotGetIn(t.in.Text) {
			// "No puedo entrar a mi anses" got what to check and "¿Te
			// sirvió?" (a probe): most who cannot get in forgot or
			// mistype the key, and recovering it is what gets them in.
			t.offerFlow(FlowRecover, "", i18n.M("faq.offer_recover_login"))
			return nil
		}
		if t.idle() && intent == keyUses && asksKeyForBenefit(t.in.Text) {
			// "¿Necesito la clave para la AUH?": see needkey.go.
			t.offerFlow(FlowCreate, "", i18n.M("faq.offer_create"))
			return nil
		}
		if t.idle() && intent == keyCompromised {
			// "Me hackearon la cuenta": recovering it is what to do, so
			// it is offered at once.
			t.offerFlow(FlowRecover, "", i18n.M("faq.offer_recover"))
			return nil
		}
		if topic, ok := checkedInWords[intent]; ok && t.idle() {
			// "me dice que el cuil no existe", "me bloquearon la clave" got
			// the answer and «¿Te sirvió?», where the same topic tapped in
			// «Tengo un problema» offers to check the CUIL (a people
			// probe): the registry can tell more, and the words get what
			// the tap gets.
			t.offerCheck(topic)
			return nil
		}
		if t.idle() && intent != helpLost {
			t.st.Intent = intent
			t.keepPlace()
			t.enter(StepRate)
			return nil
		}
	}
	t.prompt()
	return nil
}

// checkedInWords are the troubleshooting topics, by intent, whose check
// in the registry is offered when asked in words as when tapped: whether
// the CUIL is valid and registered, locked and until when, has a key. A
// mismatch or failed questions asked in words keep the rating, where an
// objection is heard ("pero yo lo escribí bien": see
// TestObjectionAfterTheMismatchAnswer).
var checkedInWords = map[string]string{
	"error.cuil_unknown": "cuil_unknown", "error.blocked": "blocked", checkCreated: "check_created",
}

// answer says the FAQ's answer for intent, quoting the policy in force
// (registry.Policy.MessageArgs): "¿cuántos intentos tengo?" got "por un
// tiempo".
func (t *turn) answer(intent string) {
	if intent == "hours" && t.e.hasDesk && t.e.deskHours.Key != "" {
		// The desk's own hours, not "en su horario" (found by a probe).
		t.say("faq.hours_desk", "desk_hours", t.e.deskHours)
		return
	}
	if intent == checkCreated && cannotGetIn(t.in.Text) {
		// "No puedo entrar a mi anses" got "Si al terminar podés iniciar
		// sesión…, la clave quedó creada", the answer to "¿se creó mi
		// clave?" (a regression probe): what to check when it does not
		// let them in.
		t.say("faq.cannot_get_in")
		return
	}
	if intent == helpLost && t.e.hasDesk {
		// A person of the desk, where there is one; an office otherwise.
		t.say("faq.help_lost_desk")
		return
	}
	p := t.e.reg.Policy()
	args := p.MessageArgs()
	if intent == codeMissing {
		// The rule of the codes at this step, quoted as in force.
		_, r := p.CodeRule(registry.CodeVerify)
		args = append(args, "contact_codes", r.Max, "contact_code_minutes", int(r.For.Minutes()))
	}
	t.say(t.answerAt(intent), args...)
}

// answerAt is the key of intent's answer at the chat's step.
func (t *turn) answerAt(intent string) i18n.Key {
	if k, ok := t.stepDef().answers[intent]; ok {
		return k
	}
	return i18n.Key("faq.answer." + intent)
}

// busy reports whether the person is in the middle of a flow on a CUIL.
func (t *turn) busy() bool {
	return t.flowDef().onCUIL() && !t.idle()
}

// invested reports whether the person has given something to the flow
// under way (its CUIL, a datum): another flow asked for is then offered,
// since it leaves that behind. At the flow's first step, nothing given, it
// starts at once, as CONTRACT §6 says a flow intent does ("1", then "me
// olvidé la clave" where the CUIL is asked, asked first whether to leave
// create: a contract probe).
func (t *turn) invested() bool {
	return t.busy() && (t.st.CUIL != "" || len(t.st.Proved) > 0 || len(t.st.History) > 0)
}

// notUnderstood says what the bot can help with; the second time in a row it
// offers a person.
func (t *turn) notUnderstood() error {
	t.st.Unknown++
	t.event(Event{Name: "not_understood"})
	if t.st.Unknown >= 2 && t.e.hasDesk {
		t.st.Unknown = 0
		t.offerHandoff("handoff", "offer.handoff_not_understood")
		return nil
	}
	t.say("faq.answer.none")
	t.prompt()
	return nil
}

func (t *turn) offerSuggestions(gs []Guess) {
	if r := t.reading(); r.cuil != "" && !t.busy() {
		// "27352189044 clave": the CUIL is kept for the topic chosen,
		// with the data typed along (it was lost; a probe).
		carry, _ := carryOf(r, nil)
		t.st.Carry = strings.TrimSpace(string(r.cuil) + " " + carry)
	}
	t.st.Suggest = t.suggestions(gs)
	t.keepPlace()
	t.enter(StepSuggest)
}

func (t *turn) suggestOptions() []i18n.Message {
	var opts []i18n.Message
	for _, in := range t.st.Suggest {
		opts = append(opts, i18n.M(i18n.Key("faq.topic."+in)))
	}
	return append(opts, i18n.M("option.none_of_these"))
}

func (t *turn) askSuggest() {
	if slices.Equal(t.st.Suggest, keyActions) {
		t.asking(i18n.M("key.what_to_do"), t.suggestOptions()...)
		return
	}
	t.asking(i18n.M("suggest.ask"), t.suggestOptions()...)
}

func (t *turn) onSuggest(text string) error {
	opts := t.suggestOptions()
	i := t.e.matchOption(text, opts)
	switch {
	case i < 0 && t.valueForResumed(text):
		// None of the topics, but the value the person was asked for:
		// read where they were ("21/07/1990" after a question at the
		// birth date was answered "No lo sé responder" and asked again;
		// found by a probe).
		t.st.Suggest = nil
		t.resumeQuiet()
		return t.step(text)
	case i < 0 && !rejectsSuggestions(text):
		t.st.Suggest = nil
		t.resumeQuiet()
		return t.understand(text)
	case i < 0 || i == len(opts)-1:
		// "No", "tampoco", "ninguna" are «Ninguna de estas»: read where
		// the person was, they counted as a wrong key, or closed the
		// contacts (a regression probe).
		// At "¿Qué querés hacer con tu clave?" nothing was misread: no
		// "Probá escribirlo de otra forma" (a regression probe).
		none := i18n.Key("suggest.none")
		if slices.Equal(t.st.Suggest, keyActions) {
			none = "offer.declined"
		}
		t.st.Suggest = nil
		t.say(none)
		t.resume()
		return nil
	}
	intent := t.st.Suggest[i]
	t.st.Suggest = nil
	t.resumeQuiet()
	if c := readText(t.st.Carry, t.now); c.cuil != "" {
		// The CUIL typed with the message that got the topics.
		t.read, t.carriedDone, t.st.Carry = c, false, ""
	}
	return t.intent(intent)
}

// valueForResumed reports whether text, typed at the suggestions, reads as
// the value of the step they interrupted: data with digits or an address,
// names at a names step, an option of the step's own. Anything else read
// there ("nada que ver" at the CUIL) got a format error for a CUIL never
// typed (a regression probe).
func (t *turn) valueForResumed(text string) bool {
	if t.st.Resume == nil {
		return false
	}
	switch st := t.st; st.Resume.Step {
	case StepFirstNames, StepLastNames:
		return !rejectsSuggestions(text) && bareYesOrNo(text) < 0
	case StepFactor, StepCode:
		// The code step reads what people say there ("no tengo más ese
		// mail", "no me llegó") better than the classifier (a probe).
		return !rejectsSuggestions(text)
	case StepQuestion:
		return st.QIndex < len(st.Questions) && t.e.matchAnswer(text, t.questionOptions(st.Questions[st.QIndex])) >= 0
	case StepContacts, StepMenu:
		return strings.ContainsAny(text, "0123456789") && len(strings.Fields(text)) == 1
	}
	return strings.ContainsAny(text, "0123456789@")
}

// rejections say, folded and with letters not repeated, that none of the
// topics is it.
var rejections = set("no", "tampoco", "ninguna", "ninguno", "ningun", "nada", "nop", "nope", "none", "neither", "nah",
	"de", "esas", "estos", "estas", "of", "these", "those")

// rejectsSuggestions reports whether text says none of the suggestions is
// it ("noo", "tampoco", "ninguna de esas").
func rejectsSuggestions(text string) bool {
	ws := foldedWords(text)
	if len(ws) == 0 {
		return false
	}
	for _, w := range ws {
		if !rejections[squeeze(w)] {
			return false
		}
	}
	return true
}

func faqOptions() []i18n.Message {
	opts := make([]i18n.Message, 0, len(faqTopics)+1)
	for _, in := range faqTopics {
		opts = append(opts, i18n.M(i18n.Key("faq.topic."+in)))
	}
	return append(opts, i18n.M("option.back_to_menu"))
}

// askFAQ invites a question and lists the usual topics.
func (t *turn) askFAQ() { t.asking(i18n.M("faq.ask"), faqOptions()...) }

func (t *turn) onFAQ(text string) error {
	switch i := t.e.matchOption(text, faqOptions()); {
	case i == len(faqTopics):
		t.menu()
		return nil
	case i >= 0:
		return t.intent(faqTopics[i])
	}
	return t.understand(text)
}

func (t *turn) askRate() { t.asking(i18n.M("rate.ask"), rateOptions()...) }

// onRate counts whether an answer helped. Anything else is read at the
// step the answer was given at.
func (t *turn) onRate(text string) error {
	i := t.e.matchOption(text, rateOptions())
	if i < 0 {
		// "¿Te sirvió?" answered "no" or "sí" (found by a probe: "no" got
		// a goodbye).
		switch bareYesOrNo(text) {
		case 1:
			i = 0
		case 0:
			i = 1
		}
	}
	if i < 0 && t.st.Intent == "error.data_mismatch" && objects(text) {
		// "pero yo lo escribí bien" after what usually differs got «¿Quisiste
		// decir…?» (a people probe): heard as at a data step.
		t.st.Intent = ""
		t.say("data.objection")
		if t.e.hasDesk {
			t.say("hint.handoff")
		}
		t.resume()
		return nil
	}
	if in, ok := t.followUp(text, t.st.Intent); i < 0 && ok {
		t.st.Intent, t.st.Unknown = "", 0
		t.resumeQuiet()
		return t.intent(in)
	}
	if i < 0 {
		t.st.Intent = ""
		t.resumeQuiet()
		return t.step(text)
	}
	t.event(Event{Name: "faq_rating", Intent: t.st.Intent, Value: 1 - i})
	t.st.Intent = ""
	if i == 0 {
		t.say("rate.thanks")
	} else {
		t.say("rate.sorry")
	}
	t.resume()
	return nil
}
