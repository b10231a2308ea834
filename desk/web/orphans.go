package web

import (
	"context"
	"net/http"
	"time"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/internal/errs"
)

// orphans gives back to the line, every cfg.OrphanCheck, the open chats
// of agents signed in nowhere: their sign-in ended (idle, or the hours'
// cap), they signed out without giving them back, or their account was
// removed. Every desk server runs it; the queue gives a chat back once.
func (h *Handler) orphans(ctx context.Context) {
	tick := time.NewTicker(h.cfg.OrphanCheck)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := h.desk.ReturnAbsent(ctx, h.away); err != nil && ctx.Err() == nil {
				h.cfg.Log.Warn("open chats of absent agents not given back", "err", err)
			}
		}
	}
}

// away says why agent is gone from the desk ("" while signed in
// somewhere).
func (h *Handler) away(ctx context.Context, agent string) (string, error) {
	_, err := h.accounts.Current(ctx, agent)
	switch {
	case errs.Is(errs.NotFound, err):
		return desk.ReturnedRemoved, nil
	case err != nil:
		return "", err
	}
	present, err := h.sessions.Present(ctx, agent)
	if err != nil || present {
		return "", err
	}
	return desk.ReturnedAbsent, nil
}

// openChatsPage asks an agent signing out with chats open to give them
// back (or to go back and close them): without it, the people would wait
// with nobody until the desk noticed the agent gone.
func (h *Handler) openChatsPage(w http.ResponseWriter, s desk.Session, open []desk.Conversation) {
	labels := make([]string, len(open))
	for i, c := range open {
		labels[i] = desk.Shown(c).Label
	}
	h.render(w, http.StatusConflict, "logout.html", pageData{Agent: s.Agent, CSRF: s.CSRF, Open: labels})
}
