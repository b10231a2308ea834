package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/desk"
)

// TestQueueTellsPositions: people waiting are told when the queue moves,
// and "cancelar" takes a person back to the bot.
func TestQueueTellsPositions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for i, p := range []string{"q1", "q2", "q3"} {
		rs := e.say(t, p, "hablar con una persona")
		if want := "lugar " + string(rune('1'+i)); !strings.Contains(rs[len(rs)-1].Text, want) {
			t.Fatalf("%s: %+v, want %q", p, rs, want)
		}
	}
	if _, err := e.desk.Take(ctx, "ana", "rest:q1"); err != nil {
		t.Fatal(err)
	}
	e.waitPushed(t, "q1", "ana, de la mesa de ayuda")
	e.waitPushed(t, "q2", "ahora estás en el lugar 1")
	e.waitPushed(t, "q3", "ahora estás en el lugar 2")
	// Waiting, a message is acknowledged; with an agent, the agent
	// answers and the bot says nothing.
	if rs := e.say(t, "q3", "¿hola? ¿hay alguien?"); len(rs) != 1 || !strings.Contains(rs[0].Text, "Recibimos tu mensaje") {
		t.Fatalf("a message while waiting: %+v", rs)
	}
	if rs := e.say(t, "q1", "hola Ana"); len(rs) != 0 {
		t.Fatalf("a message to the agent: the bot said %+v", rs)
	}
	rs := e.say(t, "q2", "cancelar")
	if !strings.Contains(rs[0].Text, "Saliste de la fila") || rs[len(rs)-1].Expect != "menu" {
		t.Fatalf("cancelar: %+v", rs)
	}
	e.waitPushed(t, "q3", "ahora estás en el lugar 1")
	board, err := e.desk.Board(ctx, desk.Agent{Name: "sup", Role: desk.RoleSupervisor})
	if err != nil || len(board) != 2 {
		t.Fatalf("board %+v, %v", board, err)
	}
}
