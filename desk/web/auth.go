package web

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/internal/errs"
	"github.com/clavebot/clavebot/internal/httpjson"
)

// Cookie names. All are HttpOnly and SameSite=Strict.
const (
	sessionCookie = "clavebot_desk_session"
	csrfCookie    = "clavebot_desk_csrf"   // before sign-in, checked against the form's token
	deviceCookie  = "clavebot_desk_device" // a browser an agent signed in on (signin.go)
)

type pageData struct {
	Agent      string
	Supervisor bool // may take over a chat another agent has
	CSRF       string
	Error      string
	Notice     string   // why the sign-in before this one ended
	MaxReply   int      // the longest reply, for the reply box
	Open       []string // the agent's open chats, when they sign out
	Zone       string   // the desk's zone, in which the page shows times ("": Argentina's)
	Retry      int      // seconds before the page loads itself again (unavailable.html)
	Lang       string   // the page's language, its html lang
	// Texts are the page's words for its scripts (app.html), by key.
	Texts map[string]string
}

// retryPage is how often the page shown while the desk does not answer
// loads itself again.
const retryPage = 10

// page is the desk for a signed-in agent, the sign-in form otherwise.
func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	s, _, err := h.session(r)
	if err == nil {
		h.render(w, http.StatusOK, "app.html", pageData{Agent: s.Agent, Supervisor: s.Viewer().ReadsAll(), CSRF: s.CSRF, MaxReply: desk.MaxReply,
			Zone: h.desk.Hours().Zone()})
		return
	}
	// A session that could not be read (Redis or the database away) did
	// not end: the sign-in form said «Tu sesión terminó», and signing in
	// failed too (found by a desk probe). The page says the desk does not
	// answer and loads itself again until it does.
	if !errs.Is(errs.NotFound, err) {
		h.unavailable(w)
		return
	}
	h.render(w, http.StatusOK, "login.html", pageData{CSRF: h.loginToken(w, r), Notice: h.endedNotice(r)})
}

// unavailable is the page that says the desk does not answer (a session
// that could not be read, Redis or the database away), which loads
// itself again until it does.
func (h *Handler) unavailable(w http.ResponseWriter) {
	w.Header().Set("Retry-After", strconv.Itoa(retryPage))
	h.render(w, http.StatusServiceUnavailable, "unavailable.html", pageData{Retry: retryPage})
}

// endedNotice says why the sign-in ended, when the form follows one: the
// page went back to the form without a word (found by a probe), its
// agent left to guess whether they were thrown out. The page names the
// reason it saw (?ended=idle, cap or closed); a session cookie left over
// from a session that is gone says it ended.
func (h *Handler) endedNotice(r *http.Request) string {
	switch r.URL.Query().Get("ended") {
	case "idle":
		return h.texts.say("deskpage.ended_idle")
	case "cap":
		if ttl := h.cfg.SessionTTL; ttl >= time.Hour && ttl%time.Hour == 0 {
			return h.texts.say("deskpage.ended_cap_hours", "hours", int(ttl/time.Hour))
		}
		return h.texts.say("deskpage.ended_cap")
	case "closed":
		return h.texts.say("deskpage.ended_closed")
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		return h.texts.say("deskpage.ended")
	}
	return ""
}

// loginToken is the pre-session CSRF token: the cookie's, or a new one.
func (h *Handler) loginToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 26 {
		return c.Value
	}
	tok := rand.Text()
	http.SetCookie(w, h.cookie(r, csrfCookie, tok, 0))
	return tok
}

// cookie is one of the desk's cookies, answering r. It is Secure when
// --desk-secure-cookie says so, and whenever r came over https: behind an
// https ingress whose operator left the flag off, the session went
// without it, and a browser sent it in clear to any http:// address of
// the host.
func (h *Handler) cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: name, Value: value, Path: "/desk/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: h.cfg.SecureCookie || h.cfg.TrustedProxies.HTTPS(r),
	}
}

func (h *Handler) render(w http.ResponseWriter, status int, name string, data pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	data.Lang = h.texts.lang()
	if name == "app.html" {
		data.Texts = h.texts.script
	}
	if err := h.tmpl.ExecuteTemplate(w, name, data); err != nil {
		h.cfg.Log.Warn("render", "err", err)
	}
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	name := desk.FoldName(r.PostFormValue("name"))
	c, err := r.Cookie(csrfCookie)
	if err != nil || !same(c.Value, r.PostFormValue("csrf")) {
		h.render(w, http.StatusForbidden, "login.html", pageData{CSRF: h.loginToken(w, r), Error: h.texts.say("deskpage.form_expired")})
		return
	}
	a := h.attempt(r, name)
	wait, err := h.admit(r.Context(), a)
	if err != nil {
		h.cfg.Log.Error("sign-in limits unavailable", "err", err)
		h.render(w, http.StatusServiceUnavailable, "login.html", pageData{CSRF: c.Value, Error: h.texts.say("deskpage.cannot_verify")})
		return
	}
	if wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		h.render(w, http.StatusTooManyRequests, "login.html", pageData{CSRF: c.Value,
			Error: h.texts.say("deskpage.too_many", "wait", spell(secs))})
		return
	}
	ag, ok, err := h.accounts.Verify(r.Context(), name, r.PostFormValue("password"))
	if err != nil {
		h.cfg.Log.Error("sign-in check failed", "err", err)
		h.render(w, http.StatusServiceUnavailable, "login.html", pageData{CSRF: c.Value, Error: h.texts.say("deskpage.cannot_verify")})
		return
	}
	if !ok {
		h.cfg.Log.Info("desk sign-in refused", "ip", a.addr.String())
		h.render(w, http.StatusUnauthorized, "login.html", pageData{CSRF: c.Value, Error: h.texts.say("deskpage.wrong_password")})
		return
	}
	h.succeeded(r.Context(), a)
	h.startSession(w, r, ag)
}

func (h *Handler) startSession(w http.ResponseWriter, r *http.Request, ag desk.Agent) {
	tok := rand.Text() + rand.Text()
	now := h.cfg.Now()
	s := desk.Session{ID: rand.Text()[:16], Agent: ag.Name, Epoch: ag.Epoch, CSRF: rand.Text(), Since: now, Until: now.Add(h.cfg.SessionIdle)}
	if err := h.sessions.Put(r.Context(), tok, s, h.cfg.SessionIdle); err != nil {
		h.render(w, http.StatusServiceUnavailable, "login.html", pageData{Error: h.texts.say("deskpage.cannot_start")})
		return
	}
	h.rememberDevice(w, r, ag.Name)
	h.cfg.Log.Info("desk sign-in", "agent", ag.Name)
	http.SetCookie(w, h.cookie(r, sessionCookie, tok, int(h.cfg.SessionTTL.Seconds())))
	http.SetCookie(w, h.cookie(r, csrfCookie, "", -1))
	http.Redirect(w, r, "/desk/", http.StatusSeeOther)
}

// logout ends the session on every desk server: its open pages close.
// An agent with chats open is asked first to give them back to the line
// (form field open=return) or to go back and close them.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request, s desk.Session) {
	open, err := h.desk.Open(r.Context(), s.Agent)
	if err != nil {
		h.fail(w, err)
		return
	}
	if len(open) > 0 && r.PostFormValue("open") != "return" {
		h.openChatsPage(w, s, open)
		return
	}
	if len(open) > 0 {
		if _, err := h.desk.ReturnAll(r.Context(), s.Agent, desk.ReturnedSignedOut); err != nil {
			h.fail(w, err)
			return
		}
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := h.sessions.End(r.Context(), c.Value, s); err != nil {
			h.cfg.Log.Warn("sign-out not announced", "err", err)
		}
	}
	h.ended(desk.SessionEnd{Session: s.ID}) // here at once, whatever Redis does
	h.cfg.Log.Info("desk sign-out", "agent", s.Agent)
	http.SetCookie(w, h.cookie(r, sessionCookie, "", -1))
	http.Redirect(w, r, "/desk/", http.StatusSeeOther)
}

// session is the request's session and its token, checked against the
// account: a removed agent, or one removed and added again, has none. The
// role is the account's now. NotFound when there is no live session.
func (h *Handler) session(r *http.Request) (desk.Session, string, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return desk.Session{}, "", errs.E(errs.NotFound, "session", http.ErrNoCookie)
	}
	ctx := r.Context()
	s, err := h.sessions.Get(ctx, c.Value)
	if err != nil {
		if !errs.Is(errs.NotFound, err) {
			h.cfg.Log.Warn("session lookup failed", "err", err)
		}
		return desk.Session{}, "", err
	}
	ag, err := h.accounts.Current(ctx, s.Agent)
	if errs.Is(errs.NotFound, err) || err == nil && ag.Epoch != s.Epoch {
		_ = h.sessions.Delete(ctx, c.Value)
		return desk.Session{}, "", errs.E(errs.NotFound, "session", errAccountGone)
	}
	if err != nil {
		h.cfg.Log.Warn("account lookup failed", "err", err)
		return desk.Session{}, "", err
	}
	s.Role = ag.Role
	return s, c.Value, nil
}

var errAccountGone = errors.New("the account was removed")

// agent requires a live session, and on POST the session's CSRF token in
// the X-CSRF-Token header or the csrf form field.
func (h *Handler) agent(next func(http.ResponseWriter, *http.Request, desk.Session)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, _, err := h.session(r)
		switch {
		case errs.Is(errs.NotFound, err):
			httpjson.Write(w, http.StatusUnauthorized, map[string]string{"error": "sign in first"})
			return
		case err != nil:
			httpjson.Write(w, http.StatusServiceUnavailable, map[string]string{"error": "sessions unavailable; try again shortly", "code": desk.RefusedUnavailable})
			return
		}
		if r.Method == http.MethodPost {
			tok := r.Header.Get("X-CSRF-Token")
			if tok == "" {
				tok = r.PostFormValue("csrf")
			}
			if !same(tok, s.CSRF) {
				httpjson.Write(w, http.StatusForbidden, map[string]string{"error": "bad CSRF token", "code": "csrf"})
				return
			}
		}
		next(w, r, s)
	})
}

// agentForm is agent for a form the browser posts and shows the answer
// of («Salir»): it answered JSON, read raw by the agent, when the desk did
// not answer (found by a desk probe). A session that cannot be read gets
// the page that says so; one that ended goes to the sign-in form.
func (h *Handler) agentForm(next func(http.ResponseWriter, *http.Request, desk.Session)) http.Handler {
	api := h.agent(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch _, _, err := h.session(r); {
		case errs.Is(errs.NotFound, err):
			http.Redirect(w, r, "/desk/", http.StatusSeeOther)
		case err != nil:
			h.unavailable(w)
		default:
			api.ServeHTTP(w, r)
		}
	})
}

func same(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
