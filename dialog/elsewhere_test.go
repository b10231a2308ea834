package dialog_test

import (
	"fmt"
	"testing"

	"github.com/clavebot/clavebot/dialog"
	"github.com/clavebot/clavebot/i18n"
)

// elsewhereAt sends text at the menu and at the first names, and wants
// want, then the question that was pending, and no "faq" answer.
func elsewhereAt(t *testing.T, h *harness, name, text string, want i18n.Message) {
	t.Helper()
	h.step(name+"-m", "hola", dialog.ExpectMenu)
	h.step(name+"-m", text, dialog.ExpectMenu, want, i18n.M("menu.ask"))
	h.toFirstNamesStep(name + "-n")
	rs := h.step(name+"-n", text, dialog.ExpectFirstNames, want, i18n.M("ask.first_names"))
	for _, bad := range []i18n.Key{"names.format", "names.unclear", "faq.answer.none"} {
		if has(rs, i18n.M(bad)) {
			t.Errorf("%q at the first names got %s:\n%s", text, bad, h.dump(rs))
		}
	}
}

// TestDeceasedRelativesKey: "mi papá falleció, cómo hago con su clave"
// got "Eso no lo sé responder…" (none 0.54), first in a chat the welcome
// alone, at the first names "Eso no parece un nombre", and "mi mamá
// murió y tenía clave de anses" "¿Quisiste decir…?" with its recovery (a
// words probe, an item of the last session). A death in the family is
// answered with care: the key is personal, a deceased person's cannot be
// made, recovered or used, and what follows a death is asked at an ANSES
// office. The place is kept. A phone that "murió" is no death, and a
// widow who wants her own key (TestLongMessageStartsItsFlow) starts it.
func TestDeceasedRelativesKey(t *testing.T) {
	h := newHarness(t)
	want := i18n.M("elsewhere.deceased")
	for i, text := range []string{"mi papá falleció, cómo hago con su clave", "mi mama murio y tenia clave de anses",
		"mi viejo fallecio, tengo que dar de baja su clave?", "falleció mi esposo, puedo usar su clave para cobrar?",
		"my father passed away what do i do with his password", "fallecio mi papa, quiero recuperar su clave"} {
		elsewhereAt(t, h, "dead-"+string(rune('a'+i)), text, want)
	}
	h.step("dead-first", "mi papá falleció, cómo hago con su clave", dialog.ExpectMenu, i18n.M("welcome"), want)
	h.step("dead-phone", "hola", dialog.ExpectMenu)
	if rs := h.send("dead-phone", "se me murio el celular y me olvide la clave"); has(rs, want) {
		t.Errorf("a phone's death:\n%s", h.dump(rs))
	}
}

// TestDeathWithAKeyWanted: "mi papá murió y necesito la clave de él"
// started the creation of a key, the deceased's CUIL asked for, and "mi
// esposo falleció y quiero cobrar la pensión, necesito mi clave" got the
// condolences and the menu, not her own key (the words probe's
// leftovers). The deceased's key named ("la clave de él", "la de
// ella") is the deceased's answer; the person's own key wanted (named
// so, or to collect what the death left) gets the care and that key: its
// flow when the classifier reads one, what to do with it otherwise, as
// when whose is not said ("mi mamá falleció y necesito recuperar la
// clave" started the recovery of a key that may be the deceased's).
func TestDeathWithAKeyWanted(t *testing.T) {
	h := newHarness(t)
	deceased, own := i18n.M("elsewhere.deceased"), i18n.M("elsewhere.deceased_own")
	for i, c := range []struct {
		text   string
		expect dialog.Expect
		want   []i18n.Message
	}{
		{"mi papá murió y necesito la clave de él", dialog.ExpectMenu, []i18n.Message{deceased, i18n.M("menu.ask")}},
		{"se murio mi abuela y necesito la contraseña de ella", dialog.ExpectMenu, []i18n.Message{deceased}},
		{"mi esposo falleció y quiero cobrar la pensión, necesito mi clave", dialog.ExpectChoice,
			[]i18n.Message{own, i18n.M("key.what_to_do")}},
		{"my husband passed away and i need my own password", dialog.ExpectChoice,
			[]i18n.Message{own, i18n.M("key.what_to_do")}},
		{"mi mama fallecio y necesito recuperar la clave", dialog.ExpectChoice,
			[]i18n.Message{own, i18n.M("key.what_to_do")}},
		{"murio mi marido y necesito sacar mi clave para la pension", dialog.ExpectCUIL,
			[]i18n.Message{own, i18n.M("create.checklist")}},
	} {
		chat := fmt.Sprintf("death-%d", i)
		h.step(chat, "hola", dialog.ExpectMenu)
		rs := h.step(chat, c.text, c.expect, c.want...)
		if has(rs, i18n.M("create.checklist")) && c.expect != dialog.ExpectCUIL || has(rs, deceased) && has(rs, own) {
			t.Errorf("%q:\n%s", c.text, h.dump(rs))
		}
	}
	// First in a chat, and where the first names are asked.
	h.step("death-first", "mi esposo falleció y quiero cobrar la pensión, necesito mi clave", dialog.ExpectChoice,
		i18n.M("welcome"), own, i18n.M("key.what_to_do"))
	h.toFirstNamesStep("death-names")
	h.step("death-names", "mi esposo falleció y necesito mi clave", dialog.ExpectFirstNames, own,
		i18n.M("ask.first_names"))
}

// TestLostDNIAndScamSayWhereToGo: "perdí el dni", "me robaron el dni"
// and "me estafaron" got "Eso no lo sé responder", and at the first
// names "Eso no parece un nombre" (the words probe's leftovers). A new
// DNI is not asked for here (held-out lines label it out of scope): the
// bot says where, that the key needs the DNI in force (the knowledge's
// requirements), and that a key already made still works; a scam is
// reported to the police, and a key someone else knows is recovered.
// The place is kept; a lost DNI asked with the key is still what is
// needed, and a key given in a scam still its recovery.
func TestLostDNIAndScamSayWhereToGo(t *testing.T) {
	h := newHarness(t)
	for i, c := range []struct{ text, want string }{
		{"perdí el dni", "elsewhere.dni_lost"},
		{"me robaron el dni", "elsewhere.dni_lost"},
		{"se me perdio el documento", "elsewhere.dni_lost"},
		{"I lost my DNI", "elsewhere.dni_lost"},
		{"me estafaron", "elsewhere.scam"},
		{"i got scammed", "elsewhere.scam"},
	} {
		elsewhereAt(t, h, fmt.Sprintf("lost-%d", i), c.text, i18n.M(i18n.Key(c.want)))
	}
	h.step("lost-key", "hola", dialog.ExpectMenu)
	h.step("lost-key", "perdi el dni, como hago la clave?", dialog.ExpectChoice, i18n.M("faq.answer.key.requirements"))
	h.step("scam-key", "hola", dialog.ExpectMenu)
	h.step("scam-key", "me estafaron y les di mi clave de anses", dialog.ExpectChoice,
		i18n.M("faq.answer.key.compromised"))
	// Told, not asked whether this chat is one (bot.official 0.9).
	h.step("scam-told", "hola", dialog.ExpectMenu)
	h.step("scam-told", "fui estafada", dialog.ExpectMenu, i18n.M("elsewhere.scam"))
	h.step("scam-bot", "hola", dialog.ExpectMenu)
	h.step("scam-bot", "es una estafa?", dialog.ExpectChoice, i18n.M("faq.answer.bot.official"))
}

// TestOfficeWhereAndWhenIsNotKnown: "dónde queda la oficina" got "Eso no
// lo sé responder…", and "horario de atencion de la oficina", "a que hora
// abre anses", "la oficina atiende los sabados?" the bot's and the desk's
// hours, "Yo te atiendo todos los días…" (hours 0.97; a words probe, an
// item of the last session). Neither the offices' addresses nor their
// hours are in the knowledge: the bot says it does not have them, where
// they are (anses.gob.ar, where the turno is asked), and what it does
// help with; the place is kept. The bot's own hours are still its own.
func TestOfficeWhereAndWhenIsNotKnown(t *testing.T) {
	h := newHarness(t)
	want := i18n.M("elsewhere.office")
	for i, text := range []string{"dónde queda la oficina", "donde queda la oficina de anses mas cercana",
		"horario de atencion de la oficina", "a que hora abre anses", "la oficina atiende los sabados?",
		"HOLA DONDE QUEDA ANSES EN MORENO", "where is the anses office", "what time does anses open"} {
		elsewhereAt(t, h, "office-"+string(rune('a'+i)), text, want)
	}
	h.step("office-first", "dónde queda la oficina", dialog.ExpectMenu, i18n.M("welcome"), want)
	// Another office's is not ANSES's (held-out lines out of scope).
	for i, text := range []string{"donde queda la oficina de pami", "a que hora abre el registro civil"} {
		chat := "other-office-" + string(rune('a'+i))
		h.step(chat, "hola", dialog.ExpectMenu)
		h.step(chat, text, dialog.ExpectMenu, i18n.M("faq.answer.none"))
	}
	h.step("bot-hours", "hola", dialog.ExpectMenu)
	h.step("bot-hours", "en que horario atienden por aca?", dialog.ExpectChoice, i18n.M("faq.answer.hours"))
}

// TestMiANSESTasksSayWhereTheyAreDone: "cuando cobro", "como saco un
// turno", "quiero consultar mis aportes" got "Eso no lo sé responder…",
// "fecha de cobro de la auh" at the menu "Gracias. Para empezar, elegí…"
// (read as two names typed before a flow), and at a data step the step's
// format hint (a words probe, an item of the last session). The knowledge
// says what the key is for: in Mi ANSES, with it, one consults payment
// dates, contributions, certificates, the state of a procedure, and
// manages turnos. The bot does not know the dates, says so, and where
// they are; a request it is sure of ("necesito la clave pa cobrar", the
// key's uses) is still its own.
func TestMiANSESTasksSayWhereTheyAreDone(t *testing.T) {
	h := newHarness(t)
	want := i18n.M("elsewhere.mi_anses")
	for i, text := range []string{"cuando cobro", "cuando cobro la auh", "fecha de cobro de la auh",
		"fecha de cobro jubilacion", "que dia cobro el aguinaldo", "como saco un turno", "quiero sacar turno en anses",
		"quiero consultar mis aportes", "cuando me pagan la pension", "COMO VEO EL ESTADO DE MI TRAMITE",
		"when do i get paid", "how do i book an appointment"} {
		elsewhereAt(t, h, "task-"+string(rune('a'+i)), text, want)
	}
	// What one is paid, and another office's turnos and papers, are no
	// date nor paper of Mi ANSES (held-out lines out of scope).
	for i, text := range []string{"turno para el pasaporte", "necesito sacar turno para el dni",
		"necesito un turno para el medico", "como saco el certificado de discapacidad",
		"cuanto cobra un monotributista categoria a", "como hago para cambiar el banco donde cobro",
		"I want to book an appointment for my ID card", "appointment for a new id"} {
		chat := "not-task-" + string(rune('a'+i))
		h.step(chat, "hola", dialog.ExpectMenu)
		if rs := h.send(chat, text); has(rs, want) {
			t.Errorf("%q is not done in Mi ANSES:\n%s", text, h.dump(rs))
		}
	}
	h.step("task-uses", "hola", dialog.ExpectMenu)
	h.step("task-uses", "q onda, necesito la clave pa cobrar", dialog.ExpectChoice, i18n.M("faq.answer.key.uses"))
	// A given name that is also a word of it is a name.
	h.toFirstNamesStep("task-name")
	h.step("task-name", "Constancia", dialog.ExpectLastNames)
}

// TestQuestionAfterAFillerAtADataStep: "esto tiene algún costo?" typed
// where the first names are asked got "Escribí solo lo que figura en tu
// DNI, sin números ni signos." (a regression of bcfd7a1, which reads a
// question at a data step only by its first word; an item of the last
// session). A question's first word after a filler ("esto", "y", "che",
// "una pregunta") or a verb that asks ("tiene", "cuesta", "sale", "does")
// make it a question too: the bot says it does not know and asks the
// step again. Values with a question mark keep the step's hint.
func TestQuestionAfterAFillerAtADataStep(t *testing.T) {
	h := newHarness(t)
	for i, text := range []string{"esto tiene algún costo?", "y esto tiene algun costo?", "che, cuanto sale?",
		"una pregunta, tiene costo?", "does it cost anything?"} {
		chat := "filler-" + string(rune('a'+i))
		h.toFirstNamesStep(chat)
		rs := h.step(chat, text, dialog.ExpectFirstNames, i18n.M("question.unknown"), i18n.M("ask.first_names"))
		if has(rs, i18n.M("names.format")) || has(rs, i18n.M("names.unclear")) {
			t.Errorf("%q got the names' hint:\n%s", text, h.dump(rs))
		}
	}
	h.toFirstNamesStep("filler-name")
	h.step("filler-name", "¿María Belén?", dialog.ExpectFirstNames, i18n.M("names.format"))
}

// TestAskedWhetherABot: "sos un robot?" and "are you a bot?" got "Eso no
// lo sé responder", at a data step the step's format hint, and "sos una
// persona?" and "hablo con un robot?" the hand-over to a person nobody
// asked for (agent.handoff 0.87 to 1.00; a words probe). Whether one talks
// to a machine is answered plainly (an automated assistant of ANSES, and
// how to reach a person), and the place is kept; asking for a person
// ("sos un robot? quiero una persona", "me atiende un humano?") is still
// the hand-over, and a person said to be one ("mi mamá es una persona
// mayor") is no question about the bot.
func TestAskedWhetherABot(t *testing.T) {
	h := newHarness(t)
	want := i18n.M("elsewhere.bot")
	for i, text := range []string{"sos un robot?", "sos una persona?", "hablo con un robot?", "SOS UNA MAQUINA??",
		"esto es un bot o una persona?", "are you a bot?", "are you a real person or a bot"} {
		elsewhereAt(t, h, "bot-"+string(rune('a'+i)), text, want)
	}
	for i, text := range []string{"sos un robot? quiero una persona", "me atiende un humano?",
		"mi mamá es una persona mayor, puede hacerla?"} {
		chat := "bot-other-" + string(rune('a'+i))
		h.step(chat, "hola", dialog.ExpectMenu)
		if rs := h.send(chat, text); has(rs, want) {
			t.Errorf("%q asks nothing of the bot:\n%s", text, h.dump(rs))
		}
	}
}

// TestAskedWhatTheBotDoes: "que podes hacer?" and "what can you do?" got
// "Eso no lo sé responder. Te puedo ayudar con tu clave…", at the menu and
// as a chat's first message right after the welcome that had said it
// (ebe65cb answers a first question; a regression run against 4f976ed).
// What the bot does is answered as whether it is one: an automated
// assistant for the key, a person on request; the place is kept. A person
// asking what they can do themselves asks it of their problem.
func TestAskedWhatTheBotDoes(t *testing.T) {
	h := newHarness(t)
	want := i18n.M("elsewhere.bot")
	for i, text := range []string{"que podes hacer?", "¿En qué me podés ayudar?", "what can you do?",
		"que sabes hacer"} {
		elsewhereAt(t, h, "cando-"+string(rune('a'+i)), text, want)
		h.step("cando-first-"+string(rune('a'+i)), text, dialog.ExpectMenu, i18n.M("welcome"), want)
	}
	for i, text := range []string{"no me deja entrar, que puedo hacer?", "me bloquearon, que hago?"} {
		chat := "cando-other-" + string(rune('a'+i))
		h.step(chat, "hola", dialog.ExpectMenu)
		if rs := h.send(chat, text); has(rs, want) {
			t.Errorf("%q asks nothing of the bot:\n%s", text, h.dump(rs))
		}
	}
}
