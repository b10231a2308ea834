package cloud

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/clavebot/clavebot/dialog"
)

// maxBody bounds a webhook delivery; Meta's are a few kilobytes.
const maxBody = 1 << 20

// ServeHTTP serves the webhook: GET for Meta's subscription handshake,
// POST for deliveries. A delivery is answered as soon as it is queued:
// Meta retries slow answers, and the turns may take seconds.
func (c *Cloud) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		c.verify(w, r)
	case http.MethodPost:
		c.receive(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// verify answers the subscription handshake by echoing the challenge.
func (c *Cloud) verify(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	token := q.Get("hub.verify_token")
	if q.Get("hub.mode") != "subscribe" || subtle.ConstantTimeCompare([]byte(token), []byte(c.cfg.VerifyToken)) != 1 {
		c.log.Warn("webhook verification refused")
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	io.WriteString(w, q.Get("hub.challenge"))
}

func (c *Cloud) receive(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if !c.signed(body, r.Header.Get("X-Hub-Signature-256")) {
		c.log.Warn("webhook with a bad signature refused")
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var p payload
	if err := json.Unmarshal(body, &p); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	for _, m := range p.messages(c.cfg.PhoneNumberID) {
		c.enqueue(m)
	}
	w.WriteHeader(http.StatusOK)
}

// signed checks "sha256=<hex HMAC-SHA256 of the raw body>" in constant time.
func (c *Cloud) signed(body []byte, header string) bool {
	got, err := hex.DecodeString(strings.TrimPrefix(header, "sha256="))
	if err != nil || !strings.HasPrefix(header, "sha256=") {
		return false
	}
	mac := hmac.New(sha256.New, []byte(c.cfg.AppSecret))
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

// enqueue queues one message behind its chat's earlier ones. Meta
// redelivers for days what it thinks failed: a message id seen lately is
// dropped here, older ones by the engine.
func (c *Cloud) enqueue(m message) {
	in, ok := m.inbound()
	if !ok {
		c.log.Debug("message kind not handled", "type", m.Type)
		return
	}
	if !c.seen.Add(m.ID) {
		c.log.Debug("duplicate delivery dropped", "id", m.ID)
		return
	}
	c.seq.Do(in.Chat, func() { c.turn(m.From, in) })
}

func (c *Cloud) turn(to string, in dialog.Inbound) {
	ctx, cancel := c.turnContext()
	defer cancel()
	if err := c.markRead(ctx, in.ID); err != nil {
		c.log.Debug("mark read failed", "err", err)
	}
	c.bot.Turn(ctx, c, to, in)
}
