package dialog

import "strings"

// "¿Necesito la clave para la AUH?" got what the key is for and «¿Te
// sirvió esta respuesta?» (a people probe): who asks whether a benefit
// needs the key mostly has none. After the answer, creating it is offered
// (faq.offer_create, «Si todavía no la tenés, ¿querés crearla ahora?»);
// a no leaves the menu, as a rating would.

// needWords say the key is needed, or what for, folded; with "necesito"
// as people type it ("NESESITO LA CLAVE … PARA COBRAR" got the key's uses
// and the rating, no offer: a people probe).
var needWords = []string{"necesito", "necesita", "necesitas", "hace falta", "tengo que tener", "hay que tener",
	"sirve para", "es para", "need", "do i have to", "required", "nesesito", "nesecito", "nececito", "necesto",
	"nesesita", "nesecita", "nececita", "nesesitas", "nesecitas"}

// benefitWords name a benefit or a payment the key is asked for, folded.
var benefitWords = set("auh", "asignacion", "asignaciones", "hijo", "hijos", "embarazo", "jubilacion", "jubilarme",
	"pension", "progresar", "desempleo", "alimentar", "cobrar", "cobro", "prestacion", "beneficio", "ife",
	"benefit", "allowance", "retirement")

// asksKeyForBenefit reports whether text asks whether a benefit or a
// payment needs the key.
func asksKeyForBenefit(text string) bool {
	ws := foldedWords(text)
	joined := " " + strings.Join(ws, " ") + " "
	need := false
	for _, p := range needWords {
		need = need || hasWords(joined, p)
	}
	if !need {
		return false
	}
	for _, w := range ws {
		if benefitWords[w] {
			return true
		}
	}
	return false
}
