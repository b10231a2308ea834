package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// "No me llegó el código" where a new e-mail is verified got "Cuidado: 3
// códigos equivocados bloquean la validación por unas horas" (a contract
// probe of chat --jsonl), where the wrong codes of a new contact count
// apart (Policy.ContactCodes: 5, for 30 minutes) and the bot says after
// each one that the key is not locked by them. What the answer says is
// what happens: as many wrong codes as it names, and no fewer, stop the
// verification.
func TestCodeMissingAnswerTellsTheContactsRule(t *testing.T) {
	db := testDB(t)
	answers := questionAnswers(t, db)
	j := startJSONL(t, "--database-url", db)
	for _, s := range append([]string{"hola", "1", "20-31456789-8", "María Belén", "Gómez Ruiz", "14/03/1985", "31456789"}, answers...) {
		j.say("a", s)
	}
	j.expect("a", "Mate2025amargo", "confirm_key")
	j.expect("a", "Mate2025amargo", "menu")
	j.expect("a", "7", "choice")
	j.expect("a", "1", "email")
	j.expect("a", "maria.gomez@gmail.com", "code")
	var said string
	for _, r := range j.turn("a", "no me llegó el código") {
		if strings.Contains(r.Text, "equivoc") {
			said = r.Text
		}
	}
	m := regexp.MustCompile(`(\d+) (?:códigos equivocados|veces)`).FindStringSubmatch(said)
	if m == nil {
		t.Fatalf("the answer names no number of wrong codes: %q", said)
	}
	n, _ := strconv.Atoi(m[1])
	if strings.Contains(said, "horas") {
		t.Errorf("the answer speaks of hours: %q", said)
	}
	for i := 1; i <= n; i++ {
		rs := j.turn("a", strconv.Itoa(100000+i))
		locked := false
		for _, r := range rs {
			locked = locked || strings.Contains(r.Text, "no podés verificar")
		}
		if locked != (i == n) {
			t.Fatalf("wrong code %d of the %d the answer names (%q): locked %v", i, n, said, locked)
		}
	}
}
