package dialog

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/registry"
)

var testNow = time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)

// readLines reads a names list: one a line, # comments and blanks skipped.
func readLines(t testing.TB, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

func TestReadNameTakesNames(t *testing.T) {
	for _, list := range []struct {
		path  string
		field nameField
	}{{"given-names.txt", nameFirst}, {"testdata/names/surnames.txt", nameLast}} {
		for _, name := range readLines(t, list.path) {
			for _, typed := range []string{name, strings.ToUpper(name), strings.ToLower(name), name + ".", name + " 👍", "¡" + name + "!"} {
				want := strings.Trim(typed, ".¡! 👍")
				if got, ok := readName(typed, list.field); !ok || got != want {
					t.Errorf("readName(%q) = %q, %v: want the name", typed, got, ok)
				}
			}
		}
	}
}

func TestReadNameAfterAPreamble(t *testing.T) {
	tests := []struct {
		text  string
		field nameField
		want  string
	}{
		{"me llamo Graciela Noemí", nameFirst, "Graciela Noemí"},
		{"Mi nombre es Luz", nameFirst, "Luz"},
		{"soy Consuelo", nameFirst, "Consuelo"},
		{"nombres: María de los Ángeles", nameFirst, "María de los Ángeles"},
		{"mi apellido es Seguro", nameLast, "Seguro"},
		{"Apellidos: Quiroga Sánchez", nameLast, "Quiroga Sánchez"},
		{"my name is Esperanza", nameFirst, "Esperanza"},
		// Surnames that are also words (found by a probe: refused).
		{"mi apellido es No", nameLast, "No"},
		{"apellido: Ni", nameLast, "Ni"},
		{"mi apellido es Chau", nameLast, "Chau"},
		{"Feliz Pérez", nameLast, "Feliz Pérez"},
		// Courtesy around the name (found by a probe: refused, or taken
		// into it and the mismatch counted).
		{"Lucía Soledad nomás", nameFirst, "Lucía Soledad"},
		{"solamente Luz", nameFirst, "Luz"},
		{"Graciela plis", nameFirst, "Graciela"},
		{"Luz jaja", nameFirst, "Luz"},
		{"Lucía Soledad ✌️", nameFirst, "Lucía Soledad"},
		{"Lucía Soledad ❤️", nameFirst, "Lucía Soledad"},
		{"buen día, me llamo Luz", nameFirst, "Luz"},
		{"Buenas tardes. Mi apellido es Fernández", nameLast, "Fernández"},
		// A greeting and "soy" before given names (left by the last
		// session: "hola soy jubilado" must stay no name).
		{"hola, soy Lucía Soledad", nameFirst, "Lucía Soledad"},
		{"buenas, soy Graciela", nameFirst, "Graciela"},
		// After a label the rest is the name, words of two letters
		// included (a probe of people's words: Mi Ran, Si Woo, Im, O,
		// Ok were refused, "mi nombre es Si Woo" read as a greeting).
		{"me llamo Mi Ran", nameFirst, "Mi Ran"},
		{"mi nombre es Mi Ran", nameFirst, "Mi Ran"},
		{"mi nombre es Si Woo", nameFirst, "Si Woo"},
		{"mis nombres son Ok Soon", nameFirst, "Ok Soon"},
		{"mi apellido es Im", nameLast, "Im"},
		{"apellido: O", nameLast, "O"},
		{"Mi apellido es Ok", nameLast, "Ok"},
	}
	for _, tt := range tests {
		if got, ok := readName(tt.text, tt.field); !ok || got != tt.want {
			t.Errorf("readName(%q) = %q, %v; want %q", tt.text, got, ok, tt.want)
		}
	}
}

// Names with words of two letters that are also words ("mi", "si",
// "ok", "im") are names when nothing else in the message is a word or a
// given name of the list; alone, "Mi" and "Im" are no command, "si" and
// "ok" are answers (a probe of people's words).
func TestReadNameShortWordsOfNames(t *testing.T) {
	for _, tt := range []struct {
		text  string
		field nameField
	}{
		{"Mi Ran", nameFirst}, {"Ok Soon", nameFirst}, {"Si Woo", nameFirst}, {"Eun Mi", nameFirst},
		{"MI RAN", nameFirst}, {"Mi", nameFirst}, {"Im", nameLast}, {"IM", nameLast}, {"Im.", nameLast},
	} {
		want := strings.TrimSuffix(tt.text, ".")
		if got, ok := readName(tt.text, tt.field); !ok || got != want {
			t.Errorf("readName(%q) = %q, %v; want %q", tt.text, got, ok, want)
		}
	}
	for _, text := range []string{"ok", "si", "si Lucía", "ok Lucía Soledad", "Si, Woo", "mi papá", "mi hija",
		"soy yo", "mi apellido es el de mi papá", "si claro", "ok dale", "mi nombre", "im fine"} {
		for _, f := range []nameField{nameFirst, nameLast} {
			if got, ok := readName(text, f); ok {
				t.Errorf("readName(%q, %d) took %q", text, f, got)
			}
		}
	}
}

func TestReadNameRefusesMessages(t *testing.T) {
	for _, text := range []string{
		"gracias", "muchas gracias", "hola", "holaaa", "buenas tardes", "no sé", "no se", "nose",
		"ok", "dale", "si", "no", "jajaja", "???", "Graciela?", "¿Seguro?", "es seguro?",
		"es seguro", "xq", "q hago", "no entiendo", "no me acuerdo", "para que", "que es eso",
		"no tengo", "quiero hablar con alguien", "me olvidé la clave", "mi dni es 24567890",
		"Graciela 2", "ayuda por favor", "perdón", "un momento", "ya te dije", "esperá",
		"sirve para la afip", "cuál es mi cuil", "María de", "de la", "asdasd", "jejeje", "kkkk", "holaa", "graciass", "heyy", "mi apellido es Seguro",
		"me llamo", "what is this", "thanks", "Pérez, Graciela", "Graciela Noemí Pérez, DNI 24.567.890",
		"ni idea", "no pasé la validación", "no pase", "sin nombre", "sin segundo nombre", "chau chau",
		"chau, nos vemos", "chau gracias", "feliz navidad", "ni ahí", "no lo sé", "sin dni",
		"me equivoqué", "perdón me equivoqué", "jeje", "señorita", "Lucía Soledad, mamá de Tomás",
		"hola Luz", "hola, soy", "hola ¿me llamo Luz?",
		// Found by a regression probe.
		"gracias amigo", "bueno gracias", "perdon la demora", "perdón la molestia", "Chau!", "chau Ana",
		"bueno chau", "hola soy jubilado", "buenas soy la hija", "hola soy estudiante",
		"hola soy de Rosario", "hola, soy de Mercedes", "buen día, soy de Pilar", "soy de Rosario",
	} {
		if got, ok := readName(text, nameFirst); ok {
			t.Errorf("readName(%q) took %q as first names", text, got)
		}
	}
	for _, text := range []string{"hola, mi apellido es compuesto", "mi apellido es compuesto", "buenas, mi apellido es doble", "Chau"} {
		if got, ok := readName(text, nameLast); ok {
			t.Errorf("readName(%q) took %q as last names", text, got)
		}
	}
}

// No question of the FAQ's held-out sets, written as people write, is
// taken for a name at a name step: the classifier still gets them.
func TestHeldOutQuestionsAreNoNames(t *testing.T) {
	for _, path := range []string{"faq/testdata/heldout.jsonl", "faq/testdata/heldout_en.jsonl"} {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var ex struct{ Intent, Text string }
			if err := json.Unmarshal(sc.Bytes(), &ex); err != nil {
				t.Fatal(err)
			}
			for _, field := range []nameField{nameFirst, nameLast} {
				if got, ok := readName(ex.Text, field); ok {
					t.Errorf("%s: %s %q taken as a name (%q)", path, ex.Intent, ex.Text, got)
				}
			}
		}
		f.Close()
	}
}

func TestReadTextFindsTheData(t *testing.T) {
	tests := []struct {
		text string
		want reading
	}{
		{"20-12604337-7", reading{cuil: "20126043377", onlyCUIL: true}},
		{"mi cuil es 20 12604337 7", reading{cuil: "20126043377", onlyCUIL: true}},
		// In groups with spaces and dashes (found by a probe: a DNI).
		{"mi cuil es 27 - 35218904 - 4", reading{cuil: "27352189044", onlyCUIL: true}},
		{"cuil 27 35 218 904 4", reading{cuil: "27352189044", onlyCUIL: true}},
		{"mi cuil es 27 352 189 044", reading{cuil: "27352189044", onlyCUIL: true}},
		{"35 218 904 y 21/07/1990", reading{dni: "35218904", date: "1990-07-21"}},
		{"me olvidé la clave, mi cuil es 20-12604337-7", reading{cuil: "20126043377", sentence: true}},
		{"mi cuil es 20-12604337-4", reading{cuilErr: registry.ErrCUILCheckDigit}},
		{"cuil 2012604337", reading{cuilErr: registry.ErrCUILLength}},
		{"Graciela Noemí Pérez, DNI 24.567.890", reading{dni: "24567890",
			names: []nameSeg{{text: "Graciela Noemí Pérez", words: 3}}}},
		{"nací el 3 de noviembre de 1958", reading{date: "1958-11-03", dateSaid: true}},
		{"3 November 1958", reading{date: "1958-11-03"}},
		{"November 3, 1958", reading{date: "1958-11-03"}},
		{"julio 21 de 1990", reading{date: "1990-07-21"}},
		{"24 567 890 y 14/03/1985", reading{dni: "24567890", date: "1985-03-14",
			names: nil}},
		{"nombre: Graciela apellido: De la Cruz", reading{names: []nameSeg{
			{text: "Graciela", words: 1, field: nameFirst}, {text: "De la Cruz", words: 1, field: nameLast}}}},
		{"nombre y apellido Graciela Pérez", reading{names: []nameSeg{{text: "Graciela Pérez", words: 2, field: nameFull}}}},
		{"mi tramite es 00512345678", reading{tramite: "00512345678"}},
		// Words of two letters after a label are the name's ("Mi" was
		// dropped, "Ran" judged), not what opens the next label.
		{"mi nombre es Mi Ran", reading{names: []nameSeg{{text: "Mi Ran", words: 2, field: nameFirst}}}},
		{"nombre: Eun Mi, apellido: Im", reading{names: []nameSeg{
			{text: "Eun Mi", words: 2, field: nameFirst}, {text: "Im", words: 1, field: nameLast}}}},
		{"nombre Lucía y mi apellido Fernández", reading{names: []nameSeg{
			{text: "Lucía", words: 1, field: nameFirst}, {text: "Fernández", words: 1, field: nameLast}}}},
		{"que es la clave?", reading{sentence: true, question: true}},
		{"por qué me piden el dni", reading{sentence: true, question: true}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := readText(tt.text, testNow)
			if got.cuil != tt.want.cuil || !errors.Is(got.cuilErr, tt.want.cuilErr) || (got.cuilErr == nil) != (tt.want.cuilErr == nil) || got.onlyCUIL != tt.want.onlyCUIL ||
				got.dni != tt.want.dni || got.date != tt.want.date || got.dateSaid != tt.want.dateSaid ||
				got.tramite != tt.want.tramite || got.sentence != tt.want.sentence || got.question != tt.want.question ||
				!slices.Equal(got.names, tt.want.names) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestMaskData(t *testing.T) {
	tests := []struct{ text, want string }{
		{"27-35218904-4", "27-****8904-4"},
		{"mi cuil es 20 12604337 7 gracias", "mi cuil es 20-****4337-7 gracias"},
		{"mi cuil es 27 - 35218904 - 4", "mi cuil es 27-****8904-4"},
		{"35218904", "**.***.904"},
		{"DNI 35.218.904", "DNI **.***.904"},
		{"dni 4.981.207", "dni *.***.207"},
		{"21/07/1990", "**/**/****"},
		{"nací el 3 de noviembre de 1958, dni 12604337", "nací el **/**/****, dni **.***.337"},
		{"00512345678", "*******5678"},
		{"20-31456789-4", "*******7894"},
		{"opción 2", "opción 2"},
		{"Graciela Noemí Pérez", "Graciela Noemí Pérez"},
	}
	for _, tt := range tests {
		if got := maskData(tt.text, testNow); got != tt.want {
			t.Errorf("maskData(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
