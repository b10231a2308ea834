package web_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/desk/web"
	"github.com/clavebot/clavebot/internal/clientip"
)

func trusted(t *testing.T, cidrs string) *clientip.Resolver {
	t.Helper()
	r, err := clientip.Parse(cidrs)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// from makes c's connections leave from ip: every 127.x address is this
// machine's, so each stands for a different client.
func (c *agentClient) from(ip string) *agentClient {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	c.http.Transport = &http.Transport{DialContext: d.DialContext}
	return c
}

// on points c at another desk server; the cookies go along.
func (c *agentClient) on(base string) *agentClient {
	d := *c
	d.base = base
	return &d
}

// signIn signs c in and returns the session's CSRF token.
func (c *agentClient) signIn(name, password string) string {
	c.t.Helper()
	_, tok := c.page()
	if r := c.login(name, password, tok); r.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("sign-in of %s: %d", name, r.StatusCode)
	}
	_, csrf := c.page()
	return csrf
}

// loginVia signs in with extra headers (a proxy's X-Forwarded-For).
func (c *agentClient) loginVia(name, password, csrf string, hdr http.Header) int {
	c.t.Helper()
	form := url.Values{"name": {name}, "password": {password}, "csrf": {csrf}}
	req, _ := http.NewRequest(http.MethodPost, c.base+"/desk/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (c *agentClient) get(path string) (int, string) {
	c.t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// stream is an open /desk/events.
type stream struct {
	resp  *http.Response
	ended chan struct{}
}

func (c *agentClient) openStream() *stream {
	c.t.Helper()
	resp, err := c.http.Get(c.base + "/desk/events")
	if err != nil {
		c.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		c.t.Fatalf("events: %d", resp.StatusCode)
	}
	r := bufio.NewReader(resp.Body)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			c.t.Fatal(err)
		}
		if strings.HasPrefix(line, ": connected") {
			break
		}
	}
	s := &stream{resp: resp, ended: make(chan struct{})}
	go func() {
		io.Copy(io.Discard, r)
		close(s.ended)
	}()
	c.t.Cleanup(func() { resp.Body.Close() })
	return s
}

// waitEnd fails unless the server ends the stream. The deadline only
// keeps a broken server from hanging the test.
func (s *stream) waitEnd(t *testing.T, what string) {
	t.Helper()
	select {
	case <-s.ended:
	case <-time.After(15 * time.Second):
		s.resp.Body.Close()
		t.Fatalf("%s: the event stream still flows", what)
	}
}

// listening waits until n desk servers listen for ends of sessions, so a
// notice sent next reaches them all.
func (e *env) listening(t *testing.T, n int64) {
	t.Helper()
	ch := e.prefix + "desk:session-ends"
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if subs, err := e.rdb.PubSubNumSub(context.Background(), ch).Result(); err == nil && subs[ch] >= n {
			return
		}
	}
	t.Fatalf("fewer than %d desk servers listen on %s", n, ch)
}

// TestRemovedAgentLosesSessionsAndStreams: once an agent is removed, no
// desk server (two here, sharing Redis and the database) answers their
// session, and their open event streams end.
func TestRemovedAgentLosesSessionsAndStreams(t *testing.T) {
	ctx := context.Background()
	// Removed through the accounts, the servers are told through Redis:
	// their periodic check is set an hour apart, so only the notice can end
	// the streams in time. Removed in the database alone, the check finds it.
	tests := []struct {
		name    string
		recheck time.Duration
		remove  func(*env) error
	}{
		{"removed as clavebot agent remove does", time.Hour, func(e *env) error { return e.acc.Remove(ctx, "ana") }},
		{"removed in the database only", 0, func(e *env) error { return e.store.RemoveAgent(ctx, "ana") }},
		{"removed and added again", 0, func(e *env) error {
			if err := e.store.RemoveAgent(ctx, "ana"); err != nil {
				return err
			}
			return e.acc.Add(ctx, "ana", "otra-clave-de-ana-9", desk.RoleAgent)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, web.WithRecheck(tt.recheck))
			other := e.twin(t)
			c := newClient(t, e)
			c.signIn("ana", agentPassword)
			streams := []*stream{c.openStream(), c.on(other.URL).openStream()}
			e.listening(t, 2)
			if err := tt.remove(e); err != nil {
				t.Fatal(err)
			}
			for i, s := range streams {
				s.waitEnd(t, fmt.Sprintf("server %d", i+1))
			}
			for i, base := range []string{e.srv.URL, other.URL} {
				if code, _ := c.on(base).get("/desk/api/board"); code != http.StatusUnauthorized {
					t.Errorf("server %d answers the removed agent's session: %d", i+1, code)
				}
			}
		})
	}
}

// TestSignOutEndsStreams: signing out on one server ends the session's
// event streams on every server, told through Redis (the periodic check is
// an hour apart here).
func TestSignOutEndsStreams(t *testing.T) {
	e := newEnv(t, web.WithRecheck(time.Hour))
	other := e.twin(t)
	c := newClient(t, e)
	csrf := c.signIn("ana", agentPassword)
	streams := []*stream{c.openStream(), c.on(other.URL).openStream()}
	e.listening(t, 2)
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/desk/logout", strings.NewReader(url.Values{"csrf": {csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", resp.StatusCode)
	}
	for i, s := range streams {
		s.waitEnd(t, fmt.Sprintf("server %d", i+1))
	}
	if code, _ := c.on(other.URL).get("/desk/api/board"); code != http.StatusUnauthorized {
		t.Errorf("the other server still answers the session: %d", code)
	}
}

// TestAgentCannotReadAnotherAgentsChat: an agent reads the queue and
// their own chats, not a chat another agent took.
func TestAgentCannotReadAnotherAgentsChat(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.acc.Add(ctx, "beto", "clave-de-beto-123", desk.RoleAgent); err != nil {
		t.Fatal(err)
	}
	e.say(t, "p1", "hola")
	e.say(t, "p1", "hablar con una persona")
	ana, beto := newClient(t, e), newClient(t, e)
	anaCSRF := ana.signIn("ana", agentPassword)
	beto.signIn("beto", "clave-de-beto-123")
	if code, _ := beto.get("/desk/api/chats/rest:p1"); code != http.StatusOK {
		t.Fatalf("a waiting chat is not readable by the desk: %d", code)
	}
	if r := ana.post("/desk/api/chats/rest:p1/take", anaCSRF); r.StatusCode != http.StatusOK {
		t.Fatalf("take: %d", r.StatusCode)
	}
	if code, body := beto.get("/desk/api/chats/rest:p1"); code == http.StatusOK {
		t.Errorf("beto reads ana's chat: %s", body)
	}
	if _, body := beto.get("/desk/api/board?stats=0"); strings.Contains(body, "rest:p1") {
		t.Errorf("beto's board shows ana's chat: %s", body)
	}
	if code, _ := ana.get("/desk/api/chats/rest:p1"); code != http.StatusOK {
		t.Errorf("ana cannot read her own chat: %d", code)
	}
	// A supervisor reads every chat.
	if err := e.acc.Add(ctx, "sara", "clave-de-sara-123", desk.RoleSupervisor); err != nil {
		t.Fatal(err)
	}
	sara := newClient(t, e)
	sara.signIn("sara", "clave-de-sara-123")
	if code, _ := sara.get("/desk/api/chats/rest:p1"); code != http.StatusOK {
		t.Errorf("the supervisor cannot read ana's chat: %d", code)
	}
	if _, body := sara.get("/desk/api/board?stats=0"); !strings.Contains(body, "rest:p1") {
		t.Errorf("the supervisor's board lacks ana's chat: %s", body)
	}
}

// TestOutsiderCannotLockAgentOut: wrong passwords from one address slow
// that address down, not the agent signing in from another.
func TestOutsiderCannotLockAgentOut(t *testing.T) {
	e := newEnv(t)
	outsider := newClient(t, e).from("127.0.0.2")
	_, tok := outsider.page()
	refused := 0
	for i := range 12 {
		switch code := outsider.login("ana", fmt.Sprintf("adivinanza-%02d", i), tok).StatusCode; code {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests:
			refused++
		default:
			t.Fatalf("outsider's attempt %d: %d", i+1, code)
		}
	}
	if refused == 0 {
		t.Error("twelve wrong passwords in a row from one address were all judged")
	}
	real := newClient(t, e).from("127.0.0.3")
	_, tok = real.page()
	if code := real.login("ana", agentPassword, tok).StatusCode; code != http.StatusSeeOther {
		t.Fatalf("ana, from her own address, after the outsider's attempts: %d, want 303", code)
	}
}

// TestForwardedForOnlyFromTrustedProxies: behind an ingress every client
// has its own limits; a client that is not a trusted proxy cannot choose
// its address with X-Forwarded-For.
func TestForwardedForOnlyFromTrustedProxies(t *testing.T) {
	t.Run("through the ingress", func(t *testing.T) {
		e := newEnv(t, web.WithTrustedProxies(trusted(t, "127.0.0.1/32")))
		ingress := newClient(t, e) // connects from 127.0.0.1, like the ingress
		_, tok := ingress.page()
		for i := range 40 { // forty strangers, each mistyping once
			via := http.Header{"X-Forwarded-For": {fmt.Sprintf("203.0.113.%d", i+1)}}
			if code := ingress.loginVia(fmt.Sprintf("persona%d", i), "incorrecta-123", tok, via); code != http.StatusUnauthorized {
				t.Fatalf("stranger %d: %d", i+1, code)
			}
		}
		via := http.Header{"X-Forwarded-For": {"198.51.100.7"}}
		if code := ingress.loginVia("ana", agentPassword, tok, via); code != http.StatusSeeOther {
			t.Fatalf("ana through the ingress: %d, want 303", code)
		}
	})
	t.Run("not a trusted proxy", func(t *testing.T) {
		e := newEnv(t, web.WithTrustedProxies(trusted(t, "127.0.0.1/32")))
		spoofer := newClient(t, e).from("127.0.0.2")
		_, tok := spoofer.page()
		limited := false
		for i := range 12 {
			via := http.Header{"X-Forwarded-For": {fmt.Sprintf("192.0.2.%d", i+1)}}
			if spoofer.loginVia("ana", fmt.Sprintf("adivinanza-%02d", i), tok, via) == http.StatusTooManyRequests {
				limited = true
			}
		}
		if !limited {
			t.Error("a made-up X-Forwarded-For gave each attempt a fresh address")
		}
	})
}
