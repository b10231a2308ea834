package web

import (
	"net/http"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/internal/httpjson"
)

// A sign-in ended 12 hours after it began, however busy the agent, and
// the page went back to the sign-in form without a word, the reply being
// typed lost (found by a probe). It now ends after SessionIdle without
// the agent doing anything on the page (the page's own refreshes do not
// count), and at the latest SessionTTL after it began; the page warns
// SessionWarn before, and keeps the drafts in the browser's tab across
// the sign-in that follows.

// sessionView is what the page needs to warn before its sign-in ends.
type sessionView struct {
	Until time.Time `json:"until"` // the end, unless the agent does something before
	Ends  time.Time `json:"ends"`  // the end, whatever the agent does
	// Left is how long until Until, for a browser whose clock is not the
	// server's.
	Left float64 `json:"left_s"`
	Idle float64 `json:"idle_s"`
	Warn float64 `json:"warn_s"` // how long before the end to warn
}

func (h *Handler) view(s desk.Session) sessionView {
	ends := s.Since.Add(h.cfg.SessionTTL)
	until := s.Until
	if until.IsZero() || until.After(ends) {
		until = ends
	}
	return sessionView{Until: until, Ends: ends, Left: max(0, until.Sub(h.cfg.Now()).Seconds()),
		Idle: h.cfg.SessionIdle.Seconds(), Warn: h.cfg.SessionWarn.Seconds()}
}

// sessionInfo tells the page when its sign-in ends.
func (h *Handler) sessionInfo(w http.ResponseWriter, _ *http.Request, s desk.Session) {
	httpjson.Write(w, http.StatusOK, h.view(s))
}

// touch is the agent doing something on the page: the sign-in lasts
// SessionIdle from now, within SessionTTL of its beginning.
func (h *Handler) touch(w http.ResponseWriter, r *http.Request, s desk.Session) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		httpjson.Write(w, http.StatusUnauthorized, map[string]string{"error": "sign in first"})
		return
	}
	now := h.cfg.Now()
	s.Until = now.Add(h.cfg.SessionIdle)
	if ends := s.Since.Add(h.cfg.SessionTTL); s.Until.After(ends) {
		s.Until = ends
	}
	if left := s.Until.Sub(now); left > 0 {
		if err := h.sessions.Put(r.Context(), c.Value, s, left); err != nil {
			h.fail(w, err)
			return
		}
	}
	httpjson.Write(w, http.StatusOK, h.view(s))
}
