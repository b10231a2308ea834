package dialog

import (
	"testing"

	"github.com/clavebot/clavebot/i18n"
)

// An option given nil leaves the do-nothing collaborator, as a nil one
// always meant none: no desk and no reminders are offered, no code sent.
func TestNilOptionIsNone(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := New(nil, nil, cat, WithDesk(nil), WithReminders(nil), WithCodeSender(nil), WithClassifier(nil, 0.5, 0.3))
	if e.hasDesk || e.hasReminders {
		t.Errorf("hasDesk %v, hasReminders %v; want none", e.hasDesk, e.hasReminders)
	}
	if _, ok := e.desk.(noDesk); !ok {
		t.Errorf("desk %T, want noDesk", e.desk)
	}
	if _, ok := e.codes.(noCodeSender); !ok {
		t.Errorf("code sender %T, want noCodeSender", e.codes)
	}
	if _, ok := e.clf.(noClassifier); !ok {
		t.Errorf("classifier %T, want noClassifier", e.clf)
	}
}

// The start of a label, in whole words, chooses the only option it
// begins, and "none of these" is said in many ways; a start that several
// options share, or too short to be more than a word, chooses none.
func TestMatchOptionByItsStart(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := New(nil, nil, cat)
	employers := []i18n.Message{
		i18n.Raw("Supermercados del Interior SA"), i18n.Raw("Supermercados Norte SA"),
		i18n.Raw("Clínica Privada Vélez Sarsfield SRL"), i18n.Raw("Ingenio Concepción SA"),
		i18n.M("question.none.employer"),
	}
	benefits := []i18n.Message{i18n.Raw("Progresar"), i18n.Raw("Tarjeta Alimentar"), i18n.M("question.none.benefit")}
	provinces := []i18n.Message{i18n.Raw("Tucumán"), i18n.Raw("Córdoba"), i18n.Raw("Misiones"), i18n.M("question.none.birth_province")}
	dates := []i18n.Message{i18n.Raw("10/05/2019"), i18n.Raw("12/03/2014"), i18n.M("question.none.dni_issue_date")}
	troubles := []i18n.Message{i18n.Raw("Estoy bloqueado"), i18n.Raw("El sistema no anda")}
	tests := []struct {
		text    string
		options []i18n.Message
		want    int
	}{
		{"ninguna", employers, 4},
		{"Ninguno", employers, 4},
		{"ninguna de esas", employers, 4},
		{"no es ninguna", benefits, 2},
		{"ninguna", benefits, 2},
		{"clinica", employers, 2},
		{"CLÍNICA PRIVADA", employers, 2},
		{"ingenio", employers, 3},
		{"supermercados", employers, -1}, // two begin so
		{"clin", employers, -1},          // not a whole word
		{"cli", employers, -1},           // too short
		{"privada", employers, -1},       // not the start
		{"tarjeta", benefits, 1},
		{"crear", menuLabels(), 0},
		{"recuperar", menuLabels(), 1},
		{"cambiar", menuLabels(), -1}, // the key, or the contact data
		{"ninguna", menuLabels(), -1},
		{"sí", yesNo(), 0},
		{"la cuarta", employers, 3},
		{"La 2", employers, 1},
		{"opción 5", employers, 4},
		{"el último", benefits, 2},
		{"la sexta", employers, -1},
		{"primero", menuLabels(), 0},
		// A slip in a whole label chooses it, when only it is that near.
		{"cordova", provinces, 1},
		{"tucuman", provinces, 0},
		{"Clinica Privada Velez Sarfield SRL", employers, 2},
		{"supermercados norte sa", employers, 1},
		{"supermercados nort sa", employers, 1},
		{"estoy bloquedo", troubles, 0},
		{"11/05/2019", dates, -1}, // another date, not a slip
		{"so", yesNo(), -1},       // too short to forgive
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := e.matchOption(tt.text, tt.options); got != tt.want {
				t.Errorf("matchOption(%q) = %d, want %d", tt.text, got, tt.want)
			}
		})
	}
}

// At an identity question the options are the answer among others' alike:
// neither the start of a label nor a slip chooses one there (a person
// typing an answer that is not shown would be taken to choose another),
// but numbers, whole labels, dates and "none of these" do.
func TestMatchAnswerGuessesNothing(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := New(nil, nil, cat)
	employers := []i18n.Message{
		i18n.Raw("Clínica del Sol SA"), i18n.Raw("Supermercados Norte SA"), i18n.M("question.none.employer"),
	}
	dates := []i18n.Message{i18n.Raw("10/05/2019"), i18n.Raw("12/03/2014"), i18n.M("question.none.dni_issue_date")}
	provinces := []i18n.Message{i18n.Raw("Córdoba"), i18n.Raw("Santa Fe"), i18n.M("question.none.province")}
	benefits := []i18n.Message{i18n.Raw("Asignación Universal por Hijo"), i18n.Raw("Jubilación ordinaria"), i18n.M("question.none.benefit")}
	tests := []struct {
		text    string
		options []i18n.Message
		want    int
	}{
		{"clinica", employers, -1},               // their employer may be another clinic
		{"supermercados nort sa", employers, -1}, // or another chain
		{"clínica del sol sa", employers, 0},
		{"la segunda", employers, 1},
		{"la segunda opción", employers, 1},
		{"the second one", employers, 1},
		{"opción 1", employers, 0},
		{"ninguna", employers, 2},
		{"no es ninguna", employers, 2},
		{"10-5-2019", dates, 0},
		{"11/05/2019", dates, -1},
		// The whole name as people say it: without the company's legal
		// form, with an article or "en"; a date with words around it.
		{"clinica del sol", employers, 0},
		{"en la clínica del sol s.a.", employers, 0},
		{"supermercados norte s. a.", employers, 1},
		{"el 10 de mayo del 2019", dates, 0},
		{"fue el 10/5/19", dates, 0},
		{"cordoba", provinces, 0},
		{"en córdoba", provinces, 0},
		{"cordoba capital", provinces, 0}, // the province's capital city (a probe of people's words)
		{"la auh", benefits, 0},
		{"AUH", benefits, 0},
		{"jubilacion", benefits, -1}, // the start of a label still chooses nothing
		{"la asignación universal por hijo", benefits, 0},
		// A legal form said must be the option's: the person's own employer
		// may be another company of the same name.
		{"supermercados norte srl", employers, -1},
		// Two options alike but for their legal form: neither is guessed.
		{"textil andina", []i18n.Message{i18n.Raw("Textil Andina SA"), i18n.Raw("Textil Andina SRL")}, -1},
		{"textil andina s.r.l.", []i18n.Message{i18n.Raw("Textil Andina SA"), i18n.Raw("Textil Andina SRL")}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := e.matchAnswer(tt.text, tt.options); got != tt.want {
				t.Errorf("matchAnswer(%q) = %d, want %d", tt.text, got, tt.want)
			}
		})
	}
}

// Options are chosen as people write them: by a number in words or a
// keycap emoji, everywhere; at the province question, by the usual
// abbreviations and "… capital" (a probe of people's words: "3️⃣", "tres",
// "cba", "Córdoba capital" were not understood). Nothing else is guessed.
func TestOptionsInPeoplesWords(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := New(nil, nil, cat)
	provinces := []i18n.Message{i18n.Raw("Ciudad Autónoma de Buenos Aires"), i18n.Raw("Buenos Aires"), i18n.Raw("Córdoba"),
		i18n.Raw("Santiago del Estero"), i18n.Raw("Tierra del Fuego"), i18n.Raw("La Pampa"), i18n.M("question.none.birth_province")}
	employers := []i18n.Message{i18n.Raw("Córdoba Textil SA"), i18n.Raw("Capital Humano SRL"), i18n.M("question.none.employer")}
	tests := []struct {
		text    string
		options []i18n.Message
		want    int
	}{
		{"3️⃣", menuLabels(), 2},
		{"3⃣", menuLabels(), 2},
		{"tres", menuLabels(), 2},
		{"la tres", menuLabels(), 2},
		{"opción dos", menuLabels(), 1},
		{"cinco", provinces, 4},
		{"five", provinces, 4},
		{"1️⃣", yesNo(), 0},
		{"ocho", menuLabels(), -1},
		{"cba", provinces, 2},
		{"Córdoba capital", provinces, 2},
		{"en cba", provinces, 2},
		{"bs as", provinces, 1},
		{"Bs. As.", provinces, 1},
		{"provincia de buenos aires", provinces, 1},
		{"caba", provinces, 0},
		{"capital federal", provinces, 0},
		{"buenos aires capital", provinces, 0},
		{"sgo del estero", provinces, 3},
		{"tdf", provinces, 4},
		{"la pampa", provinces, 5},
		// Not provinces' options: nothing guessed.
		{"cba", employers, -1},
		{"capital", employers, -1},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := e.matchAnswer(tt.text, tt.options); got != tt.want {
				t.Errorf("matchAnswer(%q) = %d, want %d", tt.text, got, tt.want)
			}
		})
	}
}
