package web

import (
	"context"
	"time"

	"github.com/clavebot/clavebot/desk"
)

// ended ends this process's streams of the sessions e names: one session
// (signed out), or all of an agent's (removed).
func (h *Handler) ended(e desk.SessionEnd) {
	h.hub.end(func(c *client) bool {
		return e.Session != "" && c.sess.ID == e.Session || e.Agent != "" && c.sess.Agent == e.Agent
	})
}

// recheck ends, every cfg.Recheck, the open streams whose session is gone
// or expired, or whose account was removed (or removed and added again).
// Notices of ends (Sessions.Watch) make this immediate; the check catches
// what a notice missed: a removal made without Redis at hand, or a notice
// sent while this process was reconnecting.
func (h *Handler) recheck(ctx context.Context) {
	tick := time.NewTicker(h.cfg.Recheck)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			h.check(ctx, h.hub.open())
		}
	}
}

func (h *Handler) check(ctx context.Context, open []*client) {
	if len(open) == 0 {
		return
	}
	now := h.cfg.Now()
	for _, c := range open {
		if !now.Before(c.until) {
			c.end()
		}
	}
	if agents, err := h.accounts.List(ctx); err != nil {
		h.cfg.Log.Warn("desk accounts not checked", "err", err)
	} else {
		epoch := make(map[string]string, len(agents))
		for _, a := range agents {
			epoch[a.Name] = a.Epoch
		}
		for _, c := range open {
			if e, ok := epoch[c.sess.Agent]; !ok || e != c.sess.Epoch {
				c.end()
			}
		}
	}
	tokens := make([]string, len(open))
	for i, c := range open {
		tokens[i] = c.token
	}
	alive, err := h.sessions.Alive(ctx, tokens)
	if err != nil {
		h.cfg.Log.Warn("desk sessions not checked", "err", err)
		return
	}
	for i, c := range open {
		if !alive[i] {
			c.end()
		}
	}
}
