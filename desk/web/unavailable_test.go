package web_test

import (
	"io"
	"net/http"
	"net/url"
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
	for _, wrong := range []string{esBefore(t, "deskpage.ended"), `id="signin"`} {
		if strings.Contains(page, wrong) {
			t.Errorf("the page has %q while the session lives:\n%s", wrong, page)
		}
	}
	for _, want := range []string{es(t, "deskpage.unavailable_heading"), es(t, "deskpage.unavailable"), `http-equiv="refresh"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q:\n%s", want, page)
		}
	}
	if cookieNamed(resp, "clavebot_desk_session") != nil {
		t.Error("the page touched the session cookie")
	}
}

// TestSignOutWhileTheDeskIsAway: «Salir» is a form the browser posts,
// and with the database (or Redis) away it answered JSON, which the
// agent read raw: {"code":"unavailable","error":"sessions unavailable;
// try again shortly"} (found by a desk probe). It answers the page that
// says the desk does not answer; a sign-out whose session already ended
// goes to the sign-in form, as any sign-out does.
func TestSignOutWhileTheDeskIsAway(t *testing.T) {
	e := newEnv(t)
	gone := newClient(t, e)
	csrf := gone.signIn("ana", agentPassword)
	gone.signOut()
	if resp := gone.form("/desk/logout", csrf); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/desk/" {
		t.Errorf("signing out of an ended session: %d to %q, want 303 to /desk/", resp.StatusCode, resp.Header.Get("Location"))
	}
	c := newClient(t, e)
	csrf = c.signIn("ana", agentPassword)
	e.dropDB()
	resp := c.form("/desk/logout", csrf)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(body), es(t, "deskpage.unavailable_heading")) {
		t.Errorf("signing out with the database away: %d %s %.200s; want the page that says the desk does not answer",
			resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}

// form posts the desk's form at path with its csrf field, as a browser
// does; the body is left to read.
func (c *agentClient) form(path, csrf string) *http.Response {
	c.t.Helper()
	resp, err := c.http.PostForm(c.base+path, url.Values{"csrf": {csrf}})
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { resp.Body.Close() })
	return resp
}
