package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestPageWhileTheDeskIsAway is an agent signed in who reloads the desk
// while its database (or Redis) does not answer: the page said «Tu
// sesión terminó; volvé a entrar» over the sign-in form, and signing in
// failed too (found by a desk probe with Redis stopped). The session
// did not end: the page says the desk does not answer and comes back by
// itself.
func TestPageWhileTheDeskIsAway(t *testing.T) {
	e := newEnv(t)
	c := newClient(t, e)
	_, tok := c.page()
	if resp := c.login("ana", agentPassword, tok); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", resp.StatusCode)
	}
	e.dropDB()
	resp, err := c.http.Get(c.base + "/desk/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(body)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503", resp.StatusCode)
	}
	for _, wrong := range []string{"Tu sesión terminó", `id="signin"`} {
		if strings.Contains(page, wrong) {
			t.Errorf("the page has %q while the session lives:\n%s", wrong, page)
		}
	}
	for _, want := range []string{"La mesa no responde", "Tu sesión sigue", `http-equiv="refresh"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q:\n%s", want, page)
		}
	}
	if cookieNamed(resp, "clavebot_desk_session") != nil {
		t.Error("the page touched the session cookie")
	}
}
