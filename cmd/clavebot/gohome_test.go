package main

import (
	"strings"
	"testing"
)

// "ir al inicio" typed where the surname is asked was taken as the
// surname (the birth date asked next, and the mismatch would count),
// where "volver al inicio" and "ir al menú" go to the menu (a contract
// probe of chat --jsonl; CONVERSATION: «inicio» and «menú» are always
// available). The other ways of saying it go to the menu too.
func TestGoingHomeInWordsIsTheMenu(t *testing.T) {
	url := testDB(t)
	for _, typed := range []string{"ir al inicio", "al inicio", "ir al principio", "volver al principio", "al menú", "ir a inicio"} {
		t.Run(typed, func(t *testing.T) {
			code, out, errs := runCLI(t, jsonlScript(typed, "hola", "1", "20-31456789-8", "María Belén", typed),
				"chat", "--jsonl", "--database-url", url)
			if code != 0 {
				t.Fatalf("chat: %d %s", code, errs)
			}
			var last line
			for _, l := range parseLines(t, out) {
				if !l.End {
					last = l
				}
			}
			if last.Expect != "menu" || strings.Contains(out, "Anoté") {
				t.Errorf("%q at the surname: last reply %+v, want the menu", typed, last)
			}
		})
	}
}
