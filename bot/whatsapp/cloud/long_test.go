package cloud

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/clavebot/clavebot/bot"
)

// TestLongMessageGoesInParts: Meta takes a text of at most 4,096
// characters; a longer one (an agent's long answer, a reply of 10 KB) was
// refused with a 400 and became a dead letter, the person getting
// nothing. It goes in parts, in order, each sent once.
func TestLongMessageGoesInParts(t *testing.T) {
	long := strings.Repeat("Para crear tu clave necesitás tu DNI y tu CUIL a mano. ", 100) + "\n\n" +
		strings.Repeat("Último párrafo 👍 ", 300)
	w := newWorld(t)
	w.g.Text(alice, "hola")
	w.waitSent(t, 1)
	w.deliver(t, "agent:a1", long)
	w.drain(t)
	got := w.g.Texts(alice)[1:]
	if len(got) < 3 {
		t.Fatalf("Meta took %d messages, want the long one in parts: %v", len(got), w.delivery(t).Statuses)
	}
	for i, p := range got {
		if n := utf8.RuneCountInString(p); n > 4096 {
			t.Errorf("part %d has %d characters", i, n)
		}
	}
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if squash(strings.Join(got, " ")) != squash(long) {
		t.Error("the parts do not add up to the message")
	}
	if st := w.delivery(t).Statuses["agent:a1"]; st.State == bot.Failed {
		t.Errorf("agent's message %+v", st)
	}
}

func TestSplitLeavesRoomForTheOptions(t *testing.T) {
	c := newHarness(t).c
	opts := []string{"Crear mi clave por primera vez", "Recuperar mi clave (me la olvidé)", "Cambiar mi clave"}
	tests := []struct {
		name  string
		m     bot.Message
		parts int
	}{
		{"short", bot.Message{Text: "¿Qué querés hacer?", Options: opts, Question: "q1"}, 1},
		{"long", bot.Message{Text: strings.Repeat("palabra ", 1200), Options: opts, Question: "q1"}, 3},
		{"text just under the limit", bot.Message{Text: strings.Repeat("x", 4090), Options: opts, Question: "q1"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Split(tt.m)
			if len(got) != tt.parts {
				t.Fatalf("%d parts, want %d", len(got), tt.parts)
			}
			for i, p := range got {
				if n := utf8.RuneCountInString(bot.NumberedText(p)); n > 4096 {
					t.Errorf("part %d renders %d characters", i, n)
				}
			}
			if last := got[len(got)-1]; last.Question != "q1" || len(last.Options) != 3 {
				t.Errorf("last part %+v, want the options", last)
			}
		})
	}
}
