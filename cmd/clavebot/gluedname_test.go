package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// jsonlScript is chat --jsonl's input for one chat typing texts in order.
func jsonlScript(chat string, texts ...string) string {
	var in strings.Builder
	for _, s := range texts {
		b, _ := json.Marshal(map[string]string{"chat": chat, "text": s})
		in.Write(append(b, '\n'))
	}
	return in.String()
}

// Letters glued to digits ("Ruta2024xy", a key typed where the names are
// asked, or a name with a year) are no name: "Ruta2024xy" at the first
// names was read as first names "Ruta" and surname "xy" ("Anoté tus
// nombres y tu apellido"), judged against the record, and the mismatch
// counted toward the CUIL's lock (a contract probe of chat --jsonl).
// The step is asked again, and the right data after it validate without
// a failure counted.
func TestLettersGluedToDigitsAreNoName(t *testing.T) {
	for _, typed := range []string{"Ruta2024xy", "Maria85", "Gómez1985Ruiz", "35218904ab cd"} {
		t.Run(typed, func(t *testing.T) {
			url := testDB(t)
			code, out, errs := runCLI(t, jsonlScript("g", "hola", "1", "20-31456789-8", typed),
				"chat", "--jsonl", "--database-url", url)
			if code != 0 {
				t.Fatalf("chat: %d %s", code, errs)
			}
			var last line
			for _, l := range parseLines(t, out) {
				if l.End {
					continue
				}
				last = l
				if strings.Contains(l.Text, "Anoté") || strings.Contains(l.Text, "no coinciden") {
					t.Errorf("%q at the first names: %q", typed, l.Text)
				}
			}
			if last.Expect != "first_names" {
				t.Errorf("%q at the first names: last reply %+v, want the first names asked again", typed, last)
			}
			code, out, errs = runCLI(t, jsonlScript("g", "hola", "1", "20-31456789-8", typed,
				"María Belén", "Gómez Ruiz", "14/03/1985", "31456789"), "chat", "--jsonl", "--database-url", url)
			if code != 0 {
				t.Fatalf("chat: %d %s", code, errs)
			}
			if strings.Contains(out, "intento") || !strings.Contains(out, "Pregunta 1 de 3") {
				t.Errorf("after %q and the right data:\n%s\nwant the questions, no failure counted", typed, out)
			}
		})
	}
}
