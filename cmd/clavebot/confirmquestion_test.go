package main

import (
	"encoding/json"
	"testing"

	"github.com/clavebot/clavebot/i18n"
)

// turn sends text on chat and returns every reply of the turn.
func (j *jsonlChat) turn(chat, text string) []line {
	j.t.Helper()
	b, _ := json.Marshal(map[string]string{"chat": chat, "text": text})
	if _, err := j.in.Write(append(b, '\n')); err != nil {
		j.t.Fatal(err)
	}
	var out []line
	for j.out.Scan() {
		var l line
		if err := json.Unmarshal(j.out.Bytes(), &l); err != nil {
			j.t.Fatalf("bad line %s: %v", j.out.Text(), err)
		}
		if l.End {
			return out
		}
		out = append(out, l)
	}
	j.t.Fatalf("chat ended after %q", text)
	return out
}

// A question in the person's words where the key is confirmed ("¿qué es
// la clave?") got only "Para confirmarla, escribí de nuevo la misma
// clave…", where at the new key the FAQ answers it (a contract probe of
// chat --jsonl; CONVERSATION: whatever the step, a question is answered
// and the question waited for is asked again). The answer is given, the
// confirmation asked again, and the key chosen is kept.
func TestQuestionAtTheConfirmationIsAnswered(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	es := cat.Printer("es")
	db := testDB(t)
	answers := questionAnswers(t, db)
	j := startJSONL(t, "--database-url", db)
	for _, s := range append([]string{"hola", "1", "20-31456789-8", "María Belén", "Gómez Ruiz", "14/03/1985", "31456789"}, answers...) {
		j.say("a", s)
	}
	j.expect("a", "Mate2025amargo", "confirm_key")
	tests := []struct{ text, answer string }{
		{"¿qué es la clave?", "faq.answer.key.what"},
		{"¿la clave sirve para la AFIP?", "faq.answer.key.not_afip"},
	}
	for _, tt := range tests {
		rs := j.turn("a", tt.text)
		want := es.Sprint(i18n.M(i18n.Key(tt.answer)))
		answered := false
		for _, r := range rs {
			answered = answered || r.Text == want
		}
		if !answered || len(rs) == 0 || rs[len(rs)-1].Expect != "confirm_key" {
			t.Errorf("%q at the confirmation: %+v; want %q and the confirmation asked again", tt.text, rs, want)
		}
	}
	j.expect("a", "Mate2025amargo", "menu")
}
