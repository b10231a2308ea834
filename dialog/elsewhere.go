package dialog

import "github.com/clavebot/clavebot/i18n"

// Elsewhere: what people ask that the bot does not do, but that the
// knowledge, or the plain truth, says where to ask. Still out of scope
// (no "faq" event, nothing rated), each gets its own answer instead of
// "Eso no lo sé responder" or a step's format hint, and the pending
// question again.

// offices name, folded, where ANSES attends in person.
var offices = []string{"oficina", "oficinas", "sucursal", "udai", "delegacion", "office", "offices"}

// whereOrWhen ask, folded, where a place is or when it opens.
var whereOrWhen = []string{"donde", "queda", "quedan", "direccion", "horario", "horarios", "hora", "abre", "abren",
	"cierra", "cierran", "atiende", "atienden", "sabado", "sabados", "cerca", "cercana", "where", "address", "open",
	"opens", "close", "closes", "hours", "time", "nearest"}

// opensOrWhere ask, folded, when ANSES, named, opens, or where it is.
var opensOrWhere = []string{"abre", "abren", "cierra", "cierran", "donde queda", "donde esta", "open", "opens",
	"closes", "where is"}

// asksOffice reports whether text asks where an ANSES office is or when
// it attends ("¿dónde queda la oficina?", "¿a qué hora abre anses?").
func asksOffice(text string) bool {
	return saysWords(text, offices) && saysWords(text, whereOrWhen) ||
		saysWords(text, []string{"anses"}) && saysWords(text, opensOrWhere)
}

// miANSESWords name, folded, what is done in Mi ANSES with the key
// (the knowledge's list of its uses): payment dates, turnos,
// contributions, the state of a procedure. "Constancia" alone is a given
// name; what one is paid, or a certificate of another office, is no date
// nor paper of Mi ANSES.
var miANSESWords = []string{"cuando cobro", "cuando cobra", "cuando cobran", "cuando cobramos", "cuando me pagan",
	"cuando pagan", "que dia cobro", "que dia cobra", "que dia cobran", "que dia pagan", "fecha de cobro",
	"fechas de cobro", "fecha de pago", "fechas de pago", "dia de cobro", "turno", "turnos", "aportes",
	"historia laboral", "certificado negativo", "certificacion negativa", "estado de mi tramite", "estado del tramite",
	"expediente", "get paid", "payment date", "payment dates", "appointment", "contributions", "work history"}

// otherOffices name, folded, offices that are not ANSES's: their turnos
// and addresses are not in Mi ANSES ("turno para el pasaporte", "la
// oficina de pami").
var otherOffices = []string{"pami", "registro", "renaper", "pasaporte", "passport", "medico", "hospital", "doctor",
	"banco", "afip", "arca", "municipalidad", "municipio", "migraciones", "policia"}

// otherPapers are papers another office issues: "turno para el dni" is
// the Registro Civil's, and so is "an appointment for my ID card" (told
// its appointments were in Mi ANSES: a people probe in English).
var otherPapers = []string{"dni", "documento", "id card", "id", "identity card", "identity document"}

// papersErrands name, folded, asking for a turno or a renewal: of the DNI
// or the passport (otherPapers, "pasaporte"), an errand of the Registro
// Civil.
var papersErrands = []string{"turno", "turnos", "renovar", "renovacion", "renuevo", "appointment", "book", "renew",
	"new"}

// dniErrand reports whether text asks for a turno or a renewal of the
// DNI or the passport ("quiero sacar turno para el dni").
func dniErrand(text string) bool {
	return saysWords(text, papersErrands) && (saysWords(text, otherPapers) || saysWords(text, []string{"pasaporte",
		"passport"}))
}

// youWords ask, folded, who the bot is ("¿sos…?", "are you…?").
var youWords = []string{"sos", "eres", "are you", "r u", "hablo con", "estoy hablando con", "am i talking to",
	"am i chatting with"}

// thisWords ask what the chat is ("¿esto es un bot?"): only of a machine,
// "mi mamá es una persona mayor" asks nothing of the bot.
var thisWords = []string{"esto es", "es un", "es una", "is this", "is it"}

// botWords name, folded, a machine (personWords, a person).
var botWords = []string{"robot", "bot", "chatbot", "maquina", "ia", "inteligencia artificial", "ai", "machine"}

// wantsSomeone are, folded, the words of asking for a person rather than
// asking what the bot is ("sos un robot? quiero una persona", "¿me
// atiende un humano?").
var wantsSomeone = []string{"quiero", "queria", "pasame", "pasenme", "comunicame", "necesito", "prefiero",
	"atiende", "atienda", "hablar", "want", "talk", "speak", "transfer", "connect"}

// asksWhetherABot reports whether text asks if the bot is a machine or a
// person, in a few words, asking for no one.
func asksWhetherABot(text string) bool {
	if len(foldedWords(text)) > 10 || saysWords(text, wantsSomeone) {
		return false
	}
	bot := saysWords(text, botWords)
	return saysWords(text, youWords) && (bot || saysWords(text, personWords)) || saysWords(text, thisWords) && bot
}

// canDoWords ask, folded, what the bot does ("¿qué podés hacer?").
var canDoWords = []string{"que podes hacer", "que puedes hacer", "que sabes hacer", "que podes hacer por mi",
	"en que me podes ayudar", "en que me puedes ayudar", "en que me pueden ayudar", "en que podes ayudarme",
	"what can you do", "what do you do", "how can you help", "what can you help"}

// asksWhatTheBotDoes reports whether text, in a few words, asks what the
// bot does: "que podes hacer?" got "Eso no lo sé responder", as a first
// message right after the welcome that had said it (a regression run).
func asksWhatTheBotDoes(text string) bool {
	return len(foldedWords(text)) <= 8 && saysWords(text, canDoWords)
}

// elsewhereAnswer is the answer to text when it asks what is done
// elsewhere, or "". sure is whether the classifier is sure of an in-scope
// reading, g: "I want to open my anses account" creates a key. A death
// told is answered with care whatever the classifier read (death.go).
func elsewhereAnswer(text string, g Guess, sure bool) i18n.Key {
	sure = sure && g.Intent != "greeting" // "HOLA DONDE QUEDA ANSES"
	if tellsOfDeath(text) {
		return deathAnswer(text, g, sure)
	}
	if asksWhetherABot(text) || asksWhatTheBotDoes(text) {
		// "¿sos un robot?" was out of scope, "¿sos una persona?" put in
		// the desk's line.
		return "elsewhere.bot"
	}
	if asksOffice(text) && (!sure || g.Intent == "hours") && !saysWords(text, otherOffices) {
		// The offices' addresses and hours are not in the knowledge; the
		// classifier read them as the bot's hours.
		return "elsewhere.office"
	}
	if !sure && lostDNI(text) {
		// "perdí el dni", "me robaron el dni" got "Eso no lo sé
		// responder": the new DNI is not asked for here, and the key
		// needs the DNI in force (the knowledge's requirements).
		return "elsewhere.dni_lost"
	}
	if (!sure || g.Intent == "bot.official") && toldScam(text) {
		// "me estafaron": reported elsewhere; a key someone else knows
		// is recovered here. "fui estafada" read as whether this chat
		// is one (bot.official) tells of one.
		return "elsewhere.scam"
	}
	if (!sure || g.Intent == "key.requirements") && dniErrand(text) {
		// "quiero sacar turno para el dni" got "Eso no lo sé responder"
		// (a people probe): the DNI and the passport are the Registro
		// Civil's, as a lost DNI is. "TURNO DNI" read surely as what the
		// key needs (the DNI).
		return "elsewhere.dni_office"
	}
	if !sure && saysWords(text, miANSESWords) && !saysWords(text, otherOffices) && !saysWords(text, otherPapers) {
		// "¿Cuándo cobro?", "¿cómo saco un turno?": not known here, and
		// done in Mi ANSES with the key.
		return "elsewhere.mi_anses"
	}
	return ""
}

// elsewhere answers text when it asks what is done elsewhere, and
// reports whether it did. Never at a key step, where "Turno2024" may be
// a key.
func (t *turn) elsewhere(text string) (bool, error) {
	if t.def().secret {
		return false, nil
	}
	g, sure := t.classify()
	k := elsewhereAnswer(withoutGreeting(text), g, sure)
	if k == "" {
		return false, nil
	}
	t.st.Unknown = 0
	t.event(Event{Name: "out_of_scope", Intent: string(k)})
	t.say(k)
	if k == deceasedOwn {
		return true, t.ownKeyAfterDeath(g, sure)
	}
	t.prompt()
	return true, nil
}
