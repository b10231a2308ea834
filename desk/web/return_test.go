package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/web"
)

// postForm posts form to path as the page's forms do.
func (c *agentClient) postForm(path string, form url.Values) (int, string) {
	c.t.Helper()
	resp, err := c.http.PostForm(c.base+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, b.String()
}

// convOf is chat's conversation as a supervisor's board lists it.
func (e *env) convOf(t *testing.T, chat string) (desk.Conversation, bool) {
	t.Helper()
	board, err := e.desk.Board(context.Background(), desk.Agent{Name: "sara", Role: desk.RoleSupervisor})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range board {
		if c.Chat == chat {
			return c, true
		}
	}
	return desk.Conversation{}, false
}

// TestOpenChatsGoBackWhenTheAgentLeaves: an agent who signed out, whose
// sign-in ended, or whose account was removed kept their open chats, the
// people writing to nobody until a supervisor took them over (a desk
// probe: ana signed out with rest:p1 taken; the person's "hola? sigue
// ahi?" got nothing, the chat ana's in Redis). Signing out with chats
// open asks the agent to give them back, and does so when told; a
// session that ended or an account removed gives them back by itself.
// Either way the chat goes to the head of the line, the person is told
// that another person will continue and need not repeat anything, and
// the next agent reads the conversation so far.
func TestOpenChatsGoBackWhenTheAgentLeaves(t *testing.T) {
	ctx := context.Background()
	fast := []web.Option{web.WithRecheck(20 * time.Millisecond), web.WithOrphanCheck(20 * time.Millisecond)}
	tests := []struct {
		name  string
		opts  []web.Option
		leave func(t *testing.T, e *env, c *agentClient, csrf string)
	}{
		{"signed out, giving the chats back", fast, func(t *testing.T, e *env, c *agentClient, csrf string) {
			// Asked first: the sign-out is refused while chats are open,
			// and says which and how to give them back.
			code, body := c.postForm("/desk/logout", url.Values{"csrf": {csrf}})
			if code != http.StatusConflict || !strings.Contains(body, es(t, "deskpage.return_and_leave")) {
				t.Fatalf("sign-out with a chat open: %d\n%s", code, body)
			}
			if code, _ := c.get("/desk/api/board"); code != http.StatusOK {
				t.Fatalf("the refused sign-out ended the session: %d", code)
			}
			if got, _ := e.convOf(t, "rest:left"); got.Status != desk.Active || got.Agent != "ana" {
				t.Fatalf("the refused sign-out gave the chat back: %+v", got)
			}
			if code, _ := c.postForm("/desk/logout", url.Values{"csrf": {csrf}, "open": {"return"}}); code != http.StatusSeeOther {
				t.Fatalf("sign-out giving the chats back: %d", code)
			}
		}},
		{"the sign-in ended", append([]web.Option{web.WithSessionIdle(1500 * time.Millisecond)}, fast...),
			func(t *testing.T, e *env, c *agentClient, csrf string) {}},
		{"the account was removed", fast, func(t *testing.T, e *env, c *agentClient, csrf string) {
			if err := e.acc.Remove(ctx, "ana"); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.opts...)
			c := newClient(t, e)
			csrf := c.signIn("ana", agentPassword)
			e.say(t, "left", "hablar con una persona")
			if _, err := e.desk.Take(ctx, "ana", "rest:left"); err != nil {
				t.Fatal(err)
			}
			if err := e.desk.Reply(ctx, "ana", "rest:left", "hola, soy ana: ¿qué te pasa?"); err != nil {
				t.Fatal(err)
			}
			e.say(t, "left", "no me llega el codigo al correo")
			e.say(t, "other", "hablar con una persona") // came later: waits behind
			// While ana is signed in, her chat stays hers, whatever
			// the checks of absent agents find.
			time.Sleep(100 * time.Millisecond)
			if got, _ := e.convOf(t, "rest:left"); got.Status != desk.Active || got.Agent != "ana" {
				t.Fatalf("a present agent's chat was given back: %+v", got)
			}
			tt.leave(t, e, c, csrf)
			var back desk.Conversation
			for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				if got, ok := e.convOf(t, "rest:left"); ok && got.Status == desk.Waiting {
					back = got
					break
				}
				if time.Now().After(deadline) {
					got, _ := e.convOf(t, "rest:left")
					t.Fatalf("the chat stayed with the agent who left: %+v", got)
				}
			}
			if back.Position != 1 || back.Agent != "" {
				t.Fatalf("given back as %+v, want at the head of the line, nobody's", back)
			}
			if other, _ := e.convOf(t, "rest:other"); other.Position != 2 {
				t.Fatalf("the person who came later is at place %d, want 2", other.Position)
			}
			e.waitPushed(t, "left", "otra persona de la mesa de ayuda va a seguir tu consulta")
			// The person's next message is in the line, as anyone's.
			if rs := e.say(t, "left", "hola? sigue alguien?"); len(rs) == 0 || !strings.Contains(rs[0].Text, "lugar 1") {
				t.Fatalf("the person's message after the return got %+v", rs)
			}
			// The next agent reads everything so far, why it came back
			// included, and takes it.
			_, msgs, err := e.desk.Chat(ctx, desk.Agent{Name: "beto", Role: desk.RoleAgent}, "rest:left")
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, m := range msgs {
				lines = append(lines, m.Text)
			}
			all := strings.Join(lines, "\n")
			for _, want := range []string{"hola, soy ana", "no me llega el codigo", "hola? sigue alguien?", "volvió a la fila"} {
				if !strings.Contains(all, want) {
					t.Errorf("the next agent does not read %q in:\n%s", want, all)
				}
			}
			if _, err := e.desk.Take(ctx, "beto", "rest:left"); err != nil {
				t.Fatal(err)
			}
			e.waitPushed(t, "left", "beto, de la mesa de ayuda")
		})
	}
}
