package telegram

import (
	"crypto/subtle"
	"io"
	"net/http"
)

// WebhookPath is where cmd/clavebot mounts WebhookHandler; the webhook URL
// given to WithWebhook must reach it (https://host/telegram/webhook).
const WebhookPath = "/telegram/webhook"

// maxUpdate bounds an update's body; real ones are a few kilobytes.
const maxUpdate = 1 << 20

// WebhookHandler receives Telegram's webhook calls. A call without the
// right X-Telegram-Bot-Api-Secret-Token gets 401 (the library alone drops
// it but answers 200), and calls before Run has started or after it ended
// get 503, so Telegram delivers them again later rather than losing them.
func (c *Channel) WebhookHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if c.cfg.secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(c.cfg.secret)) != 1 {
			c.log.Warn("webhook call refused: wrong secret token", "remote", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxUpdate))
		if err != nil {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		// Decoded once, here: the library's own handler decoded it again
		// (a channels probe).
		u, cut := decodeUpdate(body)
		if cut {
			c.cutUpdates(1)
		}
		c.hooks.RLock()
		defer c.hooks.RUnlock()
		if !c.running.Load() {
			http.Error(w, "not running", http.StatusServiceUnavailable)
			return
		}
		c.api.ProcessUpdate(c.runCtx, u)
	})
}
