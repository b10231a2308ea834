package web

import (
	"context"
	"net/http"

	"rsc.io/qr"

	"github.com/clavebot/clavebot/desk"
	"github.com/clavebot/clavebot/internal/httpjson"
)

// PairingSource gives the WhatsApp pairing codes; *redisdesk.Pairing is one.
type PairingSource interface {
	Get(ctx context.Context) (desk.Pairing, error)
}

type pairingView struct {
	Enabled bool   `json:"enabled"`
	QR      bool   `json:"qr"`             // a QR code is waiting to be scanned
	Code    string `json:"code,omitempty"` // or a code to type on the phone
}

// Linking the device is a supervisor's: whoever scans the QR code with
// their phone makes it the service's WhatsApp, and that phone then shows
// every chat. Agents are not shown the codes.

// whatsapp tells the page whether WhatsApp waits to be linked.
func (h *Handler) whatsapp(w http.ResponseWriter, r *http.Request, s desk.Session) {
	if h.cfg.Pairing == nil || !s.Viewer().ReadsAll() {
		httpjson.Write(w, http.StatusOK, pairingView{})
		return
	}
	p, err := h.cfg.Pairing.Get(r.Context())
	if err != nil {
		h.fail(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, pairingView{Enabled: true, QR: p.QR != "", Code: p.Code})
}

// whatsappQR draws the QR code to scan as a PNG.
func (h *Handler) whatsappQR(w http.ResponseWriter, r *http.Request, s desk.Session) {
	if h.cfg.Pairing == nil {
		http.NotFound(w, r)
		return
	}
	if !s.Viewer().ReadsAll() {
		httpjson.Write(w, http.StatusForbidden, map[string]string{"error": "linking WhatsApp is for supervisors"})
		return
	}
	p, err := h.cfg.Pairing.Get(r.Context())
	if err != nil {
		h.fail(w, err)
		return
	}
	if p.QR == "" {
		http.NotFound(w, r)
		return
	}
	code, err := qr.Encode(p.QR, qr.L)
	if err != nil {
		h.fail(w, err)
		return
	}
	code.Scale = 6
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(code.PNG())
}
