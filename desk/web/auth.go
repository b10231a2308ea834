package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"net"
	"net/http"
	"strings"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/internal/errs"
)

// Cookie names. Both are HttpOnly and SameSite=Strict.
const (
	sessionCookie = "clavebot_desk_session"
	csrfCookie    = "clavebot_desk_csrf" // before sign-in, checked against the form's token
)

type pageData struct {
	Agent string
	CSRF  string
	Error string
}

// page is the desk for a signed-in agent, the sign-in form otherwise.
func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	if s, ok := h.session(r); ok {
		h.render(w, http.StatusOK, "app.html", pageData{Agent: s.Agent, CSRF: s.CSRF})
		return
	}
	h.render(w, http.StatusOK, "login.html", pageData{CSRF: h.loginToken(w, r)})
}

// loginToken is the pre-session CSRF token: the cookie's, or a new one.
func (h *Handler) loginToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 26 {
		return c.Value
	}
	tok := rand.Text()
	http.SetCookie(w, h.cookie(csrfCookie, tok, 0))
	return tok
}

func (h *Handler) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: name, Value: value, Path: "/desk/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: h.cfg.SecureCookie,
	}
}

func (h *Handler) render(w http.ResponseWriter, status int, name string, data pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := h.tmpl.ExecuteTemplate(w, name, data); err != nil {
		h.cfg.Log.Warn("render", "err", err)
	}
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	name := strings.ToLower(strings.TrimSpace(r.PostFormValue("name")))
	c, err := r.Cookie(csrfCookie)
	if err != nil || !same(c.Value, r.PostFormValue("csrf")) {
		h.render(w, http.StatusForbidden, "login.html", pageData{CSRF: h.loginToken(w, r), Error: "La sesión del formulario venció. Probá de nuevo."})
		return
	}
	if !h.allowed(r.Context(), name, clientIP(r)) {
		h.render(w, http.StatusTooManyRequests, "login.html", pageData{CSRF: c.Value, Error: "Demasiados intentos. Esperá unos minutos."})
		return
	}
	ok, err := h.verifier.Verify(r.Context(), name, r.PostFormValue("password"))
	if err != nil {
		h.cfg.Log.Error("sign-in check failed", "err", err)
		h.render(w, http.StatusServiceUnavailable, "login.html", pageData{CSRF: c.Value, Error: "No pudimos verificar. Probá en un rato."})
		return
	}
	if !ok {
		h.cfg.Log.Info("desk sign-in refused", "ip", clientIP(r))
		h.render(w, http.StatusUnauthorized, "login.html", pageData{CSRF: c.Value, Error: "Nombre o contraseña incorrectos."})
		return
	}
	h.startSession(w, r, name)
}

// allowed counts the attempt against the name and the address.
func (h *Handler) allowed(ctx context.Context, name, ip string) bool {
	okName, err1 := h.limiter.Allow(ctx, "name:"+name, h.cfg.NameLimit, h.cfg.Window)
	okIP, err2 := h.limiter.Allow(ctx, "ip:"+ip, h.cfg.IPLimit, h.cfg.Window)
	return err1 == nil && err2 == nil && okName && okIP
}

func (h *Handler) startSession(w http.ResponseWriter, r *http.Request, name string) {
	tok := rand.Text() + rand.Text()
	s := desk.Session{Agent: name, CSRF: rand.Text(), Since: h.cfg.Now()}
	if err := h.sessions.Put(r.Context(), tok, s, h.cfg.SessionTTL); err != nil {
		h.render(w, http.StatusServiceUnavailable, "login.html", pageData{Error: "No pudimos iniciar la sesión. Probá en un rato."})
		return
	}
	_ = h.limiter.Reset(r.Context(), "name:"+name)
	h.cfg.Log.Info("desk sign-in", "agent", name)
	http.SetCookie(w, h.cookie(sessionCookie, tok, int(h.cfg.SessionTTL.Seconds())))
	http.SetCookie(w, h.cookie(csrfCookie, "", -1))
	http.Redirect(w, r, "/desk/", http.StatusSeeOther)
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request, _ desk.Session) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		_ = h.sessions.Delete(r.Context(), c.Value)
	}
	http.SetCookie(w, h.cookie(sessionCookie, "", -1))
	http.Redirect(w, r, "/desk/", http.StatusSeeOther)
}

func (h *Handler) session(r *http.Request) (desk.Session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return desk.Session{}, false
	}
	s, err := h.sessions.Get(r.Context(), c.Value)
	if err != nil {
		if !errs.Is(errs.NotFound, err) {
			h.cfg.Log.Warn("session lookup failed", "err", err)
		}
		return desk.Session{}, false
	}
	return s, true
}

// agent requires a session, and on POST the session's CSRF token in the
// X-CSRF-Token header or the csrf form field.
func (h *Handler) agent(next func(http.ResponseWriter, *http.Request, desk.Session)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, ok := h.session(r)
		if !ok {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "sign in first"})
			return
		}
		if r.Method == http.MethodPost {
			tok := r.Header.Get("X-CSRF-Token")
			if tok == "" {
				tok = r.PostFormValue("csrf")
			}
			if !same(tok, s.CSRF) {
				writeJSON(w, http.StatusForbidden, map[string]string{"error": "bad CSRF token"})
				return
			}
		}
		next(w, r, s)
	})
}

func same(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// clientIP is the connection's address; clavebot does not trust forwarded
// headers, which anyone can write.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
