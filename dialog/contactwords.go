package dialog

import (
	"slices"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// How people name the options of the contacts menu in their own words:
// "agregar celular", "el celu", "mail", "add phone", "nada". Unread, these
// went to the classifier, which answered how contacts are changed (the
// flow the person was in) or why they are asked.

// contactKindWords name a kind of contact, folded ("e-mail" is "e mail").
var contactKindWords = map[string]registry.ContactKind{
	"mail": registry.ContactEmail, "email": registry.ContactEmail, "correo": registry.ContactEmail,
	"gmail": registry.ContactEmail, "hotmail": registry.ContactEmail, "electronico": registry.ContactEmail,
	"celular": registry.ContactPhone, "celu": registry.ContactPhone, "cel": registry.ContactPhone,
	"telefono": registry.ContactPhone, "movil": registry.ContactPhone, "numero": registry.ContactPhone,
	"phone": registry.ContactPhone, "mobile": registry.ContactPhone, "cell": registry.ContactPhone,
}

// removeWords ask to take a contact away rather than add or change it.
var removeWords = set("quitar", "quita", "sacar", "saca", "borrar", "borra", "eliminar", "elimina",
	"remove", "delete")

// nothingWords say nothing is wanted: Listo. "Ya está", "eso es todo",
// "gracias" are that too; with a kind of contact ("el mail ya está") they
// name no option (a regression probe: as filler they opened its change).
var nothingWords = set("nada", "ninguno", "ninguna", "ningun", "listo", "no", "nothing", "none", "done", "ya",
	"esta", "todo", "eso", "gracias", "thanks")

// contactFiller are the words around an option's name that do not change
// it: "quiero agregar mi celular", "el e-mail", "add my phone".
var contactFiller = set("quiero", "agregar", "agrega", "cargar", "carga", "poner", "sumar", "cambiar", "cambia",
	"actualizar", "nuevo", "nueva", "mi", "mis", "el", "la", "un", "una", "de", "e", "por", "favor", "dale", "si",
	"mas", "es", "add", "change", "update", "my", "the", "a", "i", "want", "to", "new", "please")

// contactOption returns the option of acts that text names in words, or
// -1: a kind of contact (with words of removing, its removal), or nothing
// at all (Listo). Every word must be one of those or filler, so a
// question ("¿para qué quieren mi mail?") stays a question.
func contactOption(text string, acts []contactAction) int {
	var kinds []registry.ContactKind
	remove, nothing := false, false
	for _, w := range foldedWords(text) {
		k, ok := contactKindWords[w]
		switch {
		case ok:
			kinds = append(kinds, k)
		case removeWords[w]:
			remove = true
		case nothingWords[w]:
			nothing = true
		case !contactFiller[w]:
			return -1
		}
	}
	kinds = slices.Compact(kinds)
	switch {
	case len(kinds) == 0 && nothing && !remove:
		return actionWith(acts, "contacts.done")
	case len(kinds) != 1 || nothing: // "no quiero mi celular": not an option
		return -1
	case remove:
		return actionWith(acts, removeKeys[kinds[0]][0])
	case kinds[0] == registry.ContactEmail:
		return actionWith(acts, "contacts.add_email", "contacts.change_email")
	}
	return actionWith(acts, "contacts.add_phone", "contacts.change_phone")
}

// actionWith returns the index of the action labelled with one of keys,
// or -1.
func actionWith(acts []contactAction, keys ...i18n.Key) int {
	return slices.IndexFunc(acts, func(a contactAction) bool { return slices.Contains(keys, a.label.Key) })
}

// lostPhrases say, folded, that a contact can no longer be reached:
// "no tengo más ese mail", "no puedo entrar a mi correo", "perdí el
// celular", "I no longer have that e-mail".
var lostPhrases = []string{"no tengo mas", "ya no tengo", "no tengo acceso", "sin acceso", "no puedo entrar",
	"no puedo acceder", "no puedo abrir", "no puedo ingresar", "perdi", "me robaron", "no uso mas", "ya no uso",
	"no existe mas", "lo di de baja", "la di de baja", "dado de baja", "no longer", "lost", "can t access",
	"cannot access", "can t get into", "can t open", "don t have access", "no access"}

// contactLost reports whether text says a contact named in it (a mail, a
// phone) is lost. The classifier takes most such messages for why
// contacts are asked ("no tengo más ese mail": the words are the same).
//
// Not when it is the code that is lost ("perdí el código, ¿me mandan otro
// al mail?"), nor access for a moment ("no puedo entrar al mail desde
// acá, esperá"): both were sent to an office (a regression probe).
func contactLost(text string) bool {
	return says(text, lostPhrases) && !says(text, notLostPhrases) &&
		slices.ContainsFunc(foldedWords(text), func(w string) bool { _, ok := contactKindWords[w]; return ok })
}

// notLostPhrases say, folded, that what is lost is the code, or access
// only for now.
var notLostPhrases = []string{"codigo", "code", "desde aca", "desde este", "espera", "un momento", "un rato",
	"ahora no", "todavia", "right now", "for now", "wait"}
