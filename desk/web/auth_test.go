package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/desk/web"
)

// agentClient is a browser without JavaScript: a cookie jar, no redirects
// followed.
type agentClient struct {
	t    *testing.T
	e    *env
	http *http.Client
	base string // the desk server's URL
}

func newClient(t *testing.T, e *env) *agentClient {
	jar, _ := cookiejar.New(nil)
	return &agentClient{t: t, e: e, base: e.srv.URL, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfField = regexp.MustCompile(`name="csrf" (?:value|content)="([^"]+)"`)

// page GETs /desk/ and returns the response and the page's CSRF token.
func (c *agentClient) page() (*http.Response, string) {
	c.t.Helper()
	resp, err := c.http.Get(c.base + "/desk/")
	if err != nil {
		c.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(body)
	if m == nil {
		c.t.Fatalf("no CSRF token in the page:\n%s", body)
	}
	return resp, string(m[1])
}

func (c *agentClient) login(name, password, csrf string) *http.Response {
	c.t.Helper()
	resp, err := c.http.PostForm(c.base+"/desk/login", url.Values{"name": {name}, "password": {password}, "csrf": {csrf}})
	if err != nil {
		c.t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func (c *agentClient) post(path, csrf string) *http.Response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(`{"text":"hola"}`))
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func cookieNamed(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestSignIn(t *testing.T) {
	e := newEnv(t, web.WithSecureCookie(true))
	tests := []struct {
		name     string
		user, pw string
		csrf     func(good string) string
		want     int
	}{
		{"no CSRF token", "ana", agentPassword, func(string) string { return "" }, http.StatusForbidden},
		{"forged CSRF token", "ana", agentPassword, func(string) string { return "ATTACKERTOKEN0000000000000" }, http.StatusForbidden},
		{"wrong password", "ana", "incorrecta-123", func(g string) string { return g }, http.StatusUnauthorized},
		{"unknown agent", "nadie", agentPassword, func(g string) string { return g }, http.StatusUnauthorized},
		{"right password", "ana", agentPassword, func(g string) string { return g }, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, e)
			resp, tok := c.page()
			pre := cookieNamed(resp, "clavebot_desk_csrf")
			if pre == nil || !pre.HttpOnly || !pre.Secure || pre.SameSite != http.SameSiteStrictMode {
				t.Fatalf("pre-sign-in cookie = %+v", pre)
			}
			got := c.login(tt.user, tt.pw, tt.csrf(tok))
			if got.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", got.StatusCode, tt.want)
			}
			sess := cookieNamed(got, "clavebot_desk_session")
			if tt.want != http.StatusSeeOther {
				if sess != nil {
					t.Fatal("a session cookie without signing in")
				}
				return
			}
			if sess == nil || !sess.HttpOnly || !sess.Secure || sess.SameSite != http.SameSiteStrictMode || sess.Path != "/desk/" {
				t.Fatalf("session cookie = %+v", sess)
			}
		})
	}
}

func TestAPIRequiresSessionAndCSRF(t *testing.T) {
	e := newEnv(t)
	anon := newClient(t, e)
	if r := anon.post("/desk/api/chats/rest:x/take", "x"); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("take without a session: %d", r.StatusCode)
	}
	c := newClient(t, e)
	_, tok := c.page()
	if r := c.login("ana", agentPassword, tok); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", r.StatusCode)
	}
	_, sessionCSRF := c.page()
	tests := []struct {
		name string
		csrf string
		want int
	}{
		{"no token", "", http.StatusForbidden},
		{"the pre-sign-in token", tok, http.StatusForbidden},
		{"the session's token", sessionCSRF, http.StatusNotFound}, // no such chat, but allowed through
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := c.post("/desk/api/chats/rest:nobody/take", tt.csrf); r.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", r.StatusCode, tt.want)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	resp, _ := newClient(t, e).page()
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP = %q", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
}
