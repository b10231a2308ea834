package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
)

// lastAtDesk waits until the chat's last message on the desk contains
// want, and returns it.
func (e *cloudEnv) lastAtDesk(t *testing.T, chat, want string) string {
	t.Helper()
	var last string
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		_, msgs, err := e.desk.Chat(context.Background(), desk.Agent{Name: "sara", Role: desk.RoleSupervisor}, chat)
		if err == nil && len(msgs) > 0 {
			if last = msgs[len(msgs)-1].Text; strings.Contains(last, want) {
				return last
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the desk's last message of %s is %q, want %q", chat, last, want)
	return ""
}

// sentSince is what Meta took for the person after the first n messages.
func (e *cloudEnv) sentSince(n int) []string {
	return e.g.Texts(person)[n:]
}

// TestWhatTheBotCannotReadReachesTheDesk: a photo, a voice note or a
// message over 1,000 characters sent in the line or to an agent never
// reached the desk, and the person was told the bot reads only text and
// "Seguís en la fila", with an agent attending them (found by a probe).
// The desk reads what was sent ("[la persona envió una foto]"), a long
// message whole (its beginning when longer than a message can be); the
// person is told the agent cannot see photos or hear audio, and where
// they are.
func TestWhatTheBotCannotReadReachesTheDesk(t *testing.T) {
	e := newCloudEnv(t)
	ctx := context.Background()
	chat := "whatsapp:" + person
	e.g.Text(person, "hola")
	e.g.Text(person, "hablar con una persona")
	e.lastSent(t, "lugar 1")
	refused := func(got []string) {
		t.Helper()
		for _, s := range got {
			if strings.Contains(s, "solo puedo leer texto") || strings.Contains(s, "muy largo para mí") {
				t.Errorf("the person was told %q", s)
			}
		}
	}

	// In the line: the photo is on the desk, the person keeps their place.
	n := len(e.g.Texts(person))
	e.g.Media(person, "image")
	e.lastAtDesk(t, chat, "[la persona envió una foto]")
	e.lastSent(t, "no puede ver fotos")
	e.lastSent(t, "lugar 1")
	refused(e.sentSince(n))

	if _, err := e.desk.Take(ctx, "ana", chat); err != nil {
		t.Fatal(err)
	}
	e.lastSent(t, "tomó tu consulta")
	// With an agent: a voice note.
	n = len(e.g.Texts(person))
	e.g.Media(person, "audio")
	e.lastAtDesk(t, chat, "[la persona envió un audio]")
	e.lastSent(t, "ya te está atendiendo")
	got := e.sentSince(n)
	refused(got)
	for _, s := range got {
		if strings.Contains(s, "Seguís en la fila") {
			t.Errorf("with an agent the person was told %q", s)
		}
	}
	// A long message reaches the agent whole, and the bot says nothing.
	long := strings.Repeat("Les cuento lo que me pasó con la clave. ", 40) + "FIN"
	n = len(e.g.Texts(person))
	e.g.Text(person, long)
	if got := e.lastAtDesk(t, chat, "FIN"); got != long {
		t.Errorf("the desk got %d characters of %d", len([]rune(got)), len([]rune(long)))
	}
	// Longer than a message can be: its beginning, said so.
	longer := strings.Repeat("x", 5000)
	e.g.Text(person, longer)
	got0 := e.lastAtDesk(t, chat, "[mensaje demasiado largo")
	if !strings.Contains(got0, strings.Repeat("x", 4096)) || strings.Contains(got0, strings.Repeat("x", 4097)) {
		t.Errorf("the desk got %d characters of a 5,000-character message", len([]rune(got0)))
	}
	e.lastSent(t, "primeros 4096 caracteres")
	got = e.sentSince(n)
	refused(got)
	if len(got) != 1 {
		t.Errorf("the person was told %q, want the cut said once", got)
	}
}
