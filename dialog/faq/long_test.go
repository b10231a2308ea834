package faq

import (
	"slices"
	"testing"
)

func TestClauses(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"hola buen dia mira te cuento que quiero sacar la clave de anses porque me dijeron en el banco que la necesito",
			[]string{"hola buen dia mira te cuento que", "quiero sacar la clave de anses", "porque me dijeron en el banco que la necesito"}},
		// Marks end a clause; a short one joins the next.
		{"hola, buen día. Me olvidé la clave y no sé qué hacer",
			[]string{"hola buen día Me olvidé la clave", "y no sé qué hacer"}},
		{"i changed phones and i lost everything", []string{"i changed phones and i lost everything"}},
	}
	for _, tt := range tests {
		if got := clauses(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("clauses(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestWithoutOpening(t *testing.T) {
	for text, want := range map[string]string{
		"hola buen dia mira te cuento que": "mira te cuento que",
		"Buenas tardes, quiero la clave":   "quiero la clave",
		"hola":                             "hola",
		"quiero sacar la clave":            "quiero sacar la clave",
	} {
		if got := withoutOpening(text); got != want {
			t.Errorf("withoutOpening(%q) = %q, want %q", text, got, want)
		}
	}
}

// Voice notes typed out: a request told among its reasons was out of
// scope as a whole (a probe); read clause by clause, the request stands
// for the message. A long message out of scope is not answered, though a
// clause of it reads as something else ("no sé a quién preguntar").
func TestLongMessagesByClause(t *testing.T) {
	c := newClassifier(t)
	tests := []struct{ text, want string }{
		{"hola buen dia mira te cuento que quiero sacar la clave de anses porque me dijeron en el banco que la necesito " +
			"para cobrar la pension de mi marido que fallecio y no se como se hace yo tengo el dni aca", "key.create"},
		{"buenas tardes soy maria tengo 70 años y mi nieto me dijo que tengo que crear la clave de la seguridad social " +
			"asi puedo ver mis cobros en el celular", "key.create"},
		{"good morning, i had my password but i changed my phone last year and now i cannot remember it and i need to " +
			"check my pension so i want to reset it", "key.recover"},
		{"hola buen dia queria saber cuando cobro la pension de mi marido que fallecio el mes pasado porque fui al banco " +
			"y no me dieron nada y no se a quien preguntar", None},
		{"mira te cuento que quiero hablar con alguien del banco porque no me depositaron la plata y ya paso una semana", None},
		{"buen dia mira te cuento que fui a la oficina de anses para hacer lo de la pension y me dijeron que vuelva en " +
			"marzo y no entiendo por que si ya tengo todos los papeles", None},
	}
	for _, tt := range tests {
		g := c.Classify(tt.text)[0]
		answered := g.Intent != None && g.Score >= AnswerThreshold
		if tt.want == None && answered || tt.want != None && (g.Intent != tt.want || !answered) {
			t.Errorf("Classify(%.50q…) = %v, want %s", tt.text, g, tt.want)
		}
	}
}
